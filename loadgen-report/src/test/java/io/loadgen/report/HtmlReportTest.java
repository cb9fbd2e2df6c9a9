package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Metric;
import io.loadgen.report.internal.html.Html;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final String HOSTILE = "<script>alert('x')</script>&\"";

  @Test
  void escapesTheFiveCharactersThatCanEndTextOrAnAttribute() {
    assertEquals("a&amp;b&lt;c&gt;d&quot;e&#39;f", Html.escape("a&b<c>d\"e'f"));
  }

  @Test
  void holdsTheTableTheErrorsAndTheSettingsEscapedAndNoSecret(@TempDir Path dir)
      throws IOException {
    var profile = ReportsTest.profile().model(HOSTILE).extraInput("note", HOSTILE).build();
    Path file = HtmlReport.write(ReportsTest.result(profile, 3, OptionalDouble.empty()), dir);
    assertEquals(dir.resolve("report.html"), file);
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertFalse(html.contains("<script"), "no user text becomes markup");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\\&quot;"), html);
    assertTrue(html.contains("<pre id=\"console-table\">"), html);
    assertTrue(html.contains("Time To First Token (ms)"), "the console table's rows");
    assertTrue(html.contains("<tr><td>http_500</td><td>2</td></tr>"), html);
    assertTrue(html.contains("<tr><td>connection_reset</td><td>1</td></tr>"), html);
    assertTrue(html.contains("<td>concurrency</td><td class=\"value\">10</td>"), html);
    assertTrue(html.contains("<td>header</td><td class=\"value\">{&quot;X-Secret&quot;"), html);
    assertFalse(html.contains("s3cr3t-header"), "a header's value is never written");
    assertFalse(html.contains("sk-abc-key"), "nor the API key");
  }

  @Test
  void embedsEveryChartAsADataUriBoxPlotsFirstAndReferencesNothingOutsideTheFile(@TempDir Path dir)
      throws IOException {
    Path plots = Files.createDirectories(dir.resolve(Plots.DIRECTORY));
    byte[] first = png(plots.resolve("b_chart.png"), 3);
    byte[] second = png(plots.resolve("a_chart.png"), 5);
    byte[] box = png(plots.resolve("request_latency.png"), 7);
    Files.writeString(plots.resolve("notes.txt"), "not a chart");
    HtmlReport.write(
        ReportsTest.result(ReportsTest.profile().build(), 0, OptionalDouble.empty()), dir);
    String html = Files.readString(dir.resolve(HtmlReport.FILE), StandardCharsets.UTF_8);
    String a = "src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(second) + "\"";
    String b = "src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(first) + "\"";
    String boxPlot =
        "src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(box) + "\"";
    assertTrue(html.indexOf(boxPlot) >= 0, "the box plot");
    assertTrue(
        html.indexOf(boxPlot) < html.indexOf(a) && html.indexOf(a) < html.indexOf(b),
        "the box plot first, then the others by file name");
    assertFalse(html.contains("notes.txt"), html);
    assertTrue(html.contains("<p id=\"errors\">No request failed.</p>"), html);
    Matcher reference = Pattern.compile("(src|href|url)\\s*[=(]\\s*[\"']?+(?!data:)").matcher(html);
    assertFalse(reference.find(), () -> "an outside reference: " + reference.group());
    assertTrue(html.contains("content=\"default-src 'none'; img-src data:;"), "the CSP forbids it");
  }

  @Test
  void saysWhenThereIsNothingToDrawChartsFrom(@TempDir Path dir) throws IOException {
    HtmlReport.write(
        ReportsTest.result(ReportsTest.profile().build(), 0, OptionalDouble.empty()), dir);
    String html = Files.readString(dir.resolve(HtmlReport.FILE), StandardCharsets.UTF_8);
    assertTrue(html.contains("<p id=\"no-charts\">No charts: this folder has neither"), html);
    assertFalse(html.contains("<img"), html);
  }

  @Test
  void withoutPlotsShowsTheRunAtAGlanceDrawnFromTheLogsWritingNothingElse(@TempDir Path dir)
      throws IOException {
    long ms = 1_000_000;
    PlotsTest.histogramLog(dir, Metric.TIME_TO_FIRST_TOKEN, 20 * ms, 15 * ms, 40 * ms);
    PlotsTest.histogramLog(dir, Metric.REQUEST_LATENCY, 38 * ms, 15 * ms, 50 * ms);
    PlotsTest.histogramLog(dir, Metric.INTER_TOKEN_LATENCY, 6 * ms, 4 * ms, 5 * ms);
    HtmlReport.write(
        ReportsTest.result(ReportsTest.profile().build(), 0, OptionalDouble.empty()), dir);
    String html = Files.readString(dir.resolve(HtmlReport.FILE), StandardCharsets.UTF_8);
    Matcher images = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
    List<String> names = new ArrayList<>();
    while (images.find()) {
      BufferedImage image =
          ImageIO.read(
              new java.io.ByteArrayInputStream(Base64.getDecoder().decode(images.group(1))));
      assertTrue(ChartPixels.coloured(image) > 20, "a chart with data");
      names.add("chart");
    }
    assertEquals(4, names.size(), "two box plots, TTFT's and ITL's percentile curves");
    for (String name :
        List.of(
            "time_to_first_token.png",
            "request_latency.png",
            "time_to_first_token_percentiles.png",
            "inter_token_latency_percentiles.png")) {
      assertTrue(html.contains(name), name);
    }
    assertFalse(Files.exists(dir.resolve(Plots.DIRECTORY)), "drawn in memory only");
    assertFalse(html.contains("no-charts"), html);
  }

  @Test
  void reportsAFolderInTheWayInOneLine(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(HtmlReport.FILE));
    ArtifactWriteException e =
        assertThrows(
            ArtifactWriteException.class,
            () ->
                HtmlReport.write(
                    ReportsTest.result(ReportsTest.profile().build(), 0, OptionalDouble.empty()),
                    dir));
    assertTrue(e.getMessage().contains(dir.resolve(HtmlReport.FILE).toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static byte[] png(Path file, int width) throws IOException {
    ImageIO.write(new BufferedImage(width, 2, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    return Files.readAllBytes(file);
  }
}
