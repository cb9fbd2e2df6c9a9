package io.loadgen.core.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class IntervalHistogramsTest {
  private static final long S = 1_000_000_000L;
  private static final long ORIGIN = 5 * S; // the clock's origin is not 0
  private static final long EPOCH_MS = 1_700_000_000_000L;

  @Test
  void putsEachValueInTheSecondItsRequestEndedInWithEpochBoundaries() {
    IntervalHistograms series = new IntervalHistograms(ORIGIN);
    series.record(10, ORIGIN + S / 2);
    series.record(20, ORIGIN + S - 1);
    series.record(30, ORIGIN + S);
    series.record(40, ORIGIN + 3 * S + 1);
    series.record(50, ORIGIN + S / 4); // late: second 0 was over
    List<Histogram> intervals = series.intervals(EPOCH_MS * 1_000_000, ORIGIN);
    assertEquals(List.of(3L, 1L, 0L, 1L), counts(intervals));
    assertEquals(50, intervals.get(0).getMaxValue());
    assertEquals(40, intervals.get(3).getMaxValue());
    for (int i = 0; i < 4; i++) {
      assertEquals(EPOCH_MS + i * 1000L, intervals.get(i).getStartTimeStamp());
      assertEquals(EPOCH_MS + (i + 1) * 1000L, intervals.get(i).getEndTimeStamp());
    }
  }

  @Test
  void startsAtTheIntervalOfTheMeasurementWhichStartsTheFirstOne() {
    IntervalHistograms series = new IntervalHistograms(ORIGIN);
    series.record(1, ORIGIN + 2 * S + S / 2);
    series.record(2, ORIGIN + 3 * S);
    List<Histogram> intervals = series.intervals(EPOCH_MS * 1_000_000, ORIGIN + 2 * S + S / 4);
    assertEquals(List.of(1L, 1L), counts(intervals));
    assertEquals(EPOCH_MS + 2_250, intervals.get(0).getStartTimeStamp());
    assertEquals(EPOCH_MS + 3_000, intervals.get(0).getEndTimeStamp());
  }

  @Test
  void addsTheLoopsSeriesIntervalByInterval() {
    IntervalHistograms one = new IntervalHistograms(ORIGIN);
    IntervalHistograms two = new IntervalHistograms(ORIGIN);
    one.record(1, ORIGIN);
    one.record(2, ORIGIN + S);
    two.record(3, ORIGIN + S);
    two.record(4, ORIGIN + 2 * S);
    IntervalHistograms all = new IntervalHistograms(ORIGIN);
    all.addAll(one);
    all.addAll(two);
    assertEquals(List.of(1L, 2L, 1L), counts(all.intervals(EPOCH_MS * 1_000_000, ORIGIN)));
  }

  @Test
  void coarsensToTenSecondIntervalsAfterTheFirstHour() {
    assertEquals(3_599, IntervalHistograms.indexOf(3_599 * S + S - 1));
    assertEquals(3_600, IntervalHistograms.indexOf(3_600 * S));
    assertEquals(3_600, IntervalHistograms.indexOf(3_609 * S));
    assertEquals(3_601, IntervalHistograms.indexOf(3_610 * S));
    assertEquals(3_610 * S, IntervalHistograms.startOf(3_601));
    IntervalHistograms series = new IntervalHistograms(ORIGIN);
    series.record(1, ORIGIN + 3_605 * S);
    series.record(2, ORIGIN + 3_609 * S);
    List<Histogram> intervals = series.intervals(EPOCH_MS * 1_000_000, ORIGIN);
    assertEquals(3_601, intervals.size());
    assertEquals(2, intervals.get(3_600).getTotalCount());
    assertEquals(EPOCH_MS + 3_600_000, intervals.get(3_600).getStartTimeStamp());
    assertEquals(EPOCH_MS + 3_610_000, intervals.get(3_600).getEndTimeStamp());
  }

  @Test
  void theIntervalsOfARecorderHoldExactlyItsWholeRunHistograms() {
    MetricsRecorder recorder = new MetricsRecorder(true, java.util.Map.of(), ORIGIN);
    for (int i = 0; i < 50; i++) {
      long end = ORIGIN + i * S / 10;
      recorder.recordSuccess(end - S / 20, new RequestTimings(10 + i, 5, 20 + i, 3, 9), 4, 6, end);
      recorder.recordSendLag(end - S / 20, end - S / 20 + i, end);
    }
    for (io.loadgen.core.Metric metric : io.loadgen.core.Metric.values()) {
      Histogram sum = new Histogram(3);
      recorder.intervals(metric, EPOCH_MS * 1_000_000, ORIGIN).forEach(sum::add);
      assertEquals(recorder.histograms().get(metric), sum, metric.key());
    }
    assertEquals(
        List.of(10L, 10L, 10L, 10L, 10L),
        counts(
            recorder.intervals(
                io.loadgen.core.Metric.REQUEST_LATENCY, EPOCH_MS * 1_000_000, ORIGIN)));
  }

  private static List<Long> counts(List<Histogram> intervals) {
    return intervals.stream().map(Histogram::getTotalCount).toList();
  }
}
