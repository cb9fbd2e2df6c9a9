package io.loadgen.report;

import io.loadgen.core.Metric;
import io.loadgen.report.internal.plots.Charts;
import io.loadgen.report.internal.plots.HistogramLogs;
import io.loadgen.report.internal.plots.InteractiveChart;
import io.loadgen.report.internal.plots.InteractiveChart.Kind;
import io.loadgen.report.internal.plots.InteractivePage;
import io.loadgen.report.internal.plots.PlotData;
import io.loadgen.report.internal.plots.RawExportReader;
import io.loadgen.report.internal.plots.RequestSample;
import io.loadgen.report.internal.plots.Series;
import io.loadgen.report.internal.plots.ServerMetricsReader;
import io.loadgen.report.internal.plots.ServerSeries;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.jfree.chart.JFreeChart;

/**
 * Draws a run's charts ({@code --generate-plots}) into {@code <run dir>/plots/} as PNG images, from
 * the files the run wrote, so that a folder can be drawn again later without the run: genai-perf's
 * set, with its file names, and HdrHistogram's percentile curves, which genai-perf lacks.
 *
 * <ul>
 *   <li>From the {@code .hlog} files (always there): {@code time_to_first_token.png} and {@code
 *       request_latency.png}, box plots; {@code <metric>_percentiles.png} for each latency metric,
 *       its value against the percentile on a log scale of {@code 1 / (1 - p)} (90%, 99%, 99.9%).
 *   <li>From the raw export ({@code profile_export.json}, absent after {@code --no-raw-export}),
 *       one point per measured successful request or token: {@code
 *       time_to_first_token_vs_input_sequence_lengths.png} and {@code
 *       token-to-token_latency_vs_output_token_position.png}; and {@code
 *       distribution_of_input_sequence_lengths_to_output_sequence_lengths.png}, genai-perf's heat
 *       map of those requests counted by input and output length.
 *   <li>From {@code profile_export_genai_perf.json}'s {@code server_metrics}, when the run scraped
 *       the server: {@code server_metrics.png}, the KV-cache usage over time above the requests
 *       running and waiting on the server and those the client had in flight.
 * </ul>
 *
 * Each chart is also written as {@code <name>.html} beside its PNG: one page that opens offline,
 * with uPlot's code inline and the chart's data as JSON (a point per request or token), to zoom
 * into and hover over. uPlot has no box plot, so a box plot's page draws its box in a draw hook
 * from the figures uPlot places (its scale and axes).
 *
 * <p>A chart with nothing to show (time to first token of a run without streaming) is not drawn.
 * Rendering needs no display: {@code java.awt.headless} is set to true unless already set.
 */
public final class Plots {
  /** The folder, inside the run's, that holds the charts. */
  public static final String DIRECTORY = "plots";

  /** The raw export's file name when {@code --profile-export-file} does not change it. */
  public static final String RAW_EXPORT_FILE = "profile_export.json";

  private Plots() {}

  /** Draws the charts of {@code runDir} with the raw export under its default name. */
  public static List<Path> write(Path runDir) {
    return write(runDir, RAW_EXPORT_FILE);
  }

  /**
   * Draws the charts of {@code runDir}, whose raw export is {@code rawExportFileName} (skipped,
   * with the charts made from it, when the file is absent).
   *
   * @return the files written: the box plots, the per-request charts, the percentile curves, then
   *     the server metrics, each chart's {@code .html} page right after its {@code .png}
   * @throws ArtifactWriteException when a chart cannot be written or a run file cannot be read
   */
  public static List<Path> write(Path runDir, String rawExportFileName) {
    Path plots = runDir.resolve(DIRECTORY);
    create(plots);
    try {
      return draw(runDir, rawExportFileName, plots);
    } catch (LinkageError | InternalError | java.awt.HeadlessException e) {
      // AWT's native font code missing or failing (a slim JRE without fontconfig): said in a line.
      throw ArtifactWriteException.cannotDraw(plots, e);
    }
  }

  /**
   * The run at a glance, for a report made without {@code --generate-plots}: the two box plots and
   * the percentile curves of time to first token and inter-token latency, drawn in memory from the
   * {@code .hlog} files, nothing written. Empty when there is no log to draw from, or when charts
   * cannot be drawn here (a JRE without fonts): the report then says so instead.
   */
  static List<NamedPng> glance(Path runDir) {
    List<NamedPng> charts = new ArrayList<>();
    try {
      for (Metric metric : List.of(Metric.TIME_TO_FIRST_TOKEN, Metric.REQUEST_LATENCY)) {
        Optional<Histogram> histogram = histogram(runDir, metric);
        if (histogram.isPresent()) {
          String axis = metric.label() + " (" + metric.unit() + ")";
          PlotData.Box box = PlotData.box(histogram.get(), metric.scale());
          charts.add(
              new NamedPng(
                  metric.key() + ".png", Charts.png(Charts.box(metric.label(), axis, box))));
        }
      }
      for (Metric metric : List.of(Metric.TIME_TO_FIRST_TOKEN, Metric.INTER_TOKEN_LATENCY)) {
        Optional<Histogram> histogram = histogram(runDir, metric);
        if (histogram.isPresent()) {
          String axis = metric.label() + " (" + metric.unit() + ")";
          Series curve = PlotData.percentileCurve(metric.label(), histogram.get(), metric.scale());
          charts.add(
              new NamedPng(
                  metric.key() + "_percentiles.png",
                  Charts.png(Charts.percentiles(metric.label() + " by Percentile", axis, curve))));
        }
      }
    } catch (IOException | ArtifactWriteException e) {
      return List.of(); // a log that cannot be read: the run's own exports said so already
    } catch (LinkageError | InternalError | java.awt.HeadlessException e) {
      return List.of();
    }
    return charts;
  }

  /** A chart drawn in memory: its would-be file name and its PNG. */
  record NamedPng(String name, byte[] png) {}

  private static List<Path> draw(Path runDir, String rawExportFileName, Path plots) {
    List<Path> written = new ArrayList<>();
    InteractivePage page = InteractivePage.load();
    Optional<Histogram> ttft = histogram(runDir, Metric.TIME_TO_FIRST_TOKEN);
    Optional<Histogram> latency = histogram(runDir, Metric.REQUEST_LATENCY);
    if (ttft.isPresent()) {
      box(Metric.TIME_TO_FIRST_TOKEN, "Time to First Token", ttft.get(), plots, page, written);
    }
    if (latency.isPresent()) {
      box(Metric.REQUEST_LATENCY, "Request Latency", latency.get(), plots, page, written);
    }
    Path raw = runDir.resolve(rawExportFileName);
    if (Files.isRegularFile(raw)) {
      List<RequestSample> requests = read(raw);
      if (ttft.isPresent()) {
        scatter(
            "Time to First Token vs Input Sequence Lengths",
            "Input sequence length (tokens)",
            "Time to first token (ms)",
            PlotData.timeToFirstTokenVsInputLength(requests),
            plots.resolve("time_to_first_token_vs_input_sequence_lengths"),
            page,
            written);
      }
      Series tokens = PlotData.tokenToTokenLatencyVsPosition(requests);
      if (tokens.size() > 0) {
        scatter(
            "Token-to-Token Latency vs Output Token Position",
            "Output token position",
            "Token-to-token latency (ms)",
            tokens,
            plots.resolve("token-to-token_latency_vs_output_token_position"),
            page,
            written);
      }
      if (!requests.isEmpty()) {
        String title = "Distribution of Input Sequence Lengths to Output Sequence Lengths";
        String x = "Input sequence length (tokens)";
        String y = "Output sequence length (tokens)";
        String name = "distribution_of_input_sequence_lengths_to_output_sequence_lengths";
        PlotData.Heatmap cells = PlotData.lengthHeatmap(requests);
        write(Charts.heatmap(title, x, y, cells), plots.resolve(name + ".png"), written);
        page(
            page,
            InteractiveChart.heatmap(title, x, y, cells),
            plots.resolve(name + ".html"),
            written);
      }
    }
    for (Metric metric : Metric.values()) {
      if (!metric.recordedUnit().equals("ns")) {
        continue; // a latency metric is a time; token counts and rates have no such curve
      }
      Optional<Histogram> histogram =
          metric == Metric.TIME_TO_FIRST_TOKEN
              ? ttft
              : metric == Metric.REQUEST_LATENCY ? latency : histogram(runDir, metric);
      if (histogram.isPresent()) {
        String title = metric.label() + " by Percentile";
        String axis = metric.label() + " (" + metric.unit() + ")";
        Series curve = PlotData.percentileCurve(metric.label(), histogram.get(), metric.scale());
        write(
            Charts.percentiles(title, axis, curve),
            plots.resolve(metric.key() + "_percentiles.png"),
            written);
        page(
            page,
            InteractiveChart.of(title, Kind.PERCENTILES, "Percentile", axis, curve),
            plots.resolve(metric.key() + "_percentiles.html"),
            written);
      }
    }
    Path summary = runDir.resolve(Exports.JSON_FILE);
    if (Files.isRegularFile(summary)) {
      List<ServerSeries> replicas = readServerMetrics(summary);
      if (!replicas.isEmpty()) {
        write(Charts.serverMetrics(replicas), plots.resolve("server_metrics.png"), written);
        page(page, serverMetrics(replicas), plots.resolve("server_metrics.html"), written);
      }
    }
    return written;
  }

  private static void scatter(
      String title,
      String xLabel,
      String yLabel,
      Series series,
      Path fileWithoutExtension,
      InteractivePage page,
      List<Path> written) {
    String name = fileWithoutExtension.getFileName().toString();
    write(
        Charts.scatter(title, xLabel, yLabel, series),
        fileWithoutExtension.resolveSibling(name + ".png"),
        written);
    page(
        page,
        InteractiveChart.of(title, Kind.SCATTER, xLabel, yLabel, series),
        fileWithoutExtension.resolveSibling(name + ".html"),
        written);
  }

  /** The requests on the left axis and the KV-cache usage on the right, per replica. */
  private static InteractiveChart serverMetrics(List<ServerSeries> replicas) {
    List<InteractiveChart.Trace> traces = new ArrayList<>();
    for (int r = 0; r < replicas.size(); r++) {
      ServerSeries replica = replicas.get(r);
      String of = replicas.size() > 1 ? " (replica " + (r + 1) + ")" : "";
      double[] t = replica.seconds();
      traces.add(
          new InteractiveChart.Trace(
              new Series("KV-cache usage (%)" + of, t, replica.kvCacheUsagePercent()), true));
      traces.add(
          new InteractiveChart.Trace(new Series("Running" + of, t, replica.running()), false));
      traces.add(
          new InteractiveChart.Trace(new Series("Waiting" + of, t, replica.waiting()), false));
    }
    // The client's count is one for the run, recorded with each replica's scrape: the first's.
    ServerSeries first = replicas.get(0);
    traces.add(
        new InteractiveChart.Trace(
            new Series("Client in flight", first.seconds(), first.clientInFlight()), false));
    return new InteractiveChart(
        "Server Metrics over Time",
        Kind.LINES,
        "Time since the run's start (s)",
        "Requests",
        "KV-cache usage (%)",
        traces);
  }

  private static void page(
      InteractivePage page, InteractiveChart chart, Path file, List<Path> written) {
    try {
      page.write(chart, file);
    } catch (AccessDeniedException e) {
      throw new ArtifactWriteException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ArtifactWriteException(file, String.valueOf(e.getMessage()), e);
    }
    written.add(file);
  }

  private static void create(Path plots) {
    try {
      Files.createDirectories(plots);
    } catch (FileAlreadyExistsException e) {
      throw new ArtifactWriteException(plots, "a file of that name is in the way", e);
    } catch (AccessDeniedException e) {
      throw new ArtifactWriteException(plots, "permission denied", e);
    } catch (IOException e) {
      throw new ArtifactWriteException(plots, String.valueOf(e.getMessage()), e);
    }
  }

  private static List<ServerSeries> readServerMetrics(Path summary) {
    try {
      return ServerMetricsReader.read(summary);
    } catch (IOException e) {
      throw new ArtifactWriteException(
          summary.resolveSibling(DIRECTORY),
          "cannot read " + summary.getFileName() + ": " + e.getMessage(),
          e);
    }
  }

  private static void box(
      Metric metric,
      String title,
      Histogram histogram,
      Path plots,
      InteractivePage page,
      List<Path> written) {
    String axis = metric.label() + " (" + metric.unit() + ")";
    PlotData.Box figures = PlotData.box(histogram, metric.scale());
    write(Charts.box(title, axis, figures), plots.resolve(metric.key() + ".png"), written);
    String requests = String.format(Locale.ROOT, "%d requests", figures.count());
    page(
        page,
        InteractiveChart.box(title, requests, axis, figures),
        plots.resolve(metric.key() + ".html"),
        written);
  }

  /** The metric's whole-run histogram, or empty when its log is absent or holds no value. */
  private static Optional<Histogram> histogram(Path runDir, Metric metric) {
    Path file = runDir.resolve(metric.key() + ".hlog");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Histogram histogram = HistogramLogs.readMerged(file);
      return histogram.getTotalCount() == 0 ? Optional.empty() : Optional.of(histogram);
    } catch (IOException | RuntimeException e) {
      throw new ArtifactWriteException(
          runDir.resolve(DIRECTORY),
          "cannot read " + file.getFileName() + ": " + e.getMessage(),
          e);
    }
  }

  private static List<RequestSample> read(Path raw) {
    try {
      return RawExportReader.read(raw);
    } catch (IOException e) {
      throw new ArtifactWriteException(
          raw.resolveSibling(DIRECTORY),
          "cannot read " + raw.getFileName() + ": " + e.getMessage(),
          e);
    }
  }

  private static void write(JFreeChart chart, Path file, List<Path> written) {
    try {
      Charts.writePng(chart, file);
    } catch (AccessDeniedException e) {
      throw new ArtifactWriteException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ArtifactWriteException(file, String.valueOf(e.getMessage()), e);
    }
    written.add(file);
  }
}
