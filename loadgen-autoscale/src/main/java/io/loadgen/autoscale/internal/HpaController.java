package io.loadgen.autoscale.internal;

import io.loadgen.autoscale.ScalingBehavior;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The Kubernetes HPA controller's decision for one Pods metric with an {@code averageValue} target,
 * as its documentation and its source (pkg/controller/podautoscaler: replica_calculator.go and
 * horizontal.go) define it, at each sync:
 *
 * <ol>
 *   <li>the ratio of the ready pods' average to the target; within the tolerance, no change;
 *   <li>pods that are not ready yet (still starting) or ready but not yet scraped are set aside and
 *       the ratio recomputed over all pods: on a scale-up those count as using 0, on a scale-down
 *       the unscraped ones as using the target; if that reverses the direction or falls within the
 *       tolerance, no change; else desired = ceil(ratio x pods counted);
 *   <li>the stabilization windows: a scale-up takes the lowest recommendation of its window, a
 *       scale-down the highest;
 *   <li>the rate policies: from the replicas at the start of each policy's period (those the
 *       controller added or removed within it taken back), the policy that allows the largest
 *       change (selectPolicy Max); then the min and max replicas.
 * </ol>
 *
 * Pure and single-threaded: the simulation calls {@link #decide} with virtual times.
 */
public final class HpaController {
  /** What one sync decided, and why. */
  public record Decision(
      int currentReplicas, double metricAverage, int rawDesired, int replicas, String reason) {}

  private record Recommendation(long nanos, int replicas) {}

  private record ScaleEvent(long nanos, int change) {}

  private final double target;
  private final double tolerance;
  private final int minReplicas;
  private final int maxReplicas;
  private final ScalingBehavior behavior;
  private final ArrayDeque<Recommendation> recommendations = new ArrayDeque<>();
  private final List<ScaleEvent> events = new ArrayList<>();

  public HpaController(
      double target, double tolerance, int minReplicas, int maxReplicas, ScalingBehavior behavior) {
    this.target = target;
    this.tolerance = tolerance;
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.behavior = behavior;
  }

  /**
   * One sync at {@code nowNanos}.
   *
   * @param currentReplicas the Deployment's replicas, starting ones included
   * @param readyValues the latest scraped value of each ready, scraped pod
   * @param unreadyPods pods still starting
   * @param missingPods ready pods not yet scraped
   */
  public Decision decide(
      long nowNanos, int currentReplicas, double[] readyValues, int unreadyPods, int missingPods) {
    if (recommendations.isEmpty() && events.isEmpty()) {
      // As the controller does for a new HPA: the replicas it found when it was made (just before
      // this first sync) are its first recommendation, which holds a scale-down for its window.
      recommendations.addLast(new Recommendation(nowNanos - 1, currentReplicas));
    }
    double sum = 0;
    // Averaged as read. (The adapter serves each pod's value in whole milli-units, truncated; at
    // a ratio near a whole number that can tip ceil() by one. Not modelled: see README.)
    for (double v : readyValues) {
      sum += v;
    }
    double average = readyValues.length == 0 ? Double.NaN : sum / readyValues.length;
    int raw;
    String reason;
    if (readyValues.length == 0) {
      raw = currentReplicas;
      reason = "no pod has a metric yet";
    } else {
      double ratio = average / target;
      if (unreadyPods == 0 && missingPods == 0) {
        if (Math.abs(ratio - 1) <= tolerance) {
          raw = currentReplicas;
          reason = "within the tolerance";
        } else {
          raw = (int) Math.ceil(ratio * readyValues.length);
          reason = "ceil(" + readyValues.length + " x " + fmt(average) + " / " + fmt(target) + ")";
        }
      } else {
        double adjusted = sum;
        int counted = readyValues.length;
        if (missingPods > 0) {
          adjusted += (ratio < 1 ? target : 0) * missingPods;
          counted += missingPods;
        }
        if (ratio > 1 && unreadyPods > 0) {
          counted += unreadyPods; // not-yet-ready pods count as using nothing on a scale-up
        }
        double newRatio = adjusted / counted / target;
        if (Math.abs(newRatio - 1) <= tolerance || (ratio > 1) != (newRatio > 1)) {
          raw = currentReplicas;
          reason = "pods still starting or unscraped would reverse or cancel the change";
        } else {
          raw = (int) Math.ceil(newRatio * counted);
          if ((newRatio < 1 && raw > currentReplicas) || (newRatio > 1 && raw < currentReplicas)) {
            raw = currentReplicas;
          }
          reason = "ceil(" + counted + " x " + fmt(adjusted / counted) + " / " + fmt(target) + ")";
        }
      }
    }
    int stabilized = stabilize(nowNanos, currentReplicas, raw);
    int limited = limit(nowNanos, currentReplicas, stabilized);
    int replicas = Math.max(minReplicas, Math.min(maxReplicas, limited));
    if (stabilized != raw) {
      reason += "; stabilized to " + stabilized;
    }
    if (limited != stabilized) {
      reason += "; rate-limited to " + limited;
    }
    if (replicas != currentReplicas) {
      events.add(new ScaleEvent(nowNanos, replicas - currentReplicas));
    }
    return new Decision(currentReplicas, average, raw, replicas, reason);
  }

  private int stabilize(long now, int current, int desired) {
    long upWindow = behavior.scaleUpStabilizationSeconds() * 1_000_000_000L;
    long downWindow = behavior.scaleDownStabilizationSeconds() * 1_000_000_000L;
    int up = desired;
    int down = desired;
    long keep = Math.max(upWindow, downWindow);
    for (Iterator<Recommendation> it = recommendations.iterator(); it.hasNext(); ) {
      Recommendation r = it.next();
      if (r.nanos() < now - keep && recommendations.size() > 1) {
        it.remove();
        continue;
      }
      if (r.nanos() >= now - upWindow) {
        up = Math.min(up, r.replicas());
      }
      if (r.nanos() >= now - downWindow) {
        down = Math.max(down, r.replicas());
      }
    }
    recommendations.addLast(new Recommendation(now, desired));
    int recommendation = current;
    if (recommendation < up) {
      recommendation = up;
    }
    if (recommendation > down) {
      recommendation = down;
    }
    return recommendation;
  }

  private int limit(long now, int current, int desired) {
    if (desired > current) {
      int allowed = Integer.MIN_VALUE;
      for (ScalingBehavior.Policy p : behavior.scaleUpPolicies()) {
        int start = current - changedWithin(now, p.periodSeconds(), true);
        int limit =
            p.percent() ? (int) Math.ceil(start * (1 + p.value() / 100.0)) : start + p.value();
        allowed = Math.max(allowed, limit);
      }
      return behavior.scaleUpPolicies().isEmpty() ? desired : Math.min(desired, allowed);
    }
    if (desired < current) {
      int allowed = Integer.MAX_VALUE;
      for (ScalingBehavior.Policy p : behavior.scaleDownPolicies()) {
        int start = current + changedWithin(now, p.periodSeconds(), false);
        // The controller truncates a scale-down's percentage (an int32 conversion) where it
        // rounds a scale-up's up.
        int limit = p.percent() ? (int) (start * (1 - p.value() / 100.0)) : start - p.value();
        allowed = Math.min(allowed, limit);
      }
      return behavior.scaleDownPolicies().isEmpty() ? desired : Math.max(desired, allowed);
    }
    return desired;
  }

  /** Pods added (up) or removed (down) by this controller within the last {@code seconds}. */
  private int changedWithin(long now, int seconds, boolean up) {
    int changed = 0;
    for (ScaleEvent e : events) {
      if (e.nanos() > now - seconds * 1_000_000_000L && (e.change() > 0) == up) {
        changed += Math.abs(e.change());
      }
    }
    return changed;
  }

  private static String fmt(double value) {
    return String.format(java.util.Locale.ROOT, "%.3f", value);
  }
}
