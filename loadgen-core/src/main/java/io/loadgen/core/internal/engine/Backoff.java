package io.loadgen.core.internal.engine;

import io.loadgen.core.internal.client.ErrorKinds;

/**
 * How long one event loop holds back its next send after the server said it cannot take one: a pure
 * model, fed each finished request and its time, read by the loop's {@link Pacer}.
 *
 * <ul>
 *   <li>a refused connection ({@value ErrorKinds#CONNECTION_REFUSED}: the server is down or
 *       restarting) holds the next send {@value #FIRST_REFUSED_DELAY_MILLIS} ms, then twice as long
 *       after each further refusal, up to {@value #MAX_REFUSED_DELAY_MILLIS} ms, so that an outage
 *       does not spend the run's requests in a few milliseconds; a refusal seen while already held
 *       (the other requests in flight failing together) does not lengthen it; any success starts
 *       the backoff afresh;
 *   <li>an HTTP 429 or 503 with a {@code Retry-After} holds the next send that long, up to {@value
 *       #MAX_RETRY_AFTER_SECONDS} s; a success does not shorten a wait the server asked for.
 * </ul>
 *
 * The request that failed is counted as failed all the same; only the sends after it wait.
 */
final class Backoff {
  static final long FIRST_REFUSED_DELAY_MILLIS = 50;
  static final long MAX_REFUSED_DELAY_MILLIS = 2_000;
  static final long MAX_RETRY_AFTER_SECONDS = 60;

  /** No hold. */
  static final long NONE = Long.MIN_VALUE;

  private static final long FIRST_REFUSED_DELAY_NANOS = FIRST_REFUSED_DELAY_MILLIS * 1_000_000;
  private static final long MAX_REFUSED_DELAY_NANOS = MAX_REFUSED_DELAY_MILLIS * 1_000_000;
  private static final long MAX_RETRY_AFTER_NANOS = MAX_RETRY_AFTER_SECONDS * 1_000_000_000;

  private long refusedDelayNanos = FIRST_REFUSED_DELAY_NANOS;
  private long refusedUntilNanos = NONE;
  private long retryAfterUntilNanos = NONE;

  /**
   * A request finished at {@code nowNanos}.
   *
   * @param errorKind null for a success
   * @param retryAfterNanos the wait the response's {@code Retry-After} asked for, or negative
   */
  void finished(String errorKind, long retryAfterNanos, long nowNanos) {
    if (errorKind == null) {
      refusedDelayNanos = FIRST_REFUSED_DELAY_NANOS;
      refusedUntilNanos = NONE;
    } else if (errorKind.equals(ErrorKinds.CONNECTION_REFUSED)) {
      if (nowNanos >= refusedUntilNanos) {
        refusedUntilNanos = nowNanos + refusedDelayNanos;
        refusedDelayNanos = Math.min(2 * refusedDelayNanos, MAX_REFUSED_DELAY_NANOS);
      }
    } else if (retryAfterNanos >= 0
        && (errorKind.equals(ErrorKinds.httpStatus(429))
            || errorKind.equals(ErrorKinds.httpStatus(503)))) {
      retryAfterUntilNanos =
          Math.max(
              retryAfterUntilNanos, nowNanos + Math.min(retryAfterNanos, MAX_RETRY_AFTER_NANOS));
    }
  }

  /** No send before this time, or {@link #NONE}. */
  long untilNanos() {
    return Math.max(refusedUntilNanos, retryAfterUntilNanos);
  }
}
