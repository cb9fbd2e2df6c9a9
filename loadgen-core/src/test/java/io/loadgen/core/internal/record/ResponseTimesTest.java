package io.loadgen.core.internal.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ResponseTimesTest {
  private static final long MS = 1_000_000;

  @Test
  void keepsEveryArrivalInOrderAndGrowsPastTheExpectedCount() {
    ResponseTimes times = ResponseTimes.every(4);
    long[] arrivals = LongStream.range(0, 100).map(i -> 1_000 + i * 7).toArray();
    for (long arrival : arrivals) {
      times.add(arrival);
    }
    assertArrayEquals(arrivals, times.toArray());
    assertEquals(100, times.count());
    assertEquals(1_000, times.first());
    assertEquals(1_007, times.second());
    assertEquals(1_693, times.last());
  }

  @Test
  void firstSecondAndLastGiveTheSameTimingsAsEveryArrival() {
    long[] arrivals = {1050 * MS, 1060 * MS, 1075 * MS, 1090 * MS, 1130 * MS};
    ResponseTimes few = ResponseTimes.firstSecondAndLast();
    ResponseTimes all = ResponseTimes.every(5);
    for (long arrival : arrivals) {
      few.add(arrival);
      all.add(arrival);
    }
    RequestTimings expected = RequestTimings.compute(1000 * MS, all, 6);
    assertEquals(expected, RequestTimings.compute(1000 * MS, few, 6));
    assertEquals(50 * MS, expected.timeToFirstToken());
    assertEquals(10 * MS, expected.timeToSecondToken());
    assertEquals(130 * MS, expected.requestLatency());
    assertEquals(16 * MS, expected.interTokenLatency());
  }

  @Test
  void aSingleArrivalHasNoSecond() {
    ResponseTimes times = ResponseTimes.firstSecondAndLast();
    times.add(42);
    assertEquals(RequestTimings.ABSENT, times.second());
    assertEquals(42, times.first());
    assertEquals(42, times.last());
    assertEquals(RequestTimings.ABSENT, RequestTimings.compute(0, times, 1).timeToSecondToken());
  }

  @Test
  void refusesToListArrivalsItDidNotKeep() {
    ResponseTimes times = ResponseTimes.firstSecondAndLast();
    times.add(1);
    assertThrows(IllegalStateException.class, times::toArray);
    assertThrows(
        IllegalArgumentException.class,
        () -> RequestTimings.compute(0, ResponseTimes.firstSecondAndLast(), 0));
  }
}
