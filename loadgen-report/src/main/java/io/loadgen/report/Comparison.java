package io.loadgen.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.Metric;
import io.loadgen.report.internal.compare.ComparedMetric;
import io.loadgen.report.internal.compare.RunFigures;
import io.loadgen.report.internal.compare.RunFiguresReader;
import io.loadgen.report.internal.html.ComparisonPage;
import io.loadgen.report.internal.html.ReportPage;
import io.loadgen.report.internal.plots.Charts;
import io.loadgen.report.internal.plots.HistogramLogs;
import io.loadgen.report.internal.plots.PlotData;
import io.loadgen.report.internal.plots.Series;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * Several runs side by side ({@code loadgen compare}), read from the folders {@code loadgen
 * profile} wrote: for each row of the console table, the avg, p50 and p99 of every run and, for
 * each run after the first, its change against the first in percent ({@code (run - first) / first *
 * 100}; none where a figure is missing or the first run's is 0).
 *
 * <p>{@link #write} puts {@value #CSV_FILE} (one table: a header row, then a row per metric),
 * {@value #JSON_FILE} and, in {@code plots/}, {@code <metric>_percentiles.png} for each latency
 * metric, every run's percentile curve on one chart, drawn from the runs' {@code .hlog} files (all
 * their intervals added up). The figures come from each run's {@code
 * profile_export_genai_perf.json} as written, so a comparison shows what each run reported.
 */
public final class Comparison {
  public static final String CSV_FILE = "compare.csv";
  public static final String JSON_FILE = "compare.json";
  public static final String REPORT_FILE = "report.html";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String NOT_APPLICABLE = "N/A";

  private final List<RunFigures> runs;
  private final List<ComparedMetric> rows;

  private Comparison(List<RunFigures> runs) {
    this.runs = List.copyOf(runs);
    this.rows = ComparedMetric.of(this.runs);
  }

  /**
   * Reads the runs in {@code runDirs}; the first is the baseline the others are compared with.
   *
   * @throws IllegalArgumentException for fewer than two folders
   * @throws RunDirectoryException for a folder that is not a run's, or whose export cannot be read
   */
  public static Comparison of(List<Path> runDirs) {
    if (runDirs.size() < 2) {
      throw new IllegalArgumentException(
          "a comparison needs two runs or more, got " + runDirs.size());
    }
    List<RunFigures> runs = new ArrayList<>();
    for (Path dir : runDirs) {
      runs.add(RunFiguresReader.read(dir));
    }
    return new Comparison(runs);
  }

  /** The console's table, each run named in a line under it, ending with a newline. */
  public String render() {
    List<String> header = new ArrayList<>();
    header.add("Metric");
    for (int run = 0; run < runs.size(); run++) {
      for (String statistic : ComparedMetric.STATISTICS) {
        header.add("run " + (run + 1) + " " + statistic);
        if (run > 0) {
          header.add("Δ");
        }
      }
    }
    List<List<String>> cells = new ArrayList<>();
    for (ComparedMetric row : rows) {
      List<String> line = new ArrayList<>();
      line.add(row.label());
      for (int run = 0; run < runs.size(); run++) {
        for (int s = 0; s < ComparedMetric.STATISTICS.size(); s++) {
          double value = row.value(run, s);
          line.add(Double.isNaN(value) ? NOT_APPLICABLE : display(row, value));
          if (run > 0) {
            OptionalDouble change = row.changePercent(run, s);
            line.add(change.isPresent() ? percent(change.getAsDouble()) + "%" : NOT_APPLICABLE);
          }
        }
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder(ConsoleTable.table("Comparison", header, cells));
    for (int run = 0; run < runs.size(); run++) {
      out.append("run ")
          .append(run + 1)
          .append(run == 0 ? " (baseline): " : ": ")
          .append(runs.get(run).directory())
          .append('\n');
    }
    out.append("Δ: the change against run 1, in percent.\n");
    return out.toString();
  }

  /**
   * The CSV: a header row ({@code Metric}, then for each run, named by its folder, {@code <folder>
   * avg}, {@code p50}, {@code p99}, each followed by its {@code change %} after the first run) and
   * a row per metric; a figure a run does not have is an empty field.
   */
  String csv() {
    List<String> header = new ArrayList<>();
    header.add("Metric");
    for (int run = 0; run < runs.size(); run++) {
      String name = runs.get(run).directory().toString();
      for (String statistic : ComparedMetric.STATISTICS) {
        header.add(name + " " + statistic);
        if (run > 0) {
          header.add(name + " " + statistic + " change %");
        }
      }
    }
    CsvRows csv = new CsvRows().row(header);
    for (ComparedMetric row : rows) {
      List<String> line = new ArrayList<>();
      line.add(row.label());
      for (int run = 0; run < runs.size(); run++) {
        for (int s = 0; s < ComparedMetric.STATISTICS.size(); s++) {
          double value = row.value(run, s);
          line.add(Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2f", value));
          if (run > 0) {
            OptionalDouble change = row.changePercent(run, s);
            line.add(change.isPresent() ? percent(change.getAsDouble()) : "");
          }
        }
      }
      csv.row(line);
    }
    return csv.toString();
  }

  /**
   * The JSON: {@code runs}, the folders in order (the first the baseline), and {@code metrics}, one
   * object per row with its key, label, unit and, per run, {@code avg}, {@code p50}, {@code p99}
   * and (after the first) {@code change_percent} of each; null where there is no figure.
   */
  String json() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode dirs = root.putArray("runs");
    runs.forEach(run -> dirs.add(run.directory().toString()));
    ArrayNode metrics = root.putArray("metrics");
    for (ComparedMetric row : rows) {
      ObjectNode metric = metrics.addObject();
      metric.put("key", row.key());
      metric.put("label", row.label());
      metric.put("unit", row.unit());
      ArrayNode perRun = metric.putArray("runs");
      for (int run = 0; run < runs.size(); run++) {
        ObjectNode figures = perRun.addObject();
        figures.put("directory", runs.get(run).directory().toString());
        ObjectNode changes = run > 0 ? figures.putObject("change_percent") : null;
        for (int s = 0; s < ComparedMetric.STATISTICS.size(); s++) {
          String statistic = ComparedMetric.STATISTICS.get(s);
          double value = row.value(run, s);
          if (Double.isNaN(value)) {
            figures.putNull(statistic);
          } else {
            figures.put(statistic, value);
          }
          if (changes != null) {
            OptionalDouble change = row.changePercent(run, s);
            if (change.isPresent()) {
              changes.put(statistic, change.getAsDouble());
            } else {
              changes.putNull(statistic);
            }
          }
        }
      }
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  /**
   * Writes the CSV, the JSON, the overlaid percentile charts and a {@code report.html} of them all
   * into {@code out}, creating it.
   *
   * @return the files written: the CSV, the JSON, the charts, then the report
   * @throws ArtifactWriteException when a file cannot be written, a run's {@code .hlog} cannot be
   *     read, or Java's graphics cannot draw
   */
  public List<Path> write(Path out) {
    List<Path> written = new ArrayList<>();
    create(out);
    Path csvFile = out.resolve(CSV_FILE);
    Path jsonFile = out.resolve(JSON_FILE);
    try {
      writeText(csvFile, csv());
      written.add(csvFile);
      writeText(jsonFile, json());
      written.add(jsonFile);
    } catch (IOException e) {
      Path file = written.isEmpty() ? csvFile : jsonFile;
      throw ArtifactWriteException.comparisonOutput(file, why(e), e);
    }
    Path plots = out.resolve(Plots.DIRECTORY);
    create(plots);
    try {
      drawPercentiles(plots, written);
    } catch (LinkageError | InternalError | java.awt.HeadlessException e) {
      throw ArtifactWriteException.cannotDraw(plots, e);
    }
    Path report = out.resolve(REPORT_FILE);
    try {
      List<ReportPage.Chart> charts = new ArrayList<>();
      for (Path chart : written.subList(2, written.size())) {
        charts.add(new ReportPage.Chart(chart.getFileName().toString(), Files.readAllBytes(chart)));
      }
      List<String> folders = new ArrayList<>();
      for (RunFigures run : runs) {
        folders.add(run.directory().toString());
      }
      writeText(report, ComparisonPage.render(folders, render(), charts));
    } catch (IOException e) {
      throw ArtifactWriteException.comparisonOutput(report, why(e), e);
    }
    written.add(report);
    return written;
  }

  private void drawPercentiles(Path plots, List<Path> written) {
    for (Metric metric : Metric.values()) {
      if (!metric.recordedUnit().equals("ns")) {
        continue; // a latency metric is a time; token counts and rates have no such curve
      }
      List<Series> curves = new ArrayList<>();
      for (int run = 0; run < runs.size(); run++) {
        Path log = runs.get(run).directory().resolve(metric.key() + ".hlog");
        if (!Files.isRegularFile(log)) {
          continue;
        }
        Histogram histogram;
        try {
          histogram = HistogramLogs.readMerged(log);
        } catch (IOException | RuntimeException e) {
          throw ArtifactWriteException.comparisonOutput(
              plots, "cannot read " + log + ": " + e.getMessage(), e);
        }
        if (histogram.getTotalCount() > 0) {
          String name = "run " + (run + 1) + ": " + runs.get(run).directory().getFileName();
          curves.add(PlotData.percentileCurve(name, histogram, metric.scale()));
        }
      }
      if (curves.isEmpty()) {
        continue;
      }
      Path file = plots.resolve(metric.key() + "_percentiles.png");
      try {
        Charts.writePng(
            Charts.percentiles(
                metric.label() + " by Percentile",
                metric.label() + " (" + metric.unit() + ")",
                curves),
            file);
      } catch (IOException e) {
        throw ArtifactWriteException.comparisonOutput(file, why(e), e);
      }
      written.add(file);
    }
  }

  private static void create(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (FileAlreadyExistsException e) {
      throw ArtifactWriteException.comparisonOutput(
          directory, "a file of that name is in the way", e);
    } catch (IOException e) {
      throw ArtifactWriteException.comparisonOutput(directory, why(e), e);
    }
  }

  private static void writeText(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String why(IOException e) {
    return e instanceof AccessDeniedException
        ? "permission denied"
        : String.valueOf(e.getMessage());
  }

  private static String display(ComparedMetric row, double value) {
    return row.key().equals("request_count")
        ? String.format(Locale.ROOT, "%,d", (long) value)
        : ConsoleTable.number(value);
  }

  /** A change with its sign, to two decimals: {@code +12.50}, {@code -3.00}, {@code +0.00}. */
  private static String percent(double change) {
    // -0.0 (a figure that fell by less than the rounding) reads as no change, not a fall.
    double rounded = Math.round(change * 100.0) / 100.0;
    return String.format(Locale.ROOT, "%+.2f", rounded == 0 ? 0.0 : rounded);
  }
}
