package io.loadgen.core.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadMode;
import io.loadgen.core.ProfileConfigException;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  @Test
  void spacesConstantArrivalsExactlyOneOverTheRateApart() {
    ArrivalSchedule schedule =
        new ArrivalSchedule(new LoadMode.RequestRate(4, LoadMode.Arrivals.CONSTANT), 1);
    assertEquals(0, schedule.nextOffsetNanos());
    assertEquals(250_000_000, schedule.nextOffsetNanos());
    assertEquals(500_000_000, schedule.nextOffsetNanos());
    assertEquals(750_000_000, schedule.nextOffsetNanos());
  }

  @Test
  void drawsPoissonGapsWithTheRequestedMeanAndVariance() {
    ArrivalSchedule schedule =
        new ArrivalSchedule(new LoadMode.RequestRate(50, LoadMode.Arrivals.POISSON), 7);
    double[] gaps = gapMeanAndVariation(schedule, 100_000);
    double mean = gaps[0];
    double variance = Math.pow(gaps[0] * gaps[1], 2);
    // Exponential with rate 50: mean 20 ms, standard deviation 20 ms.
    assertEquals(0.020, mean, 0.0004);
    assertEquals(0.020, Math.sqrt(variance), 0.0006);
  }

  /** The mean and coefficient of variation of n gaps of the schedule. */
  private static double[] gapMeanAndVariation(ArrivalSchedule schedule, int n) {
    long previous = schedule.nextOffsetNanos();
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      long next = schedule.nextOffsetNanos();
      double gap = (next - previous) / 1e9;
      sum += gap;
      sumSquares += gap * gap;
      previous = next;
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(sumSquares / n - mean * mean) / mean};
  }

  @Test
  void gammaGapsKeepTheRateWhileBurstinessSetsTheirSpread() {
    // A gamma of shape k has a coefficient of variation of 1 / sqrt(k): 2 at k = 0.25 (bursts),
    // 1 at k = 1 (Poisson), 0.5 at k = 4 (more regular); the mean stays 1 / rate.
    for (double burstiness : new double[] {0.25, 1, 4}) {
      double[] gaps =
          gapMeanAndVariation(
              new ArrivalSchedule(
                  new LoadMode.RequestRate(50, LoadMode.Arrivals.GAMMA, burstiness), 11),
              200_000);
      assertEquals(0.020, gaps[0], 0.0005, "mean gap at burstiness " + burstiness);
      assertEquals(
          1 / Math.sqrt(burstiness), gaps[1], 0.04, "variation at burstiness " + burstiness);
    }
  }

  @Test
  void gammaArrivalsAreSeeded() {
    LoadMode.RequestRate rate = new LoadMode.RequestRate(10, LoadMode.Arrivals.GAMMA, 0.5);
    ArrivalSchedule a = new ArrivalSchedule(rate, 42);
    ArrivalSchedule b = new ArrivalSchedule(rate, 42);
    ArrivalSchedule c = new ArrivalSchedule(rate, 43);
    boolean differs = false;
    for (int i = 0; i < 100; i++) {
      long next = a.nextOffsetNanos();
      assertEquals(next, b.nextOffsetNanos());
      differs |= next != c.nextOffsetNanos();
    }
    assertTrue(differs, "another seed, another schedule");
  }

  @Test
  void burstinessIsRefusedOutOfRangeOrWithoutGamma() {
    assertThrows(
        ProfileConfigException.class,
        () -> new LoadMode.RequestRate(10, LoadMode.Arrivals.GAMMA, 0));
    assertThrows(
        ProfileConfigException.class,
        () -> new LoadMode.RequestRate(10, LoadMode.Arrivals.GAMMA, Double.NaN));
    ProfileConfigException e =
        assertThrows(
            ProfileConfigException.class,
            () -> new LoadMode.RequestRate(10, LoadMode.Arrivals.POISSON, 0.5));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
  }

  @Test
  void sameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    LoadMode.RequestRate rate = new LoadMode.RequestRate(10, LoadMode.Arrivals.POISSON);
    ArrivalSchedule a = new ArrivalSchedule(rate, 42);
    ArrivalSchedule b = new ArrivalSchedule(rate, 42);
    ArrivalSchedule c = new ArrivalSchedule(rate, 43);
    long lastA = 0;
    long lastC = 0;
    for (int i = 0; i < 100; i++) {
      lastA = a.nextOffsetNanos();
      assertEquals(lastA, b.nextOffsetNanos());
      lastC = c.nextOffsetNanos();
    }
    assertNotEquals(lastA, lastC);
  }

  @Test
  void keepsTheSlowestRatesOffsetsBelowTheEndOfScheduleMarkForEver() {
    // One arrival every 1,000 s: after 9.3 million of them the sum of gaps passes Long.MAX_VALUE,
    // which would read as "no more arrivals" (or wrap when added to the start time). Poisson
    // arrivals saturate by the same line; constant ones get there in a known number of steps.
    ArrivalSchedule schedule =
        new ArrivalSchedule(
            new LoadMode.RequestRate(
                LoadMode.RequestRate.MIN_REQUESTS_PER_SECOND, LoadMode.Arrivals.CONSTANT),
            3);
    long previous = -1;
    for (int i = 0; i < 10_000_000; i++) {
      long next = schedule.nextOffsetNanos();
      if (next < previous || next > ArrivalSchedule.MAX_OFFSET_NANOS) {
        throw new AssertionError("arrival " + i + " at " + next + " ns, after " + previous);
      }
      previous = next;
    }
    assertEquals(ArrivalSchedule.MAX_OFFSET_NANOS, previous);
  }
}
