package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Metric;
import io.loadgen.report.internal.plots.HistogramLogs;
import io.loadgen.report.internal.plots.InteractiveChart;
import io.loadgen.report.internal.plots.InteractiveChart.Kind;
import io.loadgen.report.internal.plots.InteractivePage;
import io.loadgen.report.internal.plots.PlotData;
import io.loadgen.report.internal.plots.RawExportReader;
import io.loadgen.report.internal.plots.Series;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** The interactive {@code .html} pages beside the PNG charts of {@code --generate-plots}. */
class InteractivePlotsTest {
  private static final long MS = 1_000_000;
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Pattern DATA =
      Pattern.compile(
          "<script type=\"application/json\" id=\"chart-data\">(.*?)</script>", Pattern.DOTALL);

  private static Path runDir(Path dir) throws IOException {
    PlotsTest.rawExport(dir);
    PlotsTest.histogramLog(dir, Metric.TIME_TO_FIRST_TOKEN, 20 * MS, 15 * MS, 40 * MS, 41 * MS);
    PlotsTest.histogramLog(dir, Metric.REQUEST_LATENCY, 38 * MS, 15 * MS, 50 * MS, 60 * MS);
    Files.writeString(dir.resolve(Exports.JSON_FILE), PlotsTest.SUMMARY);
    Plots.write(dir);
    return dir.resolve("plots");
  }

  private static JsonNode data(Path page) throws IOException {
    Matcher matcher = DATA.matcher(Files.readString(page));
    assertTrue(matcher.find(), page + " has no data block");
    return new ObjectMapper().readTree(matcher.group(1));
  }

  private static void assertSeries(Series expected, JsonNode actual) {
    assertEquals(expected.name(), actual.get("name").asText());
    assertEquals(expected.size(), actual.get("x").size(), "one point per request or token");
    assertEquals(expected.size(), actual.get("y").size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.x(i), actual.get("x").get(i).asDouble(), 0, "x " + i);
      JsonNode y = actual.get("y").get(i);
      assertEquals(expected.y(i), y.isNull() ? Double.NaN : y.asDouble(), 0, "y " + i);
    }
  }

  @Test
  void eachScatterPageHoldsExactlyItsChartsPoints(@TempDir Path dir) throws IOException {
    Path plots = runDir(dir);
    var requests = RawExportReader.read(dir.resolve(Plots.RAW_EXPORT_FILE));
    JsonNode tokens = data(plots.resolve("token-to-token_latency_vs_output_token_position.html"));
    assertEquals("scatter", tokens.get("kind").asText());
    assertEquals(1, tokens.get("series").size());
    assertSeries(PlotData.tokenToTokenLatencyVsPosition(requests), tokens.get("series").get(0));
    JsonNode ttft = data(plots.resolve("time_to_first_token_vs_input_sequence_lengths.html"));
    assertSeries(PlotData.timeToFirstTokenVsInputLength(requests), ttft.get("series").get(0));
    JsonNode lengths =
        data(
            plots.resolve(
                "distribution_of_input_sequence_lengths_to_output_sequence_lengths.html"));
    assertEquals("heatmap", lengths.get("kind").asText());
    PlotData.Heatmap cells = PlotData.lengthHeatmap(requests);
    JsonNode heatmap = lengths.get("heatmap");
    assertEquals(cells.xStart(), heatmap.get("xStart").asLong());
    assertEquals(cells.xWidth(), heatmap.get("xWidth").asLong());
    assertEquals(cells.columns(), heatmap.get("columns").asInt());
    assertEquals(cells.yStart(), heatmap.get("yStart").asLong());
    assertEquals(cells.yHeight(), heatmap.get("yHeight").asLong());
    assertEquals(cells.rows(), heatmap.get("rows").asInt());
    long[] counts = new long[heatmap.get("counts").size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = heatmap.get("counts").get(i).asLong();
    }
    assertArrayEquals(cells.counts(), counts);
    JsonNode server = data(plots.resolve("server_metrics.html"));
    assertEquals("lines", server.get("kind").asText());
    // KV-cache usage (a NaN before the gauge appeared: null), running, waiting, client in flight.
    assertEquals(4, server.get("series").size());
    assertTrue(server.get("series").get(0).get("y").get(0).isNull());
    assertEquals(12.5, server.get("series").get(0).get("y").get(1).asDouble());
  }

  @Test
  void aPageReferencesNothingOutsideItselfAndHoldsUplot(@TempDir Path dir) throws IOException {
    Path plots = runDir(dir);
    List<Path> pages;
    try (var files = Files.list(plots)) {
      pages = files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
    }
    assertEquals(
        8, pages.size(), "two box plots, three scatters, two percentile curves, server metrics");
    for (Path page : pages) {
      String html = Files.readString(page);
      assertFalse(
          Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
          page + " loads something from outside");
      assertFalse(html.contains("<link"), page.toString());
      assertTrue(html.contains("uPlot") && html.contains(".u-legend"), page + " lacks uPlot");
    }
  }

  @Test
  void aBoxPlotPageHoldsTheFiguresOfItsPng(@TempDir Path dir) throws IOException {
    Path plots = runDir(dir);
    PlotData.Box expected =
        PlotData.box(
            HistogramLogs.readMerged(dir.resolve(Metric.TIME_TO_FIRST_TOKEN.key() + ".hlog")),
            Metric.TIME_TO_FIRST_TOKEN.scale());
    JsonNode page = data(plots.resolve("time_to_first_token.html"));
    assertEquals("box", page.get("kind").asText());
    assertEquals(expected.count() + " requests", page.get("xLabel").asText());
    double[] figures = {
      expected.min(),
      expected.q1(),
      expected.median(),
      expected.q3(),
      expected.max(),
      expected.mean()
    };
    assertEquals(figures.length, page.get("series").size());
    for (int i = 0; i < figures.length; i++) {
      JsonNode series = page.get("series").get(i);
      assertEquals(1, series.get("y").size());
      assertEquals(figures[i], series.get("y").get(0).asDouble(), 0, series.get("name").asText());
    }
    assertTrue(expected.q1() < expected.q3(), "the fixture's box has a height: " + expected);
  }

  @Test
  void textCannotCloseTheDataBlock(@TempDir Path dir) throws IOException {
    Path page = dir.resolve("p.html");
    Series series = new Series("</script><b>&", new double[] {1, 2}, new double[] {3, Double.NaN});
    InteractivePage.load()
        .write(InteractiveChart.of("</SCRIPT>", Kind.LINES, "x", "y", series), page);
    String html = Files.readString(page);
    Matcher matcher = DATA.matcher(html);
    assertTrue(matcher.find());
    assertFalse(matcher.group(1).contains("<"), matcher.group(1));
    JsonNode data = data(page);
    assertEquals("</SCRIPT>", data.get("title").asText());
    assertSeries(series, data.get("series").get(0));
  }

  @Tag("e2e")
  @Test
  void aPageOpensOfflineInChromiumAndUplotDrawsIt(@TempDir Path dir) throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    // CI's .ci/run sets LOADGEN_REQUIRE_BROWSER=1: there a missing browser fails, never skips.
    if (!present && "1".equals(System.getenv("LOADGEN_REQUIRE_BROWSER"))) {
      fail("LOADGEN_REQUIRE_BROWSER=1, but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }
    assumeTrue(present, "skipped: needs " + CHROMIUM + " and " + CHROMEDRIVER);
    Path plots = runDir(dir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,800");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build(),
            options);
    try {
      for (String name :
          List.of(
              "time_to_first_token.html",
              "distribution_of_input_sequence_lengths_to_output_sequence_lengths.html",
              "token-to-token_latency_vs_output_token_position.html",
              "request_latency_percentiles.html",
              "server_metrics.html")) {
        browser.get(plots.resolve(name).toUri().toString());
        Object drawn =
            browser.executeScript(
                "var c = document.querySelector('canvas');"
                    + "if (!c || !c.width || !c.height) return -1;"
                    + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "var n = 0; for (var i = 3; i < d.length; i += 4) if (d[i]) n++;"
                    + "return n;");
        assertTrue(drawn instanceof Long n && n > 50, name + ": canvas pixels drawn " + drawn);
        List<LogEntry> severe =
            browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertEquals(List.of(), severe, name + ": console errors");
      }
    } finally {
      browser.quit();
    }
  }
}
