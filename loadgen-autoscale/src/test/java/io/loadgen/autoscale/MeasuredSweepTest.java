package io.loadgen.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuredSweepTest {
  @TempDir Path dir;

  @Test
  void readsEachLevelsLoadKvUsageAndTokenLengthsInAscendingLoad() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles()
                .level(400, 650, 35, 40.9)
                .level(100, 100, 20, 9.4)
                .fit(0.1)
                .write(dir));
    assertEquals(MeasuredSweep.LoadKind.CONCURRENCY, sweep.loadKind());
    assertEquals("gpu_cache_usage_perc", sweep.kvMetric());
    assertEquals("meta/llama3-8b-instruct", sweep.model());
    assertEquals(0.001, sweep.kvUsagePerRequestInFlight(), 1e-15);
    MeasuredSweep.Level first = sweep.levels().get(0);
    assertEquals("concurrency 100", first.label());
    assertEquals(100, first.load());
    assertEquals(0.094, first.kvUsageAvg(), 1e-15);
    assertEquals(0.141, first.kvUsageMax(), 1e-12);
    assertEquals(200, first.inputTokensMean());
    assertEquals(650, sweep.metric(sweep.levels().get(1), "time_to_first_token", "p99"));
    assertEquals(60, sweep.metric(first, "time_to_first_token", "avg"), 1e-12);
  }

  @Test
  void findsTheLevelsDirectoriesOfASummaryThatDoesNotNameThem() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles()
                .level(100, 100, 20, 9.4)
                .level(200, 200, 25, 20.8)
                .withoutDirectoryNames()
                .write(dir));
    assertEquals(dir.resolve("m-openai-chat-concurrency200"), sweep.levels().get(1).directory());
  }

  @Test
  void readsAnyPercentileExactlyFromTheLevelsHistogramLog() throws Exception {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles().level(100, 100, 20, 9.4).level(200, 200, 25, 20.8).write(dir));
    // 1,000 TTFTs of 1..1000 ms, in ns as the exports record them, over two intervals.
    Path log = dir.resolve("m-openai-chat-concurrency100/time_to_first_token.hlog");
    try (PrintStream out = new PrintStream(Files.newOutputStream(log))) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputLogFormatVersion();
      writer.outputLegend();
      for (int half = 0; half < 2; half++) {
        Histogram h = new Histogram(3);
        for (int ms = 1 + half * 500; ms <= 500 + half * 500; ms++) {
          h.recordValue(ms * 1_000_000L);
        }
        h.setStartTimeStamp(half * 1000L);
        h.setEndTimeStamp(half * 1000L + 1000);
        writer.outputIntervalHistogram(h);
      }
    }
    MeasuredSweep.Level level = sweep.levels().get(0);
    assertEquals(999, sweep.metric(level, "time_to_first_token", "p99.9"), 1.0);
    assertEquals(500, sweep.metric(level, "time_to_first_token", "p50"), 1.0);
    assertEquals(500.5, sweep.metric(level, "time_to_first_token", "avg"), 0.5);
    // The level without a log answers from its JSON export, which has no p99.9.
    AutoscaleException e =
        assertThrows(
            AutoscaleException.class,
            () -> sweep.metric(sweep.levels().get(1), "time_to_first_token", "p99.9"));
    assertTrue(e.getMessage().contains("lists no p99.9"), e.getMessage());
  }

  @Test
  void refusesADirectoryThatIsNotASweep() {
    AutoscaleException e = assertThrows(AutoscaleException.class, () -> MeasuredSweep.read(dir));
    assertTrue(
        e.getMessage()
            .endsWith(
                "has no sweep_summary.json (run profile with a list of "
                    + "levels, --concurrency 100,200,300,400, and give its --artifact-dir)"),
        e.getMessage());
  }

  @Test
  void refusesASweepOfOneLevel() {
    new SweepFiles().level(100, 100, 20, 9.4).write(dir);
    AutoscaleException e = assertThrows(AutoscaleException.class, () -> MeasuredSweep.read(dir));
    assertTrue(e.getMessage().contains("has 1 level: a plan needs two or more"), e.getMessage());
  }

  @Test
  void refusesASweepThatReadNoKvCacheGauge() {
    new SweepFiles().level(100, 100, 20, Double.NaN).level(200, 200, 20, Double.NaN).write(dir);
    AutoscaleException e = assertThrows(AutoscaleException.class, () -> MeasuredSweep.read(dir));
    assertTrue(e.getMessage().contains("read no KV-cache gauge"), e.getMessage());
  }

  @Test
  void parsesSlosAndSaysWhatIsWrongWithABadOne() {
    Slo slo = Slo.parse("time_to_first_token:p99.9:500");
    assertEquals(new Slo("time_to_first_token", "p99.9", 500), slo);
    assertEquals("time_to_first_token:p99.9:500", slo.toString());
    assertTrue(slo.metBy(500));
    assertTrue(!slo.metBy(500.1) && !slo.metBy(Double.NaN));
    assertEquals("avg", Slo.parse("inter_token_latency:avg:40ms").statistic());
    assertEquals(
        "an SLO is METRIC:STATISTIC:MS, as time_to_first_token:p99:500; got 'ttft:500'",
        assertThrows(AutoscaleException.class, () -> Slo.parse("ttft:500")).getMessage());
    assertEquals(
        "the SLO 'time_to_first_token:p99:fast' needs a limit in ms after its last ':', got 'fast'",
        assertThrows(AutoscaleException.class, () -> Slo.parse("time_to_first_token:p99:fast"))
            .getMessage());
    assertTrue(
        assertThrows(AutoscaleException.class, () -> Slo.parse("time_to_first_token:p100:5"))
            .getMessage()
            .startsWith("an SLO's statistic is avg, max or a percentile"));
    assertThrows(AutoscaleException.class, () -> Slo.parse("time_to_first_token:p99:-1"));
    assertTrue(
        assertThrows(
                AutoscaleException.class,
                () -> Slo.parse("output_token_throughput_per_user:p50:20"))
            .getMessage()
            .startsWith("an SLO bounds a latency in ms"));
  }
}
