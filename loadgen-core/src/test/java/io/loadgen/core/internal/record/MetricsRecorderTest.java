package io.loadgen.core.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Metric;
import io.loadgen.core.MetricStats;
import io.loadgen.core.RunSummary;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsRecorderTest {
  private static final long MS = 1_000_000;

  @Test
  void derivesRunFiguresFromTheEarliestSendToTheLatestResponse() {
    MetricsRecorder recorder = new MetricsRecorder(true, Map.of());
    // Request A: 0 -> 1000 ms, 100 tokens. Request B: 500 -> 2000 ms, 300 tokens.
    recorder.recordSuccess(0, timings(0, 100, 1000, 100), 50, 100, 1000 * MS);
    recorder.recordSuccess(500 * MS, timings(500, 600, 2000, 300), 70, 300, 2000 * MS);
    RunSummary summary = recorder.summary(0, 0, false, 0, null);
    assertEquals(2000 * MS, summary.benchmarkDurationNanos());
    assertEquals(400, summary.totalOutputTokens());
    assertEquals(200.0, summary.outputTokenThroughput(), 1e-9);
    assertEquals(1.0, summary.requestThroughput(), 1e-9);
    assertEquals(120, summary.totalInputTokens());
    assertTrue(summary.requestGoodput().isEmpty());
  }

  @Test
  void countsFailuresByKindOutsideTheDistributionsButInsideTheDuration() {
    MetricsRecorder recorder = new MetricsRecorder(true, Map.of());
    recorder.recordSuccess(0, timings(0, 10, 100, 10), 5, 10, 100 * MS);
    recorder.recordFailure("http_500", 50 * MS, 400 * MS);
    recorder.recordFailure("http_500", 60 * MS, 300 * MS);
    recorder.recordFailure("connection_reset", 70 * MS, 200 * MS);
    RunSummary summary = recorder.summary(2, 0, true, 0, null);
    assertEquals(1, summary.requestCount());
    assertEquals(3, summary.errorCount());
    assertEquals(Map.of("http_500", 2L, "connection_reset", 1L), summary.errorsByKind());
    assertEquals(400 * MS, summary.benchmarkDurationNanos());
    assertEquals(2, summary.cancelledCount());
    assertTrue(summary.interrupted());
    assertEquals(1, recorder.histograms().get(Metric.REQUEST_LATENCY).getTotalCount());
  }

  @Test
  void countsAsGoodOnlyRequestsMeetingEveryObjective() {
    MetricsRecorder recorder =
        new MetricsRecorder(
            true, Map.of(Metric.TIME_TO_FIRST_TOKEN, 50.0, Metric.REQUEST_LATENCY, 1000.0));
    recorder.recordSuccess(0, timings(0, 40, 900, 10), 1, 10, 900 * MS); // good
    recorder.recordSuccess(0, timings(0, 60, 900, 10), 1, 10, 900 * MS); // TTFT too slow
    recorder.recordSuccess(0, timings(0, 40, 1500, 10), 1, 10, 1500 * MS); // latency too slow
    RunSummary summary = recorder.summary(0, 0, false, 0, null);
    // 1 good request over 1.5 s.
    assertEquals(1 / 1.5, summary.requestGoodput().getAsDouble(), 1e-9);
  }

  @Test
  void leavesStreamingMetricsEmptyWithoutStreaming() {
    MetricsRecorder recorder = new MetricsRecorder(false, Map.of());
    recorder.recordSuccess(0, timings(0, 100, 100, 20), 10, 20, 100 * MS);
    assertEquals(0, recorder.histograms().get(Metric.TIME_TO_FIRST_TOKEN).getTotalCount());
    assertEquals(0, recorder.histograms().get(Metric.INTER_TOKEN_LATENCY).getTotalCount());
    MetricStats latency =
        MetricStats.of(Metric.REQUEST_LATENCY, recorder.histograms().get(Metric.REQUEST_LATENCY));
    assertEquals(100.0, latency.avg(), 0.1);
    assertFalse(recorder.histograms().get(Metric.OUTPUT_SEQUENCE_LENGTH).getTotalCount() == 0);
  }

  @Test
  void statisticsComeFromTheHistogramInDisplayedUnits() {
    MetricsRecorder recorder = new MetricsRecorder(true, Map.of());
    for (int i = 1; i <= 100; i++) {
      recorder.recordSuccess(0, timings(0, i, i + 100, 2), 1, 2, (i + 100) * MS);
    }
    MetricStats ttft =
        MetricStats.of(
            Metric.TIME_TO_FIRST_TOKEN, recorder.histograms().get(Metric.TIME_TO_FIRST_TOKEN));
    assertEquals(100, ttft.count());
    assertEquals(1.0, ttft.min(), 0.001);
    assertEquals(100.0, ttft.max(), 0.1);
    assertEquals(50.5, ttft.avg(), 0.1);
    assertEquals(50.0, ttft.p50(), 0.1);
    assertEquals(99.0, ttft.p99(), 0.1);
  }

  /** A timeline with a start, first response and last response in ms, and an output length. */
  private static RequestTimings timings(long startMs, long firstMs, long lastMs, int outputTokens) {
    ResponseTimes times = ResponseTimes.firstSecondAndLast();
    times.add(firstMs * MS);
    if (outputTokens >= 2) {
      times.add(lastMs * MS);
    }
    return RequestTimings.compute(startMs * MS, times, outputTokens);
  }
}
