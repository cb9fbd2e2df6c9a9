package io.loadgen.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.SimPreset;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NVIDIA's guide to autoscaling NIM, rehearsed: one Llama-3-8B replica read 9.4% of its KV cache at
 * concurrency 100, 20.8% at 200 and 40.9% at 400 (ISL and OSL of 200); an HPA with a target of
 * {@code 100m} went from 1 to 3 replicas at concurrency 200 (ceil(1 x 0.208 / 0.1) = 3). The {@code
 * llama3-8b-h100} preset, calibrated to those three points, must do the same in simulated time, and
 * scale back down once the scale-down window has passed after the load drops.
 */
class GuideRehearsalTest {
  private static final TokenLengthDistribution LENGTH = new TokenLengthDistribution(200, 0);

  /** genai-perf's outputs without ignore_eos: about 200 tokens, not all the same. */
  private static final TokenLengthDistribution OUTPUT = new TokenLengthDistribution(200, 20);

  private static KvCalibration calibration;

  @BeforeAll
  static void calibrate() {
    calibration =
        KvCalibration.fit(
            SimPreset.named("llama3-8b-h100").orElseThrow().engine(),
            KvCalibration.parsePoints("100:0.094,200:0.208,400:0.409"),
            LENGTH,
            OUTPUT,
            0);
  }

  private static RehearsalSpec.Builder guide(long seed) {
    return RehearsalSpec.builder()
        .engine(calibration.engine())
        .target(0.1)
        .replicas(1, 10)
        .replicaStartupSeconds(60)
        .plan(LoadPlan.parse("10@5m,100@5m,200@10m,10@10m"))
        .inputTokens(LENGTH)
        .outputTokens(OUTPUT)
        .seed(seed);
  }

  @Test
  void theCalibratedPresetReadsTheGuidesThreePoints() {
    for (KvCalibration.Point p : calibration.points()) {
      assertEquals(p.given(), p.fitted(), 0.01, "at concurrency " + p.concurrency());
    }
  }

  @Test
  void goesFromOneToThreeReplicasAtConcurrency200AndBackAfterTheWindow() {
    for (long seed = 0; seed < 3; seed++) {
      guideTimeline(Rehearsal.run(guide(seed).build()));
    }
  }

  private static void guideTimeline(RehearsalResult result) {
    // 10 and then 100 users: 9.4% is within the 10% tolerance of 100m, so one replica.
    assertEquals(1, result.replicasAt(599), result.kubectlWatch());
    // The first sync after 200 users arrive sees about 208m: ceil(1 x 0.208 / 0.1) = 3.
    Sync first = result.syncs().stream().filter(s -> s.replicas() > 1).findFirst().orElseThrow();
    assertEquals(3, first.replicas(), result.kubectlWatch());
    assertTrue(first.seconds() > 600 && first.seconds() <= 600 + 45, "at " + first.seconds());
    assertTrue(first.metricAverage() > 0.18 && first.metricAverage() < 0.24, first.toString());
    // It holds at 3 while the new pods start and the load spreads over them.
    assertEquals(3, result.replicasAt(1199), result.kubectlWatch());
    assertEquals(3, result.maxReplicas());
    // At 10 users from 20 minutes on, it waits out the 300 s scale-down window, then goes to 1.
    assertEquals(3, result.replicasAt(1200 + 290), result.kubectlWatch());
    assertEquals(1, result.replicasAt(1800), result.kubectlWatch());
    Sync down =
        result.syncs().stream()
            .filter(s -> s.seconds() > 1200 && s.replicas() < 3)
            .findFirst()
            .orElseThrow();
    assertTrue(down.seconds() >= 1200 + 300, "scaled down at " + down.seconds());
  }

  @Test
  void theSameSeedGivesTheSameTimeline() {
    RehearsalSpec spec = guide(7).plan(LoadPlan.parse("100@2m,200@3m")).build();
    List<Sync> once = Rehearsal.run(spec).syncs();
    List<Sync> again = Rehearsal.run(spec).syncs();
    assertEquals(once, again);
  }
}
