package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.internal.engine.MeasuredResult;
import io.loadgen.report.Exports;
import io.loadgen.report.Merge;
import io.loadgen.report.MergeException;
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

/** What {@code loadgen merge} refuses, each in one line and exit 2, and that it writes nothing. */
class MergeCommandTest {
  private static final long MS = 1_000_000;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** A run folder as loadgen profile writes one, of {@code model}, without a raw export. */
  private static Path runDir(Path dir, String name, String model) {
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
      for (int i = 1; i <= 10; i++) {
        histograms.get(metric).recordValue(i * 10 * MS);
      }
    }
    RunSummary summary =
        new RunSummary(
            10,
            1,
            new LinkedHashMap<>(Map.of("http_500", 1L)),
            0,
            2000 * MS,
            2000,
            1055,
            1000.0,
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
        Profile.builder().url("127.0.0.1:8000").model(model).streaming(true).concurrency(2).build();
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
  void mergesTwoRunsWrittenByTheExportsWithTheirCountsSummed(@TempDir Path dir) throws IOException {
    Path a = runDir(dir, "pod-0", "m");
    Path b = runDir(dir, "pod-1", "m");
    Path out = dir.resolve("merged");

    Run run = run("merge", a.toString(), b.toString(), "--output", out.toString());

    assertEquals(0, run.exitCode(), run.err());
    // Neither run has a raw export, and the merge says it has none either.
    assertTrue(run.err().contains("have no profile_export.json"), run.err());
    String json = Files.readString(out.resolve(Exports.JSON_FILE));
    assertTrue(json.contains("\"http_500\" : 2"), json);
    assertTrue(json.contains("\"concurrency\" : 4"), json);
    assertFalse(Files.exists(out.resolve("profile_export.json")));
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
  }

  @Test
  void noFolderIsAUsageError(@TempDir Path dir) {
    assertOneLineError(
        run("merge", "--output", dir.resolve("out").toString()), "Missing required parameter");
    MergeException e = assertThrows(MergeException.class, () -> Merge.of(List.of()));
    assertTrue(e.getMessage().startsWith("no run folders to merge"), e.getMessage());
  }

  @Test
  void aFolderThatIsNotARunIsAUsageError(@TempDir Path dir) throws IOException {
    Path run = runDir(dir, "pod-0", "m");
    Path empty = Files.createDirectory(dir.resolve("empty"));

    assertOneLineError(
        run("merge", run.toString(), empty.toString(), "-o", dir.resolve("out").toString()),
        empty + " is not a run directory: it has no profile_export_genai_perf.json");
    assertOneLineError(
        run("merge", run.toString(), dir.resolve("nope").toString(), "-o", "out"),
        "no such folder");
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void runsOfDifferentModelsAreAUsageError(@TempDir Path dir) {
    Path a = runDir(dir, "pod-0", "model-a");
    Path b = runDir(dir, "pod-1", "model-b");

    assertOneLineError(
        run("merge", a.toString(), b.toString(), "-o", dir.resolve("out").toString()),
        "cannot merge "
            + b
            + " with "
            + a
            + ": they ran different workloads (model 'model-b' vs"
            + " 'model-a')");
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void anOutputThatIsOneOfTheInputsIsAUsageErrorAndLeavesItAsItWas(@TempDir Path dir)
      throws IOException {
    Path a = runDir(dir, "pod-0", "m");
    Path b = runDir(dir, "pod-1", "m");
    String before = Files.readString(a.resolve(Exports.JSON_FILE));

    assertOneLineError(
        run("merge", a.toString(), b.toString(), "-o", dir.resolve("pod-0/.").toString()),
        "is one of the folders merged (" + a + "): give --output a folder of its own");
    assertEquals(before, Files.readString(a.resolve(Exports.JSON_FILE)));
  }

  @Test
  void aRunFolderAndASweepFolderAreAUsageError(@TempDir Path dir) throws IOException {
    Path run = runDir(dir, "pod-0", "m");
    Path sweep = Files.createDirectory(dir.resolve("sweep"));
    Files.writeString(sweep.resolve("sweep_summary.json"), "{}");

    assertOneLineError(
        run("merge", run.toString(), sweep.toString(), "-o", dir.resolve("out").toString()),
        "one is a sweep's folder and the other a run's");
  }
}
