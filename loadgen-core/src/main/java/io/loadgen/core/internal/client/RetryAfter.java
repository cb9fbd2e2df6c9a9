package io.loadgen.core.internal.client;

import io.netty.handler.codec.DateFormatter;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110, section 10.2.3): a number of seconds, or an
 * HTTP-date, which Netty's {@link DateFormatter} parses in all three of the formats a recipient
 * must accept.
 */
public final class RetryAfter {
  /** What {@link #delayNanos} returns for a value that is absent or says nothing readable. */
  public static final long NONE = -1;

  private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

  private RetryAfter() {}

  /**
   * The wait {@code value} asks for, in nanoseconds from {@code now}: 0 for a date already past,
   * {@link #NONE} for null or a value that is neither seconds nor a date. Not capped: the caller
   * decides how long it is willing to wait.
   */
  public static long delayNanos(String value, Instant now) {
    if (value == null) {
      return NONE;
    }
    String trimmed = value.trim();
    if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // A number too long for a long is still a number of seconds: as long a wait as there is.
      long seconds = trimmed.length() > 18 ? MAX_SECONDS : Long.parseLong(trimmed);
      return Math.min(seconds, MAX_SECONDS) * 1_000_000_000L;
    }
    Date date = DateFormatter.parseHttpDate(trimmed);
    if (date == null) {
      return NONE;
    }
    Duration wait = Duration.between(now, date.toInstant());
    return wait.isNegative() ? 0 : wait.toNanos();
  }
}
