package io.loadgen.report.internal.merge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Adds the interval logs of runs that went at the same time into one log of the same shape: the
 * intervals of every run that begin in the same second (counted from {@code originEpochMillis},
 * each interval's start rounded to the nearest second) become one interval, their histograms added
 * value by value, from the earliest start among them to the latest end. Pods that started together
 * ({@code --start-at}) have intervals a few milliseconds apart, so each merged interval holds the
 * requests that ended in that second of every pod; a pod that started later has its seconds added
 * to the seconds of the merged run they fall in. Whatever the offsets, every interval goes into
 * exactly one merged interval (a run's intervals are a second or more apart, so no two of one run
 * meet), and the merged log adds up to the sum of the runs' histograms.
 *
 * <p>The logs are read side by side, oldest interval first: only one interval of each run and the
 * merged one are decoded at a time, however long the runs.
 */
public final class IntervalGrid {
  private IntervalGrid() {}

  /**
   * @param runs each run's intervals, oldest first, with epoch-millisecond start and end timestamps
   * @param originEpochMillis the merged run's start: the earliest of the runs' starts
   * @param merged receives each merged interval, oldest first
   */
  public static void merge(
      List<? extends Iterator<Histogram>> runs,
      long originEpochMillis,
      Consumer<Histogram> merged) {
    List<Histogram> heads = new ArrayList<>();
    for (Iterator<Histogram> run : runs) {
      heads.add(run.hasNext() ? run.next() : null);
    }
    while (true) {
      long second = Long.MAX_VALUE;
      for (Histogram head : heads) {
        if (head != null) {
          second = Math.min(second, secondOf(head, originEpochMillis));
        }
      }
      if (second == Long.MAX_VALUE) {
        return;
      }
      Histogram sum = null;
      for (int i = 0; i < heads.size(); i++) {
        Histogram head = heads.get(i);
        if (head == null || secondOf(head, originEpochMillis) != second) {
          continue;
        }
        if (sum == null) {
          sum = new Histogram(head.getNumberOfSignificantValueDigits());
          sum.setStartTimeStamp(head.getStartTimeStamp());
          sum.setEndTimeStamp(head.getEndTimeStamp());
        }
        sum.add(head);
        sum.setStartTimeStamp(Math.min(sum.getStartTimeStamp(), head.getStartTimeStamp()));
        sum.setEndTimeStamp(Math.max(sum.getEndTimeStamp(), head.getEndTimeStamp()));
        Iterator<Histogram> run = runs.get(i);
        heads.set(i, run.hasNext() ? run.next() : null);
      }
      merged.accept(sum);
    }
  }

  private static long secondOf(Histogram interval, long originEpochMillis) {
    return Math.round((interval.getStartTimeStamp() - originEpochMillis) / 1000.0);
  }
}
