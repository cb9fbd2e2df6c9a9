package io.loadgen.autoscale;

/**
 * One HPA sync of a rehearsal: what the controller saw and decided, and why.
 *
 * @param seconds when, from the plan's start
 * @param currentReplicas the Deployment's replicas before, starting ones included
 * @param readyReplicas those of them in the Service
 * @param metricAverage the ready, scraped pods' average gauge, or NaN when none had one
 * @param replicas the replicas after
 * @param reason the arithmetic, and any window or policy that held it back
 */
public record Sync(
    double seconds,
    int currentReplicas,
    int readyReplicas,
    double metricAverage,
    int replicas,
    String reason) {
  /** The gauge as {@code kubectl get hpa} shows a 0..1 value: {@code 208m}. */
  public String targets(double target) {
    String current =
        Double.isNaN(metricAverage) ? "<unknown>" : Math.round(metricAverage * 1000) + "m";
    return current + "/" + Math.round(target * 1000) + "m";
  }
}
