package io.loadgen.core.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequestTimingsTest {
  private static final long MS = 1_000_000;

  @Test
  void computesGenaiPerfDefinitionsFromAHandMadeTimeline() {
    // Sent at 1000 ms; tokens at 1050, 1060, 1075, 1090 ms (4 responses, 4 output tokens).
    long[] responses = {1050 * MS, 1060 * MS, 1075 * MS, 1090 * MS};
    RequestTimings t = RequestTimings.compute(1000 * MS, times(responses), 4);
    assertEquals(50 * MS, t.timeToFirstToken());
    assertEquals(10 * MS, t.timeToSecondToken());
    assertEquals(90 * MS, t.requestLatency());
    // (90 - 50) / (4 - 1) = 13.333 ms
    assertEquals(13_333_333, t.interTokenLatency());
    // 1 / 13.333 ms = 75 tokens/s = 75,000 milli-tokens/s
    assertEquals(75_000, t.outputTokenThroughputPerUserMilli());
  }

  @Test
  void dividesByOutputTokensNotByResponsesWhenAChunkCarriesSeveralTokens() {
    // Two responses carrying 5 tokens in all: ITL = (latency - TTFT) / (5 - 1).
    long[] responses = {100 * MS, 180 * MS};
    RequestTimings t = RequestTimings.compute(0, times(responses), 5);
    assertEquals(100 * MS, t.timeToFirstToken());
    assertEquals(80 * MS, t.timeToSecondToken());
    assertEquals(20 * MS, t.interTokenLatency());
    assertEquals(50_000, t.outputTokenThroughputPerUserMilli());
  }

  @Test
  void leavesSecondTokenAndInterTokenLatencyAbsentForASingleToken() {
    RequestTimings t = RequestTimings.compute(0, times(30 * MS), 1);
    assertEquals(30 * MS, t.timeToFirstToken());
    assertEquals(30 * MS, t.requestLatency());
    assertEquals(RequestTimings.ABSENT, t.timeToSecondToken());
    assertEquals(RequestTimings.ABSENT, t.interTokenLatency());
    assertEquals(RequestTimings.ABSENT, t.outputTokenThroughputPerUserMilli());
  }

  @Test
  void refusesARequestWithoutResponses() {
    assertThrows(IllegalArgumentException.class, () -> RequestTimings.compute(0, times(), 0));
  }

  private static ResponseTimes times(long... arrivals) {
    ResponseTimes times = ResponseTimes.every(arrivals.length);
    for (long arrival : arrivals) {
      times.add(arrival);
    }
    return times;
  }
}
