package io.loadgen.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimPreset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCalibrationTest {
  @TempDir Path dir;

  /** ITL p50 = 5 + 0.25 x n ms exactly (SweepFiles writes p50 as half the p99). */
  private MeasuredSweep sweep() {
    return MeasuredSweep.read(
        new SweepFiles()
            // TTFT p1 (a tenth of the p99) at the lowest level: ITL 7.5 ms + 200 x 10 us = 9.5 ms.
            .level(10, 95, 2 * (5 + 0.25 * 10), 1.0)
            .level(20, 300, 2 * (5 + 0.25 * 20), 2.0)
            .level(40, 600, 2 * (5 + 0.25 * 40), 4.0)
            .fitPerRunning(0.1)
            .write(dir));
  }

  @Test
  void fitsTheKvBlocksFromTheBlocksARequestHoldsOverTheUsagePerRequest() {
    SweepCalibration calibration =
        SweepCalibration.fit(sweep(), SimPreset.named("default").orElseThrow());
    // ISL 200, OSL 200, blocks of 16: tokens 201..400 hold 8 x 13 + 16 x (14 + ... + 25) blocks
    // over 200 steps, 19.24 on average; 0.1% a running request makes 19,240 blocks.
    assertEquals(19.24, calibration.blocksPerRequest(), 1e-12);
    assertEquals(19_240, calibration.preset().engine().kvBlocksTotal());
    assertEquals(19_240L, calibration.overrides().kvBlocks());
    assertEquals(0.01, calibration.kvPoints().get(0).fitted(), 1e-12);
    assertEquals(0, calibration.kvPoints().get(2).residual(), 1e-12);
  }

  @Test
  void fitsTheDecodeStepToTheItlLineAndThePrefillToTheFastestFirstToken() {
    SweepCalibration calibration =
        SweepCalibration.fit(sweep(), SimPreset.named("default").orElseThrow());
    EngineSpec engine = calibration.preset().engine();
    assertEquals(5_000_000, engine.decodeStepFixedNanos());
    assertEquals(250_000, engine.decodeNanosPerSequence());
    assertEquals(10_000, engine.prefillNanosPerToken());
    for (SweepCalibration.Point p : calibration.itlPoints()) {
      assertEquals(0, p.residual(), 1e-9, calibration.report());
    }
    assertEquals("meta/llama3-8b-instruct", calibration.preset().servedModel());
    assertTrue(calibration.report().contains("19,240 blocks"), calibration.report());
  }

  @Test
  void takesTheBasePresetsCachedTokenCostOutOfTheCostPerSequence() {
    SimPreset base = SimPreset.named("llama3-8b-h100").orElseThrow();
    SweepCalibration calibration = SweepCalibration.fit(sweep(), base);
    double perCachedToken = base.engine().decodeNanosPerCachedToken();
    // A sequence holds about ISL + OSL / 2 = 300 tokens.
    assertEquals(
        250_000 - perCachedToken * 300,
        calibration.preset().engine().decodeNanosPerSequence(),
        1.0);
    assertEquals(
        base.engine().maxRunningSequences(), calibration.preset().engine().maxRunningSequences());
  }

  @Test
  void refusesASweepWithoutAKvUsagePerRequest() {
    MeasuredSweep noFit =
        MeasuredSweep.read(new SweepFiles().level(10, 95, 15, 2).level(20, 300, 20, 4).write(dir));
    AutoscaleException e =
        assertThrows(
            AutoscaleException.class,
            () -> SweepCalibration.fit(noFit, SimPreset.named("default").orElseThrow()));
    assertTrue(e.getMessage().endsWith("has no KV-cache usage per request to fit with"));
  }
}
