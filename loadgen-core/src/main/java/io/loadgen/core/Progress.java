package io.loadgen.core;

/**
 * A snapshot of a running profile, for a live progress view.
 *
 * <p>The percentiles are over the measured requests that succeeded and were recorded by the time of
 * the snapshot (a request is recorded just after it is counted in {@link #completed}, so they may
 * trail it by the few requests still queued for recording). They are read from HdrHistograms of 3
 * significant digits, as the final {@link MetricStats} are, so the last snapshot of a run agrees
 * with its table to that precision.
 *
 * @param elapsedNanos since the first send
 * @param completed measured requests finished successfully
 * @param failed measured requests that failed
 * @param inFlight requests sent and not finished
 * @param target measured requests the run will send, or -1 when it runs for a time window
 * @param tokensPerSecond content responses received per second over the last interval
 * @param timeToFirstTokenP50Nanos the median time to first token so far, or -1 with none yet (or a
 *     run that does not stream)
 * @param timeToFirstTokenP99Nanos the 99th percentile time to first token so far, or -1
 * @param interTokenLatencyP50Nanos the median inter-token latency so far, or -1
 * @param interTokenLatencyP99Nanos the 99th percentile inter-token latency so far, or -1
 * @param kvCacheUsage the server's KV-cache gauge at the latest scrape, a fraction 0..1 (the mean
 *     over the replicas that reported one), or NaN when nothing is scraped or no page had one
 */
public record Progress(
    long elapsedNanos,
    long completed,
    long failed,
    long inFlight,
    long target,
    double tokensPerSecond,
    long timeToFirstTokenP50Nanos,
    long timeToFirstTokenP99Nanos,
    long interTokenLatencyP50Nanos,
    long interTokenLatencyP99Nanos,
    double kvCacheUsage) {

  /** A snapshot with no latencies and no KV-cache reading yet. */
  public Progress(
      long elapsedNanos,
      long completed,
      long failed,
      long inFlight,
      long target,
      double tokensPerSecond) {
    this(
        elapsedNanos,
        completed,
        failed,
        inFlight,
        target,
        tokensPerSecond,
        -1,
        -1,
        -1,
        -1,
        Double.NaN);
  }
}
