package io.loadgen.autoscale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loadgen.autoscale.ScalingBehavior;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HPA's arithmetic, by hand, as the Kubernetes documentation states it. */
class HpaControllerTest {
  private static final long S = 1_000_000_000L;

  private static HpaController hpa(ScalingBehavior behavior) {
    return new HpaController(0.1, 0.1, 1, 10, behavior);
  }

  @Test
  void desiredIsTheCeilingOfReplicasTimesMetricOverTarget() {
    HpaController hpa = hpa(ScalingBehavior.defaults());
    assertEquals(3, hpa.decide(15 * S, 1, new double[] {0.208}, 0, 0).replicas());
  }

  @Test
  void withinTheToleranceNothingChanges() {
    HpaController hpa = hpa(ScalingBehavior.defaults());
    assertEquals(2, hpa.decide(15 * S, 2, new double[] {0.109, 0.109}, 0, 0).replicas());
    assertEquals(2, hpa.decide(30 * S, 2, new double[] {0.091, 0.091}, 0, 0).replicas());
  }

  @Test
  void podsStillStartingCountAsIdleOnAScaleUp() {
    HpaController hpa = hpa(ScalingBehavior.defaults());
    // One ready pod at 0.208 and two starting: 0.208 / 3 / 0.1 = 0.69, a reversal: no change.
    HpaController.Decision held = hpa.decide(30 * S, 3, new double[] {0.208}, 2, 0);
    assertEquals(3, held.replicas(), held.reason());
    // One ready at 0.5 and one starting: 0.5 / 2 / 0.1 = 2.5, so ceil(2.5 x 2) = 5.
    assertEquals(
        5, hpa(ScalingBehavior.defaults()).decide(30 * S, 2, new double[] {0.5}, 1, 0).replicas());
  }

  @Test
  void unscrapedPodsCountAsAtTheTargetOnAScaleDown() {
    HpaController hpa = hpa(ScalingBehavior.defaults().withScaleDownStabilization(0));
    // Two at 0.02 and one unscraped: (0.02 + 0.02 + 0.1) / 3 / 0.1 = 0.47: ceil(1.4) = 2.
    assertEquals(2, hpa.decide(15 * S, 3, new double[] {0.02, 0.02}, 0, 1).replicas());
  }

  @Test
  void aScaleDownWaitsOutItsStabilizationWindow() {
    HpaController hpa = hpa(ScalingBehavior.defaults());
    assertEquals(3, hpa.decide(0, 3, new double[] {0.1, 0.1, 0.1}, 0, 0).replicas());
    for (long t = 15; t < 300; t += 15) {
      assertEquals(
          3, hpa.decide(t * S, 3, new double[] {0.01, 0.01, 0.01}, 0, 0).replicas(), "at " + t);
    }
    // The recommendation of 3 at 0 s has left the 300 s window.
    assertEquals(1, hpa.decide(315 * S, 3, new double[] {0.01, 0.01, 0.01}, 0, 0).replicas());
  }

  @Test
  void policiesLimitHowFastReplicasAreAdded() {
    // At most 1 pod per 60 s: from 1 towards 6, one at a time.
    ScalingBehavior onePod =
        new ScalingBehavior(
            0,
            List.of(new ScalingBehavior.Policy(false, 1, 60)),
            300,
            List.of(new ScalingBehavior.Policy(true, 100, 15)));
    HpaController hpa = hpa(onePod);
    assertEquals(2, hpa.decide(0, 1, new double[] {0.6}, 0, 0).replicas());
    assertEquals(2, hpa.decide(15 * S, 2, new double[] {0.6, 0.6}, 0, 0).replicas());
    assertEquals(3, hpa.decide(61 * S, 2, new double[] {0.6, 0.6}, 0, 0).replicas());
    // The defaults allow the larger of 100% and 4 pods: from 2, up to 6 at once.
    assertEquals(
        6, hpa(ScalingBehavior.defaults()).decide(0, 2, new double[] {0.9, 0.9}, 0, 0).replicas());
  }
}
