package io.loadgen.autoscale;

import org.HdrHistogram.Histogram;

/**
 * One window of a rehearsal (15 s by default): the fleet at its end, and the latencies of the
 * requests within it. TTFT counts the requests whose first token came in the window, and, so that a
 * queue does not hide, those still waiting for one at its end, counted with their wait so far; ITL
 * counts the requests that finished in it.
 *
 * @param startSeconds the window's start, in seconds from the plan's start
 * @param load the plan's level then: users, or requests a second
 * @param replicasReady pods in the Service at the window's end
 * @param replicasStarting pods started but not yet ready
 * @param metricAverage the average over the ready pods of their last scraped gauge, as the HPA
 *     reads it, or NaN before a scrape
 * @param running requests in the pods' batches at the window's end, summed
 * @param waiting requests queued in the pods at the window's end, summed
 * @param completed requests that finished in the window
 */
public record Window(
    double startSeconds,
    double load,
    int replicasReady,
    int replicasStarting,
    double metricAverage,
    int running,
    int waiting,
    long completed,
    Histogram timeToFirstToken,
    Histogram interTokenLatency) {
  public Window {
    timeToFirstToken = timeToFirstToken.copy();
    interTokenLatency = interTokenLatency.copy();
  }

  /** TTFT at {@code percentile} (0 to 100) in ms, or NaN with no request. */
  public double timeToFirstTokenMillis(double percentile) {
    return millis(timeToFirstToken, percentile);
  }

  /** Inter-token latency at {@code percentile} (0 to 100) in ms, or NaN with no request. */
  public double interTokenLatencyMillis(double percentile) {
    return millis(interTokenLatency, percentile);
  }

  /** A copy of the TTFT distribution, in ns. */
  @Override
  public Histogram timeToFirstToken() {
    return timeToFirstToken.copy();
  }

  /** A copy of the ITL distribution, in ns. */
  @Override
  public Histogram interTokenLatency() {
    return interTokenLatency.copy();
  }

  private static double millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }
}
