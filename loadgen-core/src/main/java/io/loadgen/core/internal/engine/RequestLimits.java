package io.loadgen.core.internal.engine;

import io.loadgen.core.Endpoint;
import java.time.Duration;

/**
 * The two limits on a request's time (see {@link Endpoint#requestTimeout()} and {@link
 * Endpoint#requestDeadline()}), which of them a request has run past, and the words for it. Pure:
 * times are given, so tests need no clock.
 */
final class RequestLimits {
  /** Which limit a request ran past. */
  enum Limit {
    /** No progress from the server for the idle limit. */
    IDLE("requestTimeout"),
    /** Not finished within the deadline from its intended send. */
    DEADLINE("requestDeadline");

    private final String setting;

    Limit(String setting) {
      this.setting = setting;
    }

    /** The API setting that sets this limit, for a caller to name it as it does. */
    String setting() {
      return setting;
    }
  }

  /** The sweep's period is at most this, so a limit is acted on within a second of being passed. */
  private static final long MAX_SWEEP_NANOS = 1_000_000_000L;

  private final Duration idle;
  private final Duration deadline;
  private final long idleNanos;
  private final long deadlineNanos;

  /** Either may be null for no limit. */
  RequestLimits(Duration idle, Duration deadline) {
    this.idle = idle;
    this.deadline = deadline;
    this.idleNanos = idle == null ? Long.MAX_VALUE : idle.toNanos();
    this.deadlineNanos = deadline == null ? Long.MAX_VALUE : deadline.toNanos();
  }

  static RequestLimits of(Endpoint endpoint) {
    return new RequestLimits(endpoint.requestTimeout(), endpoint.requestDeadline());
  }

  boolean any() {
    return idle != null || deadline != null;
  }

  /**
   * How often the requests are checked: a quarter of the shorter limit, at most a second, so that a
   * request is failed at most a quarter (or a second) after its limit.
   */
  long sweepPeriodNanos() {
    return Math.min(MAX_SWEEP_NANOS, Math.min(idleNanos, deadlineNanos) / 4);
  }

  /**
   * The limit a request has run past at {@code nowNanos}, or null. Silence is named first when both
   * are past: it says more about the server.
   */
  Limit exceeded(long intendedNanos, long lastProgressNanos, long nowNanos) {
    if (nowNanos - lastProgressNanos >= idleNanos) {
      return Limit.IDLE;
    }
    if (nowNanos - intendedNanos >= deadlineNanos) {
      return Limit.DEADLINE;
    }
    return null;
  }

  /** The error message of one request that ran past {@code limit}. */
  String requestMessage(Limit limit) {
    return limit == Limit.IDLE
        ? "no data from the server for " + describe(idle)
        : "not finished within the request deadline of " + describe(deadline);
  }

  /** The one line that says {@code requests} requests ran past {@code limit}. */
  String warning(Limit limit, long requests) {
    String them = requests == 1 ? "1 request; it counts" : requests + " requests; they count";
    return limit == Limit.IDLE
        ? "the server sent no data for " + describe(idle) + " on " + them + " as timeout"
        : "the request deadline of " + describe(deadline) + " ran out on " + them + " as timeout";
  }

  /** {@code 60 s}, {@code 1.5 s}, {@code 300 ms}. */
  static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
  }
}
