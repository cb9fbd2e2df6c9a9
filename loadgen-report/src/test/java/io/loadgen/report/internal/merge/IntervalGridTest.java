package io.loadgen.report.internal.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Interval logs added second by second, on hand-made timelines. */
class IntervalGridTest {
  private static final long T0 = 1_796_216_008_000L;

  /** An interval from {@code startMillis} (after T0) for a second, holding {@code values}. */
  private static Histogram interval(long startMillis, long... values) {
    Histogram histogram = new Histogram(3);
    for (long value : values) {
      histogram.recordValue(value);
    }
    histogram.setStartTimeStamp(T0 + startMillis);
    histogram.setEndTimeStamp(T0 + startMillis + 1_000);
    return histogram;
  }

  private static List<Histogram> merge(List<List<Histogram>> runs) {
    List<Histogram> merged = new ArrayList<>();
    IntervalGrid.merge(runs.stream().map(List::iterator).toList(), T0, merged::add);
    return merged;
  }

  @Test
  void podsStartedTogetherHaveEachSecondOfEveryPodInOneInterval() {
    List<Histogram> merged =
        merge(
            List.of(
                List.of(interval(0, 10, 20), interval(1_000, 30)),
                List.of(interval(20, 40), interval(1_020, 50, 60))));

    assertEquals(2, merged.size());
    assertEquals(3, merged.get(0).getTotalCount());
    assertEquals(40, merged.get(0).getMaxValue());
    assertEquals(T0, merged.get(0).getStartTimeStamp());
    assertEquals(T0 + 1_020, merged.get(0).getEndTimeStamp());
    assertEquals(3, merged.get(1).getTotalCount());
    assertEquals(T0 + 1_000, merged.get(1).getStartTimeStamp());
    assertEquals(T0 + 2_020, merged.get(1).getEndTimeStamp());
  }

  @Test
  void aPodThatStartedLaterAddsItsSecondsToThoseTheyFallIn() {
    List<Histogram> merged =
        merge(
            List.of(
                List.of(interval(0, 1), interval(1_000, 2), interval(2_000, 3)),
                // Started 1.4 s later: its first second is the merged run's second 1.
                List.of(interval(1_400, 4), interval(2_400, 5), interval(3_400, 6))));

    assertEquals(List.of(1L, 2L, 2L, 1L), merged.stream().map(Histogram::getTotalCount).toList());
    assertEquals(T0 + 3_400, merged.get(3).getStartTimeStamp());
  }

  @Test
  void theMergedIntervalsAddUpToTheSumOfEveryRunWhateverTheOffsets() {
    List<List<Histogram>> runs = new ArrayList<>();
    Histogram all = new Histogram(3);
    for (int run = 0; run < 3; run++) {
      List<Histogram> intervals = new ArrayList<>();
      for (int second = 0; second < 5; second++) {
        long[] values = {run * 1_000 + second + 1, 7 * (run + 1) * (second + 1)};
        intervals.add(interval(run * 499 + second * 1_000L, values));
        for (long value : values) {
          all.recordValue(value);
        }
      }
      runs.add(intervals);
    }

    Histogram sum = new Histogram(3);
    merge(runs).forEach(sum::add);

    assertEquals(all, sum);
  }

  @Test
  void runsWithoutIntervalsMergeIntoNone() {
    assertEquals(List.of(), merge(List.of(List.of(), List.of())));
  }
}
