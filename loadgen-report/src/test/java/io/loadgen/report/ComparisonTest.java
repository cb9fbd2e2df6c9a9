package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.internal.engine.MeasuredResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {
  private static final long MS = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A streamed run of {@code count} requests: TTFT 10, 20 ... 100 ms times {@code latencyFactor}
   * (HdrHistogram's buckets are powers of two, so doubling every value doubles its avg, and its
   * percentiles but for the bucket's last nanosecond), request latency 1 s plus that, the same
   * factor; TTST 1 to 10 ms and ITL 5 to 14 ms in every run; ISL {@code inputTokens} for all, OSL
   * 200.
   */
  private static MeasuredResult run(
      long latencyFactor,
      int inputTokens,
      long count,
      double outputTokenThroughput,
      double requestThroughput) {
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
    }
    for (int i = 1; i <= 10; i++) {
      histograms.get(Metric.TIME_TO_FIRST_TOKEN).recordValue(i * 10 * MS * latencyFactor);
      histograms.get(Metric.TIME_TO_SECOND_TOKEN).recordValue(i * MS);
      histograms.get(Metric.REQUEST_LATENCY).recordValue((1000 * MS + i * 10 * MS) * latencyFactor);
      histograms.get(Metric.INTER_TOKEN_LATENCY).recordValue((4 + i) * MS);
      histograms.get(Metric.OUTPUT_TOKEN_THROUGHPUT_PER_USER).recordValue(200_000);
      histograms.get(Metric.OUTPUT_SEQUENCE_LENGTH).recordValue(200);
      histograms.get(Metric.INPUT_SEQUENCE_LENGTH).recordValue(inputTokens);
      histograms.get(Metric.SEND_LAG).recordValue(i * MS / 10);
    }
    RunSummary summary =
        new RunSummary(
            count,
            0,
            new LinkedHashMap<>(),
            0,
            2000 * MS,
            2000,
            1055,
            outputTokenThroughput,
            requestThroughput,
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
        Profile.builder().url("127.0.0.1:8000").model("m").streaming(true).concurrency(10).build();
    return new MeasuredResult(profile, histograms, summary, 1_700_000_000_000L, ServerMetrics.NONE);
  }

  private static Path write(Path dir, String name, MeasuredResult result) {
    Path runDir = dir.resolve(name);
    Exports.write(result, runDir);
    return runDir;
  }

  /** The CSV's cell of {@code label}'s row under the column named {@code column}. */
  private static String cell(List<List<String>> table, String label, String column) {
    int c = table.get(0).indexOf(column);
    assertTrue(c > 0, "no column " + column + " in " + table.get(0));
    for (List<String> row : table.subList(1, table.size())) {
      if (row.get(0).equals(label)) {
        return row.get(c);
      }
    }
    throw new AssertionError("no row " + label);
  }

  @Test
  void comparingARunWithItselfShowsNoChangeAnywhere(@TempDir Path dir) {
    Path a = write(dir, "a", run(1, 100, 10, 1000, 5));
    Comparison comparison = Comparison.of(List.of(a, a));

    List<List<String>> table = StrictCsv.table(comparison.csv());
    List<String> header = table.get(0);
    assertEquals(1 + 3 + 6, header.size(), header.toString());
    assertEquals(1 + 7 + 3, table.size(), "a header and the console table's 10 rows");
    int changes = 0;
    for (List<String> row : table.subList(1, table.size())) {
      for (int c = 0; c < header.size(); c++) {
        if (header.get(c).endsWith("change %") && !row.get(c).isEmpty()) {
          assertEquals("+0.00", row.get(c), row.get(0) + " / " + header.get(c));
          changes++;
        }
      }
    }
    assertEquals(7 * 3 + 3, changes, "every figure the runs have has a change");
    String rendered = comparison.render();
    assertEquals(7 * 3 + 3, rendered.split("\\+0\\.00%", -1).length - 1, rendered);
    assertTrue(!rendered.contains("Send Lag"), "the client's own figure is not a row");
  }

  @Test
  void showsTheKnownChangesBetweenTwoLevelsOfASweep(@TempDir Path dir) throws IOException {
    Path low = write(dir, "concurrency1", run(1, 100, 10, 1000, 5));
    Path high = write(dir, "concurrency2", run(2, 150, 20, 1250, 4));
    Comparison comparison = Comparison.of(List.of(low, high));

    List<List<String>> table = StrictCsv.table(comparison.csv());
    String h = high + " ";
    for (String statistic : List.of("avg", "p50", "p99")) {
      String change = h + statistic + " change %";
      assertEquals("+100.00", cell(table, "Time To First Token (ms)", change));
      assertEquals("+100.00", cell(table, "Request Latency (ms)", change));
      assertEquals("+0.00", cell(table, "Inter Token Latency (ms)", change));
      assertEquals("+50.00", cell(table, "Input Sequence Length (tokens)", change));
      assertEquals("+0.00", cell(table, "Output Sequence Length (tokens)", change));
    }
    assertEquals("100.00", cell(table, "Input Sequence Length (tokens)", low + " p50"));
    assertEquals("150.00", cell(table, "Input Sequence Length (tokens)", h + "p99"));
    assertEquals("+25.00", cell(table, "Output Token Throughput (tokens/sec)", h + "avg change %"));
    assertEquals("", cell(table, "Output Token Throughput (tokens/sec)", h + "p50 change %"));
    assertEquals("-20.00", cell(table, "Request Throughput (per sec)", h + "avg change %"));
    assertEquals("+100.00", cell(table, "Request Count (count)", h + "avg change %"));
    assertEquals("20.00", cell(table, "Request Count (count)", h + "avg"));

    JsonNode json = JSON.readTree(comparison.json());
    assertEquals(low.toString(), json.path("runs").get(0).asText());
    JsonNode isl = json.path("metrics").get(6);
    assertEquals("input_sequence_length", isl.path("key").asText());
    assertEquals(50.0, isl.path("runs").get(1).path("change_percent").path("avg").asDouble());
    assertTrue(isl.path("runs").get(0).path("change_percent").isMissingNode());
    JsonNode count = json.path("metrics").get(9);
    assertEquals("request_count", count.path("key").asText());
    assertTrue(count.path("runs").get(1).path("p99").isNull());
    assertTrue(count.path("runs").get(1).path("change_percent").path("p99").isNull());

    String rendered = comparison.render();
    String ttft =
        rendered.lines().filter(l -> l.contains("Time To First Token")).findFirst().orElseThrow();
    assertEquals(3, ttft.split("\\+100\\.00%", -1).length - 1, ttft);
    assertTrue(rendered.contains("run 1 (baseline): " + low), rendered);
    assertTrue(rendered.contains("run 2: " + high), rendered);
  }

  @Test
  void writesOneCsvTableTheJsonAndAnOverlaidChartPerLatencyThatIsNotBlank(@TempDir Path dir)
      throws IOException {
    Path low = write(dir, "concurrency1", run(1, 100, 10, 1000, 5));
    Path high = write(dir, "concurrency2", run(2, 150, 20, 1250, 4));
    Path out = dir.resolve("out");

    List<Path> written = Comparison.of(List.of(low, high)).write(out);

    assertEquals(out.resolve("compare.csv"), written.get(0));
    assertEquals(out.resolve("compare.json"), written.get(1));
    StrictCsv.table(Files.readString(written.get(0), StandardCharsets.UTF_8));
    assertEquals(2, JSON.readTree(written.get(1).toFile()).path("runs").size());
    assertEquals(out.resolve("report.html"), written.get(written.size() - 1));
    List<Path> charts = written.subList(2, written.size() - 1);
    List<Path> expected = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      // No run here is a capped request rate or a reasoning model: no slot waits, no TTFO.
      if (metric.recordedUnit().equals("ns")
          && metric != Metric.SLOT_WAIT
          && !metric.reasoningOnly()) {
        expected.add(out.resolve("plots").resolve(metric.key() + "_percentiles.png"));
      }
    }
    assertEquals(expected, charts);
    for (Path chart : charts) {
      BufferedImage image = ImageIO.read(chart.toFile());
      assertNotNull(image, chart + " is not an image");
      assertTrue(ChartPixels.coloured(image) > 200, chart + " shows no lines");
    }
    // The report: both folders, the table, each chart embedded once and nothing from outside.
    String page = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(page.contains(low.toString()) && page.contains(high.toString()), "names the runs");
    assertTrue(page.contains("Time To First Token"), "holds the table");
    assertEquals(charts.size(), page.split("<img ", -1).length - 1, "one image a chart");
    assertFalse(page.contains("src=\"http") || page.contains("href="), "nothing from outside");
  }

  @Test
  void aFolderWithoutASummaryExportIsNotARunDirectory(@TempDir Path dir) throws IOException {
    Path run = write(dir, "run", run(1, 100, 10, 1000, 5));
    Path empty = Files.createDirectory(dir.resolve("empty"));
    RunDirectoryException e =
        assertThrows(RunDirectoryException.class, () -> Comparison.of(List.of(run, empty)));
    assertEquals(
        empty
            + " is not a run directory: it has no profile_export_genai_perf.json"
            + " (give the folders that loadgen profile wrote)",
        e.getMessage());
    Path missing = dir.resolve("missing");
    assertEquals(
        missing + " is not a run directory: no such folder",
        assertThrows(RunDirectoryException.class, () -> Comparison.of(List.of(run, missing)))
            .getMessage());
  }

  @Test
  void anUnreadableSummaryExportIsSaidInOneLine(@TempDir Path dir) throws IOException {
    Path run = write(dir, "run", run(1, 100, 10, 1000, 5));
    Path broken = Files.createDirectory(dir.resolve("broken"));
    Files.writeString(broken.resolve(Exports.JSON_FILE), "{\"time_to_first_token\": {\"avg\": ");
    RunDirectoryException e =
        assertThrows(RunDirectoryException.class, () -> Comparison.of(List.of(run, broken)));
    assertTrue(
        e.getMessage()
            .startsWith("cannot read " + broken.resolve(Exports.JSON_FILE) + ": not valid JSON"),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
