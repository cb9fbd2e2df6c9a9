package io.loadgen.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");
  private static final long S = 1_000_000_000L;

  @Test
  void readsSeconds() {
    assertEquals(120 * S, RetryAfter.delayNanos("120", NOW));
    assertEquals(0, RetryAfter.delayNanos("0", NOW));
    assertEquals(5 * S, RetryAfter.delayNanos(" 5 ", NOW));
    assertEquals(
        Long.MAX_VALUE / S * S, RetryAfter.delayNanos("99999999999999999999999", NOW), "saturates");
  }

  @Test
  void readsAnHttpDateInEachFormatARecipientMustAccept() {
    assertEquals(90 * S, RetryAfter.delayNanos("Wed, 21 Oct 2015 07:29:30 GMT", NOW));
    assertEquals(90 * S, RetryAfter.delayNanos("Wednesday, 21-Oct-15 07:29:30 GMT", NOW));
    assertEquals(90 * S, RetryAfter.delayNanos("Wed Oct 21 07:29:30 2015", NOW));
  }

  @Test
  void aDatePastIsNoWait() {
    assertEquals(0, RetryAfter.delayNanos("Wed, 21 Oct 2015 07:00:00 GMT", NOW));
  }

  @Test
  void nothingReadableIsNone() {
    assertEquals(RetryAfter.NONE, RetryAfter.delayNanos(null, NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.delayNanos("", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.delayNanos("-5", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.delayNanos("1.5", NOW));
    assertEquals(RetryAfter.NONE, RetryAfter.delayNanos("soon", NOW));
  }
}
