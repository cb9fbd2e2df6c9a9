package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.loadgen.core.internal.engine.RequestLimits.Limit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  private static final long MS = 1_000_000;

  @Test
  void silenceCountsFromTheLastProgressAndTheDeadlineFromTheIntendedSend() {
    RequestLimits limits = new RequestLimits(Duration.ofMillis(300), Duration.ofSeconds(2));
    // Intended at 0 (an open loop's schedule), sent late, last chunk at 1,000 ms.
    assertNull(limits.exceeded(0, 1_000 * MS, 1_299 * MS));
    assertEquals(Limit.IDLE, limits.exceeded(0, 1_000 * MS, 1_300 * MS));
    // Chunks keep coming, but the deadline counts from the intended send, as latency does.
    assertNull(limits.exceeded(0, 1_950 * MS, 1_999 * MS));
    assertEquals(Limit.DEADLINE, limits.exceeded(0, 1_950 * MS, 2_000 * MS));
    // Both past: silence says more about the server.
    assertEquals(Limit.IDLE, limits.exceeded(0, 1_000 * MS, 2_500 * MS));
  }

  @Test
  void sweepsAQuarterOfTheShorterLimitAndAtLeastEverySecond() {
    assertEquals(75 * MS, new RequestLimits(Duration.ofMillis(300), null).sweepPeriodNanos());
    assertEquals(
        125 * MS,
        new RequestLimits(Duration.ofSeconds(60), Duration.ofMillis(500)).sweepPeriodNanos());
    assertEquals(
        1_000 * MS,
        new RequestLimits(Duration.ofSeconds(60), Duration.ofMinutes(10)).sweepPeriodNanos());
    RequestLimits none = new RequestLimits(null, null);
    assertFalse(none.any());
    assertNull(none.exceeded(0, 0, Long.MAX_VALUE / 2));
  }

  @Test
  void saysWhichLimitWasHitWithoutNamingAFlag() {
    RequestLimits limits = new RequestLimits(Duration.ofSeconds(60), Duration.ofMillis(1500));
    assertEquals("no data from the server for 60 s", limits.requestMessage(Limit.IDLE));
    assertEquals(
        "not finished within the request deadline of 1.5 s", limits.requestMessage(Limit.DEADLINE));
    assertEquals(
        "the server sent no data for 60 s on 12 requests; they count as timeout",
        limits.warning(Limit.IDLE, 12));
    assertEquals(
        "the request deadline of 1.5 s ran out on 1 request; it counts as timeout",
        limits.warning(Limit.DEADLINE, 1));
    assertEquals("requestTimeout", Limit.IDLE.setting());
    assertEquals("requestDeadline", Limit.DEADLINE.setting());
    assertEquals("300 ms", RequestLimits.describe(Duration.ofMillis(300)));
    assertEquals("10 s", RequestLimits.describe(Duration.ofSeconds(10)));
  }
}
