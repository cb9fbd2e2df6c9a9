package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadMode;
import io.loadgen.report.SweepSummary.Level;
import io.loadgen.report.internal.plots.Series;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
  /** KV avg 10%, 20%, 30% at 100, 200, 300 in flight: 0.1% a request, 100% at 1,000. */
  private static SweepSummary sweep() {
    return SweepSummary.of(
        List.of(
            ReportsTest.level(100, 0.08, 0.12),
            ReportsTest.level(200, 0.2, 0.2),
            ReportsTest.level(300, 0.25, 0.35)),
        100);
  }

  @Test
  void eachChartHasOnePointPerLevelWithTheSummarysValues() {
    SweepSummary sweep = sweep();
    List<Level> levels = sweep.levels();
    double[] concurrency = {100, 200, 300};
    List<Series> ttft = SweepReport.latency(sweep, "TTFT", Level::ttftP50, Level::ttftP99);
    assertArrayEquals(concurrency, ttft.get(0).x());
    assertArrayEquals(levels.stream().mapToDouble(Level::ttftP50).toArray(), ttft.get(0).y());
    assertArrayEquals(levels.stream().mapToDouble(Level::ttftP99).toArray(), ttft.get(1).y());
    List<Series> itl = SweepReport.latency(sweep, "ITL", Level::itlP50, Level::itlP99);
    assertArrayEquals(concurrency, itl.get(1).x());
    assertArrayEquals(levels.stream().mapToDouble(Level::itlP99).toArray(), itl.get(1).y());
    Series knee = SweepReport.throughputByLatency(sweep);
    assertArrayEquals(levels.stream().mapToDouble(Level::ttftP99).toArray(), knee.x());
    assertArrayEquals(
        levels.stream().mapToDouble(Level::outputTokenThroughput).toArray(), knee.y());
    List<Series> kv = SweepReport.kvByInFlight(sweep);
    assertArrayEquals(concurrency, kv.get(0).x());
    assertArrayEquals(new double[] {10, 20, 30}, kv.get(0).y(), 1e-9);
    assertArrayEquals(new double[] {12, 20, 35}, kv.get(1).y(), 1e-9);
    // 100% at 1,000 in flight is beyond twice the levels' 300: the fit spans the levels only.
    Series fit = SweepReport.kvFit(sweep);
    assertArrayEquals(new double[] {0, 300}, fit.x(), 1e-6);
    assertArrayEquals(new double[] {0, 30}, fit.y(), 1e-6);
    assertFalse(SweepReport.kvTargetShown(sweep));
    assertEquals("fit: 0.1000% per request, 100% at 1000 in flight", fit.name());
    // 50% at 500 is near enough: the fit runs on to it.
    SweepSummary half =
        SweepSummary.of(List.of(ReportsTest.level(100, 0.1), ReportsTest.level(300, 0.3, 0.3)), 50);
    assertTrue(SweepReport.kvTargetShown(half));
    assertArrayEquals(new double[] {0, 500}, SweepReport.kvFit(half).x(), 1e-6);
    assertArrayEquals(new double[] {0, 50}, SweepReport.kvFit(half).y(), 1e-6);
    assertEquals(
        2.5,
        SweepReport.levelValue(
            SweepSummary.of(
                    List.of(
                        ReportsTest.result(
                            ReportsTest.profile()
                                .requestRate(2.5, LoadMode.Arrivals.CONSTANT)
                                .build(),
                            0,
                            OptionalDouble.empty())),
                    50)
                .levels()
                .get(0)),
        1e-12);
  }

  @Test
  void writesEveryChartAsADrawnPngAndEmbedsEachOnceReferencingNothingOutside(@TempDir Path root)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve("<b>sweep&'x"));
    Path file = SweepReport.write(sweep(), dir);
    assertEquals(dir.resolve(SweepReport.FILE), file);
    List<String> names =
        List.of(
            SweepReport.TTFT_FILE,
            SweepReport.ITL_FILE,
            SweepReport.THROUGHPUT_FILE,
            SweepReport.KV_FILE);
    String html = Files.readString(file, StandardCharsets.UTF_8);
    for (String name : names) {
      Path png = dir.resolve(Plots.DIRECTORY).resolve(name);
      BufferedImage image = ImageIO.read(png.toFile());
      assertEquals(1000, image.getWidth(), name);
      assertTrue(colours(image) > 3, name + " is blank");
      String src =
          "src=\"data:image/png;base64,"
              + Base64.getEncoder().encodeToString(Files.readAllBytes(png))
              + "\"";
      assertEquals(html.indexOf(src), html.lastIndexOf(src), name + " once");
      assertTrue(html.contains(src), name + " embedded");
    }
    assertEquals(names.size(), html.split("<img ", -1).length - 1, "one <img> per chart");
    assertFalse(html.contains("<b>sweep"), "the folder's name is escaped");
    assertTrue(html.contains("&lt;b&gt;sweep&amp;&#39;x (sweep)"), html);
    assertTrue(html.contains("<pre id=\"console-table\">"), html);
    assertTrue(html.contains("100% at about 1000"), "the sweep summary's table and fit");
    assertFalse(html.contains("id=\"interrupted\""), html);
    Matcher reference = Pattern.compile("(src|href|url)\\s*[=(]\\s*[\"']?+(?!data:)").matcher(html);
    assertFalse(reference.find(), () -> "an outside reference: " + reference.group());
    assertTrue(html.contains("content=\"default-src 'none'; img-src data:;"), "the CSP");
  }

  @Test
  void leavesOutTheKvChartWithANoteWhenNoGaugeWasReadAndSaysTheSweepWasCut(@TempDir Path dir)
      throws IOException {
    SweepSummary cut =
        SweepSummary.of(
            List.of(
                ReportsTest.result(
                    ReportsTest.profile().concurrency(1).build(), 0, OptionalDouble.empty())),
            List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(2)),
            90);
    String html = Files.readString(SweepReport.write(cut, dir), StandardCharsets.UTF_8);
    assertEquals(3, html.split("<img ", -1).length - 1, html);
    assertFalse(Files.exists(dir.resolve(Plots.DIRECTORY).resolve(SweepReport.KV_FILE)));
    assertTrue(html.contains("No KV-cache usage chart: no metrics page answered"), html);
    assertTrue(
        html.contains(
            "<p id=\"interrupted\"><strong>This sweep was interrupted at concurrency 2; not run:"
                + " concurrency 2."),
        html);
  }

  @Test
  void reportsAFolderInTheWayInOneLine(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(SweepReport.FILE));
    ArtifactWriteException e =
        assertThrows(ArtifactWriteException.class, () -> SweepReport.write(sweep(), dir));
    assertTrue(e.getMessage().contains(dir.resolve(SweepReport.FILE).toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
