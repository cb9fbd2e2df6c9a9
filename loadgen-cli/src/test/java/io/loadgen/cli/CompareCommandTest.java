package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.internal.engine.MeasuredResult;
import io.loadgen.report.Exports;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadgen compare} through {@link Main#run}, on run folders written by the exports. */
class CompareCommandTest {
  private static final long MS = 1_000_000;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** A streamed run whose TTFT is 10 to 100 ms times {@code factor}. */
  private static Path runDir(Path dir, String name, long factor) {
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
      if (metric == Metric.SLOT_WAIT || metric.reasoningOnly()) {
        continue; // a closed loop of a model that does not reason, as a real run, records none
      }
      for (int i = 1; i <= 10; i++) {
        histograms.get(metric).recordValue(i * 10 * MS * factor);
      }
    }
    RunSummary summary =
        new RunSummary(
            10,
            0,
            new LinkedHashMap<>(),
            0,
            2000 * MS,
            2000,
            1055,
            1000.0 * factor,
            5.0,
            OptionalDouble.empty(),
            -1,
            -1,
            false,
            MS,
            null,
            0,
            0,
            0,
            0,
            java.util.List.of());
    Profile profile =
        Profile.builder().url("127.0.0.1:8000").model("m").streaming(true).concurrency(1).build();
    Path runDir = dir.resolve(name);
    Exports.write(
        new MeasuredResult(profile, histograms, summary, 1_700_000_000_000L, ServerMetrics.NONE),
        runDir);
    return runDir;
  }

  private static void assertOneLineError(Run run, String expected) {
    assertEquals(2, run.exitCode(), run.err());
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "expected one line on stderr, got: " + run.err());
    assertTrue(lines.get(0).startsWith("loadgen: error: "), lines.get(0));
    assertTrue(lines.get(0).contains(expected), lines.get(0));
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void printsTheTableAndWritesTheFilesIntoTheOutputFolder(@TempDir Path dir) throws IOException {
    Path low = runDir(dir, "concurrency1", 1);
    Path high = runDir(dir, "concurrency2", 2);
    Path out = dir.resolve("cmp");

    Run run = run("compare", low.toString(), high.toString(), "-o", out.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    String ttft =
        run.out().lines().filter(l -> l.contains("Time To First Token")).findFirst().orElseThrow();
    assertEquals(3, ttft.split("\\+100\\.00%", -1).length - 1, ttft);
    assertTrue(run.out().contains("run 1 (baseline): " + low), run.out());
    assertTrue(Files.isRegularFile(out.resolve("compare.csv")));
    assertTrue(Files.isRegularFile(out.resolve("compare.json")));
    assertTrue(Files.isRegularFile(out.resolve("plots/request_latency_percentiles.png")));
    assertTrue(run.out().contains("Wrote 8 files to " + out), run.out());
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
  }

  @Test
  void fewerThanTwoFoldersIsAUsageError(@TempDir Path dir) {
    Path low = runDir(dir, "concurrency1", 1);
    assertOneLineError(run("compare", low.toString()), "requires at least 2 values");
  }

  @Test
  void aFolderThatIsNotARunsIsSaidInOneLine(@TempDir Path dir) throws IOException {
    Path low = runDir(dir, "concurrency1", 1);
    Path other = Files.createDirectory(dir.resolve("other"));
    assertOneLineError(
        run("compare", low.toString(), other.toString(), "-o", dir.resolve("o").toString()),
        other + " is not a run directory: it has no " + Exports.JSON_FILE);
    assertFalse(Files.exists(dir.resolve("o")), "nothing is written for bad input");
  }

  @Test
  void anUnreadableExportIsSaidInOneLine(@TempDir Path dir) throws IOException {
    Path low = runDir(dir, "concurrency1", 1);
    Path broken = Files.createDirectory(dir.resolve("broken"));
    Files.writeString(broken.resolve(Exports.JSON_FILE), "{\"request_count\": ");
    assertOneLineError(
        run("compare", low.toString(), broken.toString(), "-o", dir.resolve("o").toString()),
        "cannot read " + broken.resolve(Exports.JSON_FILE) + ": not valid JSON");
  }
}
