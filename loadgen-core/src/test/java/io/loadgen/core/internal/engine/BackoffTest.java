package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The backoff on a virtual clock, in nanoseconds. */
class BackoffTest {
  private static final long MS = 1_000_000;
  private static final long NO_RETRY_AFTER = -1;

  @Test
  void eachRefusalAfterAHoldDoublesTheNextUpToTwoSeconds() {
    Backoff backoff = new Backoff();
    assertEquals(Backoff.NONE, backoff.untilNanos());
    long now = 1_000 * MS;
    long[] delays = {50, 100, 200, 400, 800, 1_600, 2_000, 2_000};
    for (long delay : delays) {
      backoff.finished("connection_refused", NO_RETRY_AFTER, now);
      assertEquals(now + delay * MS, backoff.untilNanos(), "after " + delay);
      now = backoff.untilNanos() + MS; // the next send, refused a moment later
    }
  }

  @Test
  void refusalsOfRequestsInFlightTogetherHoldOnceRatherThanCompounding() {
    Backoff backoff = new Backoff();
    backoff.finished("connection_refused", NO_RETRY_AFTER, 0);
    backoff.finished("connection_refused", NO_RETRY_AFTER, MS);
    backoff.finished("connection_refused", NO_RETRY_AFTER, 2 * MS);
    assertEquals(50 * MS, backoff.untilNanos());
    backoff.finished("connection_refused", NO_RETRY_AFTER, 51 * MS);
    assertEquals(151 * MS, backoff.untilNanos(), "the next one doubles");
  }

  @Test
  void aSuccessStartsTheBackoffAfresh() {
    Backoff backoff = new Backoff();
    backoff.finished("connection_refused", NO_RETRY_AFTER, 0);
    backoff.finished("connection_refused", NO_RETRY_AFTER, 60 * MS);
    backoff.finished(null, NO_RETRY_AFTER, 70 * MS);
    assertEquals(Backoff.NONE, backoff.untilNanos());
    backoff.finished("connection_refused", NO_RETRY_AFTER, 80 * MS);
    assertEquals(130 * MS, backoff.untilNanos());
  }

  @Test
  void otherFailuresDoNotHold() {
    Backoff backoff = new Backoff();
    for (String kind :
        new String[] {"connection_reset", "connection_closed", "timeout", "http_500", "http_429"}) {
      backoff.finished(kind, NO_RETRY_AFTER, 0);
    }
    backoff.finished("http_500", 5_000 * MS, 0);
    assertEquals(Backoff.NONE, backoff.untilNanos(), "Retry-After counts on 429 and 503 only");
  }

  @Test
  void retryAfterOn429Or503HoldsThatLongUpToAMinuteAndASuccessDoesNotShortenIt() {
    Backoff backoff = new Backoff();
    backoff.finished("http_429", 2_000 * MS, 100 * MS);
    assertEquals(2_100 * MS, backoff.untilNanos());
    backoff.finished(null, NO_RETRY_AFTER, 200 * MS);
    assertEquals(2_100 * MS, backoff.untilNanos(), "the server asked for the wait");
    backoff.finished("http_503", 3_600_000 * MS, 300 * MS);
    assertEquals(60_300 * MS, backoff.untilNanos(), "capped at 60 s");
    backoff.finished("http_503", 0, 400 * MS);
    assertEquals(60_300 * MS, backoff.untilNanos(), "a shorter wait does not cut a longer one");
  }
}
