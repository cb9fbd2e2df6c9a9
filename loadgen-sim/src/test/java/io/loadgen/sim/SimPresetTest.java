package io.loadgen.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each preset's KV arithmetic, worked by hand from the model's and GPU's public facts. */
class SimPresetTest {
  private static final double GIB = 1L << 30;

  private static SimPreset preset(String name) {
    return SimPreset.named(name).orElseThrow();
  }

  @Test
  void llama3_8bOnOneH100() {
    SimPreset p = preset("llama3-8b-h100");
    // 2 (K and V) x 32 layers x 8 KV heads x 128 head dim x 2 bytes (bf16).
    assertEquals(131_072, p.model().kvBytesPerToken());
    assertEquals(16_060_522_496L, p.model().weightBytes());
    // 0.9 x 79.2 GiB usable - 16.06 GB of weights, over 131,072 B x 16 tokens a block.
    double cache = 0.9 * (long) (79.2 * GIB) - 16_060_522_496L;
    assertEquals((long) Math.floor(cache / (131_072.0 * 16)), p.engine().kvBlocksTotal());
    assertEquals(28_837, p.engine().kvBlocksTotal());
    assertEquals(16, p.engine().kvBlockSizeTokens());
    // Decode reads all weights at 70% of 3.35 TB/s: 6.85 ms, plus 1 ms of overhead.
    assertEquals(7.85, p.engine().decodeStepFixedNanos() / 1e6, 0.01);
    // Prefill: 2 x 8.03e9 FLOPs a token at half of 989 TFLOP/s.
    assertEquals(32.5, p.engine().prefillNanosPerToken() / 1e3, 0.1);
  }

  @Test
  void llama3_70bOnFourH100s() {
    SimPreset p = preset("llama3-70b-h100x4");
    assertEquals(4, p.gpus().count());
    // 2 x 80 layers x 8 KV heads x 128 x 2 bytes.
    assertEquals(327_680, p.model().kvBytesPerToken());
    double cache = 4 * 0.9 * (long) (79.2 * GIB) - 70_553_706_496L * 2;
    assertEquals((long) Math.floor(cache / (327_680.0 * 16)), p.engine().kvBlocksTotal());
    assertEquals(31_478, p.engine().kvBlocksTotal());
  }

  @Test
  void mistral7bOnOneA10g() {
    SimPreset p = preset("mistral-7b-a10g");
    assertEquals(131_072, p.model().kvBytesPerToken());
    double cache = 0.9 * (long) (22.2 * GIB) - 7_248_023_552L * 2;
    assertEquals((long) Math.floor(cache / (131_072.0 * 16)), p.engine().kvBlocksTotal());
    assertEquals(3_317, p.engine().kvBlocksTotal());
    // A small cache: 200 requests of 400 tokens (25 blocks each) need 5,000 blocks, more than it
    // has.
    assertTrue(200 * p.engine().blocksFor(400) > p.engine().kvBlocksTotal());
  }

  @Test
  void theDefaultPresetIsSmallFastAndBatchIndependent() {
    EngineSpec e = preset("default").engine();
    assertNull(preset("default").model());
    assertEquals(10_000_000, e.decodeStepFixedNanos());
    assertEquals(0, e.decodeNanosPerSequence());
    assertEquals(0.0, e.decodeNanosPerCachedToken());
    assertEquals(8192 * 16, e.kvTokenCapacity());
  }

  @Test
  void overridesOfTheHardwareReDeriveTheCache() {
    SimPreset half =
        new SimOverrides(null, null, 0.45, null, null, null, null, null, null, null, null, null)
            .applyTo(preset("llama3-8b-h100"));
    double cache = 0.45 * (long) (79.2 * GIB) - 16_060_522_496L;
    assertEquals((long) Math.floor(cache / (131_072.0 * 16)), half.engine().kvBlocksTotal());
    SimPreset bigBlocks =
        new SimOverrides(null, null, null, 32, null, null, null, null, null, null, null, null)
            .applyTo(preset("llama3-8b-h100"));
    assertEquals(28_837 / 2, bigBlocks.engine().kvBlocksTotal());
  }

  @Test
  void engineOverridesWinOverDerivedNumbers() {
    SimPreset p =
        new SimOverrides(2, null, null, null, 1000L, 64, null, null, 20.0, null, null, "my-model")
            .applyTo(preset("llama3-8b-h100"));
    assertEquals(1000, p.engine().kvBlocksTotal());
    assertEquals(64, p.engine().maxRunningSequences());
    assertEquals(20_000_000, p.engine().decodeStepFixedNanos());
    assertEquals("my-model", p.servedModel());
    assertEquals(2, p.gpus().count());
  }

  @Test
  void readsOverridesFromYamlAndJson(@TempDir Path dir) throws Exception {
    Path yaml =
        Files.writeString(
            dir.resolve("engine.yaml"), "gpu_memory_utilization: 0.5\nmax_num_seqs: 32\n");
    Path json =
        Files.writeString(
            dir.resolve("engine.json"), "{\"kv_blocks\": 500, \"decode_step_millis\": 12.5}");
    SimConfig config =
        SimConfig.preset("llama3-8b-h100")
            .overrides(SimOverrides.read(yaml))
            .overrides(SimOverrides.read(json))
            .build();
    assertEquals(32, config.engine().maxRunningSequences());
    assertEquals(500, config.engine().kvBlocksTotal());
    assertEquals(12_500_000, config.engine().decodeStepFixedNanos());
  }

  @Test
  void aBadOverrideFileGetsOneLineNamingTheFileAndKey(@TempDir Path dir) throws Exception {
    Path unknown = Files.writeString(dir.resolve("bad.yaml"), "kv_blokcs: 5\n");
    SimConfigException e = assertThrows(SimConfigException.class, () -> SimOverrides.read(unknown));
    assertTrue(
        e.getMessage().contains("bad.yaml") && e.getMessage().contains("kv_blokcs"),
        e.getMessage());
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"kv_blocks\": ");
    e = assertThrows(SimConfigException.class, () -> SimOverrides.read(broken));
    assertTrue(
        e.getMessage().startsWith(broken.toString()) && !e.getMessage().contains("\n"),
        e.getMessage());
    e =
        assertThrows(
            SimConfigException.class, () -> SimOverrides.read(dir.resolve("missing.yaml")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void refusesHardwareOverridesForAPresetWithoutHardware() {
    assertThrows(
        SimConfigException.class,
        () ->
            SimConfig.preset("default")
                .overrides(
                    new SimOverrides(
                        2, null, null, null, null, null, null, null, null, null, null, null))
                .build());
  }

  @Test
  void aModelThatDoesNotFitIsRefused() {
    assertThrows(
        SimConfigException.class,
        () ->
            new SimOverrides(null, 10.0, null, null, null, null, null, null, null, null, null, null)
                .applyTo(preset("llama3-8b-h100")));
  }
}
