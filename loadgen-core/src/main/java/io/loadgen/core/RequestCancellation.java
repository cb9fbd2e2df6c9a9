package io.loadgen.core;

import java.time.Duration;
import java.util.Objects;

/**
 * AIPerf's request cancellation: a share of the measured requests is abandoned by the client, its
 * connection closed, as users abandon streams. The delay counts from when the request's last byte
 * was written, as AIPerf counts it, so the server always has the whole request; one that finishes
 * within the delay is not cancelled. Which requests are chosen follows from the run's random seed.
 *
 * <p>A cancelled request is neither a success nor an error: it is counted in {@link
 * RunSummary#requestCancellationCount()}, left out of every distribution, and kept in the raw
 * export with its partial timings and the error kind {@value #ERROR_KIND}.
 *
 * @param ratePercent the share of measured requests to cancel, 0 to 100
 * @param delay how long after its last byte was written a chosen request is cancelled; 0 cancels it
 *     as soon as it has been sent
 */
public record RequestCancellation(double ratePercent, Duration delay) {
  /** The error kind of a cancelled request in the raw export. */
  public static final String ERROR_KIND = "cancelled";

  /**
   * @throws ProfileConfigException for a rate outside 0 to 100 or a negative delay
   */
  public RequestCancellation {
    if (!(ratePercent >= 0 && ratePercent <= 100)) {
      throw new ProfileConfigException(
          "requestCancellationRate", "must be 0 to 100 (percent of requests), got " + ratePercent);
    }
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new ProfileConfigException(
          "requestCancellationDelay",
          "must be 0 or more seconds, got " + delay.toNanos() / 1e9 + " s");
    }
  }
}
