package io.loadgen.core.internal.record;

/**
 * genai-perf's per-request metrics, computed from one request's timeline. All times in nanoseconds
 * on the same monotonic clock; {@link #ABSENT} where a metric is undefined for the request.
 *
 * @param timeToFirstToken first content response minus the start
 * @param timeToSecondToken second content response minus the first; absent with fewer than two
 * @param requestLatency last content response minus the start
 * @param interTokenLatency (request latency - TTFT) / (output tokens - 1); absent with fewer than
 *     two output tokens
 * @param outputTokenThroughputPerUserMilli 1 / ITL in milli-tokens per second; absent with ITL, or
 *     when ITL is 0
 */
public record RequestTimings(
    long timeToFirstToken,
    long timeToSecondToken,
    long requestLatency,
    long interTokenLatency,
    long outputTokenThroughputPerUserMilli) {

  /** Marks a metric the request has no value for. */
  public static final long ABSENT = -1;

  /**
   * Computes the metrics as genai-perf defines them, from the only arrivals they depend on: the
   * first, second and last.
   *
   * @param startNanos when the request was (meant to be) sent: the origin of TTFT and latency
   * @param times the request's content response arrivals
   * @param outputTokens the request's output sequence length by the tokenizer
   * @throws IllegalArgumentException with no response
   */
  public static RequestTimings compute(long startNanos, ResponseTimes times, int outputTokens) {
    if (times.count() < 1) {
      throw new IllegalArgumentException("a request with no response has no timings");
    }
    return compute(startNanos, times.first(), times.second(), times.last(), outputTokens);
  }

  private static RequestTimings compute(
      long startNanos, long first, long second, long last, int outputTokens) {
    long ttft = first - startNanos;
    long ttst = second == ABSENT ? ABSENT : second - first;
    long latency = last - startNanos;
    long itl = ABSENT;
    long perUser = ABSENT;
    if (outputTokens >= 2) {
      itl = Math.round((double) (latency - ttft) / (outputTokens - 1));
      if (itl > 0) {
        // tokens/sec = 1e9 / itl; recorded in milli-tokens/sec to keep 3 significant digits as a
        // long.
        perUser = Math.round(1e12 / ((double) (latency - ttft) / (outputTokens - 1)));
      }
    }
    return new RequestTimings(ttft, ttst, latency, itl, perUser);
  }
}
