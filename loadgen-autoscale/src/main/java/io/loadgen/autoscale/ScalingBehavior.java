package io.loadgen.autoscale;

import java.util.List;

/**
 * An {@code autoscaling/v2} HPA's {@code behavior}: for each direction a stabilization window and
 * the policies that limit how fast replicas change, as the Kubernetes documentation defines them.
 * Scaling up takes the lowest recommendation of its window, scaling down the highest; of the
 * policies, {@code selectPolicy: Max} allows the largest change.
 *
 * @param scaleUpStabilizationSeconds 0 by default
 * @param scaleUpPolicies by default 100% or 4 pods per 15 s, whichever allows more
 * @param scaleDownStabilizationSeconds 300 by default
 * @param scaleDownPolicies by default 100% per 15 s
 */
public record ScalingBehavior(
    int scaleUpStabilizationSeconds,
    List<Policy> scaleUpPolicies,
    int scaleDownStabilizationSeconds,
    List<Policy> scaleDownPolicies) {
  /** One policy: at most {@code value} pods (or percent of the replicas) per period. */
  public record Policy(boolean percent, int value, int periodSeconds) {
    public Policy {
      if (value < 1 || periodSeconds < 1) {
        throw new AutoscaleException(
            "a scaling policy needs a value and a period of at least 1, got "
                + value
                + " per "
                + periodSeconds
                + " s");
      }
    }
  }

  public ScalingBehavior {
    scaleUpPolicies = List.copyOf(scaleUpPolicies);
    scaleDownPolicies = List.copyOf(scaleDownPolicies);
    if (scaleUpStabilizationSeconds < 0 || scaleDownStabilizationSeconds < 0) {
      throw new AutoscaleException("a stabilization window must be 0 or more seconds");
    }
  }

  /** The Kubernetes defaults. */
  public static ScalingBehavior defaults() {
    return new ScalingBehavior(
        0,
        List.of(new Policy(true, 100, 15), new Policy(false, 4, 15)),
        300,
        List.of(new Policy(true, 100, 15)));
  }

  /** These policies with another scale-down stabilization window. */
  public ScalingBehavior withScaleDownStabilization(int seconds) {
    return new ScalingBehavior(
        scaleUpStabilizationSeconds, scaleUpPolicies, seconds, scaleDownPolicies);
  }
}
