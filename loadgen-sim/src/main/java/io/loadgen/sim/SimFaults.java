package io.loadgen.sim;

/**
 * Faults the simulated server can inject, for reliability work. All off in {@link #NONE}. Which
 * requests are hit is drawn from the server's seed and the request's number, so a run repeats.
 *
 * @param errorRate share of completion requests answered at once with HTTP 500
 * @param dropRate share of streams whose connection is closed half-way through the output
 * @param stallEveryNanos every this often the whole engine stalls (0: never)
 * @param stallNanos for this long, as a GPU hiccup or a long pause would
 * @param slowHeadersNanos every response's status and headers are held back this long
 */
public record SimFaults(
    double errorRate,
    double dropRate,
    long stallEveryNanos,
    long stallNanos,
    long slowHeadersNanos) {
  /** No faults. */
  public static final SimFaults NONE = new SimFaults(0, 0, 0, 0, 0);

  /**
   * @throws SimConfigException for a rate outside 0 to 1 or a negative time
   */
  public SimFaults {
    if (!(errorRate >= 0 && errorRate <= 1) || !(dropRate >= 0 && dropRate <= 1)) {
      throw new SimConfigException(
          "fault rates must be between 0 and 1, got error rate "
              + errorRate
              + " and drop rate "
              + dropRate);
    }
    if (stallEveryNanos < 0 || stallNanos < 0 || slowHeadersNanos < 0) {
      throw new SimConfigException("fault times must not be negative");
    }
  }
}
