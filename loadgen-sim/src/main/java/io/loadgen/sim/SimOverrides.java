package io.loadgen.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Changes to a preset's numbers, from {@code sim} flags or a JSON/YAML file whose keys are these
 * names in snake case ({@code gpu_memory_utilization: 0.5}, {@code max_num_seqs: 64}). Every field
 * is optional (null: keep the preset's).
 *
 * <p>Hardware changes ({@code gpu_count}, {@code gpu_memory_gib}, {@code gpu_memory_utilization},
 * {@code block_size}) re-derive the engine of a preset built from facts; engine changes then set
 * single numbers, and win.
 */
public record SimOverrides(
    Integer gpuCount,
    Double gpuMemoryGib,
    Double gpuMemoryUtilization,
    Integer blockSize,
    Long kvBlocks,
    Integer maxNumSeqs,
    Integer maxNumBatchedTokens,
    Double prefillMicrosPerToken,
    Double decodeStepMillis,
    Double decodeMicrosPerSequence,
    Double decodeNanosPerCachedToken,
    String servedModelName) {

  /** Changes nothing. */
  public static final SimOverrides NONE =
      new SimOverrides(null, null, null, null, null, null, null, null, null, null, null, null);

  private static final double GIB = 1L << 30;

  /**
   * Reads overrides from a {@code .json}, {@code .yaml} or {@code .yml} file.
   *
   * @throws SimConfigException naming the file and what is wrong with it
   */
  public static SimOverrides read(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory())
            : new ObjectMapper();
    mapper
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      SimOverrides read = mapper.readValue(file.toFile(), SimOverrides.class);
      return read == null ? NONE : read;
    } catch (UnrecognizedPropertyException e) {
      throw new SimConfigException(
          file
              + ": unknown key '"
              + e.getPropertyName()
              + "'; known keys: "
              + "gpu_count, gpu_memory_gib, gpu_memory_utilization, block_size, kv_blocks, max_num_seqs, "
              + "max_num_batched_tokens, prefill_micros_per_token, decode_step_millis, decode_micros_per_sequence, "
              + "decode_nanos_per_cached_token, served_model_name");
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new SimConfigException(
          file + ": no such file; pass --config a JSON or YAML file of overrides");
    } catch (IOException e) {
      String why =
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e.getMessage().lines().findFirst().orElse("");
      throw new SimConfigException(
          file + ": not valid " + (name.endsWith(".json") ? "JSON" : "JSON or YAML") + ": " + why,
          e);
    }
  }

  /** These overrides, then {@code later}'s on top. */
  public SimOverrides then(SimOverrides later) {
    return new SimOverrides(
        pick(later.gpuCount, gpuCount),
        pick(later.gpuMemoryGib, gpuMemoryGib),
        pick(later.gpuMemoryUtilization, gpuMemoryUtilization),
        pick(later.blockSize, blockSize),
        pick(later.kvBlocks, kvBlocks),
        pick(later.maxNumSeqs, maxNumSeqs),
        pick(later.maxNumBatchedTokens, maxNumBatchedTokens),
        pick(later.prefillMicrosPerToken, prefillMicrosPerToken),
        pick(later.decodeStepMillis, decodeStepMillis),
        pick(later.decodeMicrosPerSequence, decodeMicrosPerSequence),
        pick(later.decodeNanosPerCachedToken, decodeNanosPerCachedToken),
        pick(later.servedModelName, servedModelName));
  }

  /**
   * The preset with these changes.
   *
   * @throws SimConfigException for a hardware change to a preset given by engine numbers alone, or
   *     numbers out of range
   */
  public SimPreset applyTo(SimPreset preset) {
    SimPreset result = preset;
    boolean hardware = gpuCount != null || gpuMemoryGib != null || gpuMemoryUtilization != null;
    if (hardware && preset.gpus() == null) {
      throw new SimConfigException(
          "preset '"
              + preset.name()
              + "' has no GPU facts to change; set kv_blocks and the step costs instead");
    }
    if (hardware || (blockSize != null && preset.gpus() != null)) {
      GpuFacts gpus = preset.gpus();
      if (gpuCount != null) {
        gpus = gpus.withCount(gpuCount);
      }
      if (gpuMemoryGib != null) {
        gpus = gpus.withMemoryBytesEach((long) (gpuMemoryGib * GIB));
      }
      if (gpuMemoryUtilization != null) {
        gpus = gpus.withMemoryUtilization(gpuMemoryUtilization);
      }
      int size = blockSize != null ? blockSize : preset.engine().kvBlockSizeTokens();
      result = SimPreset.derive(preset.name(), preset.servedModel(), preset.model(), gpus, size);
      // Batch limits are not hardware: keep the preset's.
      EngineSpec e = result.engine();
      result =
          result.withEngine(
              new EngineSpec(
                  e.kvBlockSizeTokens(),
                  e.kvBlocksTotal(),
                  preset.engine().maxRunningSequences(),
                  preset.engine().maxBatchedTokens(),
                  e.prefillNanosPerToken(),
                  e.decodeStepFixedNanos(),
                  e.decodeNanosPerSequence(),
                  e.decodeNanosPerCachedToken()));
    }
    EngineSpec e = result.engine();
    EngineSpec engine =
        new EngineSpec(
            blockSize != null ? blockSize : e.kvBlockSizeTokens(),
            kvBlocks != null ? kvBlocks : e.kvBlocksTotal(),
            maxNumSeqs != null ? maxNumSeqs : e.maxRunningSequences(),
            maxNumBatchedTokens != null ? maxNumBatchedTokens : e.maxBatchedTokens(),
            prefillMicrosPerToken != null
                ? Math.round(prefillMicrosPerToken * 1e3)
                : e.prefillNanosPerToken(),
            decodeStepMillis != null
                ? Math.round(decodeStepMillis * 1e6)
                : e.decodeStepFixedNanos(),
            decodeMicrosPerSequence != null
                ? Math.round(decodeMicrosPerSequence * 1e3)
                : e.decodeNanosPerSequence(),
            decodeNanosPerCachedToken != null
                ? decodeNanosPerCachedToken
                : e.decodeNanosPerCachedToken());
    String served = servedModelName != null ? servedModelName : result.servedModel();
    return new SimPreset(result.name(), served, result.model(), result.gpus(), engine);
  }

  private static <T> T pick(T later, T earlier) {
    return later != null ? later : earlier;
  }
}
