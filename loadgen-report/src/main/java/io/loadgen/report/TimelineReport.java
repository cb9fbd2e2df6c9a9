package io.loadgen.report;

import io.loadgen.report.internal.html.ReportPage;
import io.loadgen.report.internal.html.TimelinePage;
import io.loadgen.report.internal.plots.Charts;
import io.loadgen.report.internal.plots.Series;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report of quantities over time (an autoscaler's rehearsal: replicas, the gauge, latencies),
 * written as a run's is: each chart a PNG in {@code plots/}, then {@code report.html}, one file
 * that opens offline with the text as printed and the charts embedded.
 */
public final class TimelineReport {
  /** The report's file name. */
  public static final String FILE = "report.html";

  /** One line of a chart: a value at each time, in seconds; NaN leaves a point out. */
  public record Line(String name, double[] seconds, double[] values) {
    public Line {
      if (seconds.length != values.length) {
        throw new IllegalArgumentException(
            seconds.length + " times but " + values.length + " values");
      }
      seconds = seconds.clone();
      values = values.clone();
    }
  }

  /** One chart: its title, its value axis, and its lines. */
  public record Panel(String title, String valueLabel, List<Line> lines) {
    public Panel {
      lines = List.copyOf(lines);
    }
  }

  private TimelineReport() {}

  /**
   * Draws {@code panels} into {@code dir/plots/} and writes {@code dir/report.html}.
   *
   * @return the report written
   * @throws ArtifactWriteException when a chart or the report cannot be written
   */
  public static Path write(Path dir, String title, String text, List<Panel> panels) {
    Path plots = dir.resolve(Plots.DIRECTORY);
    List<ReportPage.Chart> charts = new ArrayList<>();
    try {
      Files.createDirectories(plots);
      for (Panel panel : panels) {
        List<Series> series = new ArrayList<>();
        for (Line line : panel.lines()) {
          series.add(withoutGaps(line));
        }
        Path file = plots.resolve(fileName(panel.title()));
        Charts.writePng(Charts.levels(panel.title(), "Time (s)", panel.valueLabel(), series), file);
        charts.add(new ReportPage.Chart(file.getFileName().toString(), Files.readAllBytes(file)));
      }
      Path report = dir.resolve(FILE);
      Files.writeString(
          report, TimelinePage.render(title, title, text, charts), StandardCharsets.UTF_8);
      return report;
    } catch (IOException e) {
      throw new ArtifactWriteException(dir, "cannot write the report: " + e.getMessage(), e);
    } catch (LinkageError | InternalError | java.awt.HeadlessException e) {
      throw ArtifactWriteException.cannotDraw(plots, e);
    }
  }

  private static Series withoutGaps(Line line) {
    int n = 0;
    for (double v : line.values()) {
      n += Double.isNaN(v) ? 0 : 1;
    }
    double[] x = new double[n];
    double[] y = new double[n];
    int k = 0;
    for (int i = 0; i < line.values().length; i++) {
      if (!Double.isNaN(line.values()[i])) {
        x[k] = line.seconds()[i];
        y[k++] = line.values()[i];
      }
    }
    return new Series(line.name(), x, y);
  }

  private static String fileName(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "")
        + ".png";
  }
}
