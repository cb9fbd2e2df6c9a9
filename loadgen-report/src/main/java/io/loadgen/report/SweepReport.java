package io.loadgen.report;

import io.loadgen.report.SweepSummary.Level;
import io.loadgen.report.internal.html.ReportPage;
import io.loadgen.report.internal.html.SweepPage;
import io.loadgen.report.internal.plots.Charts;
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
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;

/**
 * Writes a sweep's report into its artifact folder: the charts as PNG images into {@code plots/},
 * then {@code report.html}, one file that opens offline (as a run's, {@link HtmlReport}) holding
 * whether the sweep was cut, the sweep summary's console table ({@link SweepSummary#render()}) and
 * the charts embedded as {@code data:} URIs. The charts, a point per level that ran:
 *
 * <ul>
 *   <li>{@code sweep_time_to_first_token.png}: TTFT p50 and p99 against the load level (the
 *       concurrency, or the request rate);
 *   <li>{@code sweep_inter_token_latency.png}: ITL p50 and p99 against the level;
 *   <li>{@code sweep_throughput_vs_latency.png}: output token throughput against TTFT p99, each
 *       point labelled with its level: where throughput stops rising while latency climbs is the
 *       knee of the curve;
 *   <li>{@code sweep_kv_cache_usage.png}: KV-cache usage, avg and max, against the requests in
 *       flight, with the line fitted through the origin and the requests in flight at the KV target
 *       (marked when within twice the levels' range, else named in the legend); left out, with a
 *       note in the report, when no KV-cache gauge was read.
 * </ul>
 *
 * A level without a value (no TTFT without streaming) has no point on that chart; a chart with no
 * point at all is left out with a note.
 */
public final class SweepReport {
  /** The report's file name inside the sweep's artifact folder. */
  public static final String FILE = "report.html";

  static final String TTFT_FILE = "sweep_time_to_first_token.png";
  static final String ITL_FILE = "sweep_inter_token_latency.png";
  static final String THROUGHPUT_FILE = "sweep_throughput_vs_latency.png";
  static final String KV_FILE = "sweep_kv_cache_usage.png";

  private SweepReport() {}

  /**
   * Draws the charts of {@code summary} into {@code dir/plots/} and writes {@code dir/report.html}.
   *
   * @return the report written
   * @throws ArtifactWriteException when a chart or the report cannot be written
   */
  public static Path write(SweepSummary summary, Path dir) {
    Path plots = dir.resolve(Plots.DIRECTORY);
    List<ReportPage.Chart> charts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      create(plots);
      String levelAxis = levelAxis(summary);
      List<Series> ttft = latency(summary, "TTFT", Level::ttftP50, Level::ttftP99);
      draw(
          ttft,
          () -> Charts.levels("Time to First Token by Load Level", levelAxis, "TTFT (ms)", ttft),
          plots.resolve(TTFT_FILE),
          "No time to first token was measured (a run without --streaming).",
          charts,
          notes);
      List<Series> itl = latency(summary, "ITL", Level::itlP50, Level::itlP99);
      draw(
          itl,
          () -> Charts.levels("Inter-Token Latency by Load Level", levelAxis, "ITL (ms)", itl),
          plots.resolve(ITL_FILE),
          "No inter-token latency was measured (a run without --streaming).",
          charts,
          notes);
      Series knee = throughputByLatency(summary);
      draw(
          List.of(knee),
          () ->
              Charts.labelled(
                  "Output Token Throughput vs TTFT p99",
                  "TTFT p99 (ms)",
                  "Output token throughput (tokens/s)",
                  knee,
                  throughputLabels(summary)),
          plots.resolve(THROUGHPUT_FILE),
          "No throughput against latency: no level measured a time to first token.",
          charts,
          notes);
      List<Series> kv = kvByInFlight(summary);
      if (Double.isNaN(summary.kvPercentPerRequest())) {
        notes.add(
            "No KV-cache usage chart: no metrics page answered, or none had a known KV-cache"
                + " gauge.");
      } else {
        double target = summary.concurrencyAtKvTarget();
        draw(
            kv,
            () ->
                Charts.fitted(
                    "KV-Cache Usage vs Requests in Flight",
                    "Requests in flight",
                    "KV-cache usage (%)",
                    kv,
                    kvFit(summary),
                    kvTargetShown(summary) ? target : Double.NaN,
                    String.format(
                        Locale.ROOT,
                        "%.0f%% at %.0f in flight",
                        summary.kvTargetPercent(),
                        target)),
            plots.resolve(KV_FILE),
            "No KV-cache usage chart: no level read the KV-cache gauge.",
            charts,
            notes);
      }
    } catch (LinkageError | InternalError | java.awt.HeadlessException e) {
      // AWT's native font code missing or failing (a slim JRE without fontconfig): said in a line.
      throw ArtifactWriteException.cannotDraw(plots, e);
    }
    String page =
        SweepPage.render(
            dir.toAbsolutePath().normalize().getFileName() + " (sweep)",
            interruption(summary),
            summary.render(),
            notes,
            charts);
    Path file = dir.resolve(FILE);
    try {
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw failure(file, e);
    }
    return file;
  }

  private static String interruption(SweepSummary summary) {
    if (!summary.interrupted()) {
      return null;
    }
    return "This sweep was interrupted at "
        + summary.interruptedLevel()
        + (summary.levelsNotRun().isEmpty()
            ? ""
            : "; not run: " + String.join(", ", summary.levelsNotRun()))
        + ". The figures cover what each level measured until then.";
  }

  /** The x axis's label: the load mode of the levels. */
  private static String levelAxis(SweepSummary summary) {
    boolean rate =
        !summary.levels().isEmpty() && summary.levels().get(0).level().startsWith("request_rate");
    return rate ? "Request rate (requests/s)" : "Concurrency";
  }

  /**
   * The level's number: SweepSummary labels a level "{@code <mode key> <level>}" ("concurrency 4",
   * "request_rate 2.5").
   */
  static double levelValue(Level level) {
    String label = level.level();
    return Double.parseDouble(label.substring(label.lastIndexOf(' ') + 1));
  }

  /** p50 and p99 of a latency against the level, a point per level that measured it. */
  static List<Series> latency(
      SweepSummary summary, String name, ToDoubleFunction<Level> p50, ToDoubleFunction<Level> p99) {
    return List.of(
        points(summary, name + " p50", SweepReport::levelValue, p50),
        points(summary, name + " p99", SweepReport::levelValue, p99));
  }

  /** Output token throughput against TTFT p99, a point per level that measured both. */
  static Series throughputByLatency(SweepSummary summary) {
    return points(summary, "throughput", Level::ttftP99, Level::outputTokenThroughput);
  }

  private static List<String> throughputLabels(SweepSummary summary) {
    List<String> labels = new ArrayList<>();
    for (Level level : summary.levels()) {
      if (known(level.ttftP99()) && known(level.outputTokenThroughput())) {
        labels.add(level.level());
      }
    }
    return labels;
  }

  /** KV-cache usage avg and max against the requests in flight. */
  static List<Series> kvByInFlight(SweepSummary summary) {
    return List.of(
        points(summary, "KV-cache usage avg", Level::inFlight, l -> l.kvPercent().avg()),
        points(summary, "KV-cache usage max", Level::inFlight, l -> l.kvPercent().max()));
  }

  /**
   * The fitted line, usage = slope x in flight, from 0 to the last level, or on to the requests in
   * flight at the target when that is near enough ({@link #kvTargetShown}) to draw without
   * squeezing the measured points into a corner; the legend names the target either way.
   */
  static Series kvFit(SweepSummary summary) {
    double end = maxInFlight(summary);
    if (kvTargetShown(summary)) {
      end = summary.concurrencyAtKvTarget();
    }
    double slope = summary.kvPercentPerRequest();
    return new Series(
        String.format(
            Locale.ROOT,
            "fit: %.4f%% per request, %.0f%% at %.0f in flight",
            slope,
            summary.kvTargetPercent(),
            summary.concurrencyAtKvTarget()),
        new double[] {0, end},
        new double[] {0, slope * end});
  }

  /** Whether the target's requests in flight are within twice the most the levels had. */
  static boolean kvTargetShown(SweepSummary summary) {
    double target = summary.concurrencyAtKvTarget();
    return known(target) && target <= 2 * maxInFlight(summary);
  }

  private static double maxInFlight(SweepSummary summary) {
    double most = 0;
    for (Level level : summary.levels()) {
      if (known(level.inFlight())) {
        most = Math.max(most, level.inFlight());
      }
    }
    return most;
  }

  private static Series points(
      SweepSummary summary, String name, ToDoubleFunction<Level> x, ToDoubleFunction<Level> y) {
    List<double[]> kept = new ArrayList<>();
    for (Level level : summary.levels()) {
      double xv = x.applyAsDouble(level);
      double yv = y.applyAsDouble(level);
      if (known(xv) && known(yv)) {
        kept.add(new double[] {xv, yv});
      }
    }
    double[] xs = new double[kept.size()];
    double[] ys = new double[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      xs[i] = kept.get(i)[0];
      ys[i] = kept.get(i)[1];
    }
    return new Series(name, xs, ys);
  }

  private static boolean known(double value) {
    return !Double.isNaN(value) && !Double.isInfinite(value);
  }

  /** Draws the chart when any series has a point, or else notes why it is not there. */
  private static void draw(
      List<Series> series,
      java.util.function.Supplier<JFreeChart> chart,
      Path file,
      String noPoints,
      List<ReportPage.Chart> charts,
      List<String> notes) {
    if (series.stream().allMatch(s -> s.size() == 0)) {
      notes.add(noPoints);
      return;
    }
    try {
      Charts.writePng(chart.get(), file);
      charts.add(new ReportPage.Chart(file.getFileName().toString(), Files.readAllBytes(file)));
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  private static void create(Path plots) {
    try {
      Files.createDirectories(plots);
    } catch (FileAlreadyExistsException e) {
      throw new ArtifactWriteException(plots, "a file of that name is in the way", e);
    } catch (IOException e) {
      throw failure(plots, e);
    }
  }

  private static ArtifactWriteException failure(Path file, IOException e) {
    String why =
        e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    return new ArtifactWriteException(file, why, e);
  }
}
