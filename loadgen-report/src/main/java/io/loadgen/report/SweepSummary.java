package io.loadgen.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.SeriesStats;
import io.loadgen.core.Statistic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a sweep over load levels: per level, latency, throughput, the server's running and
 * waiting requests and its KV-cache usage; then the KV-cache usage per concurrent request, fitted
 * by least squares through the origin over the levels (usage = slope x requests in flight), and the
 * concurrency at which usage would reach the target. That concurrency is what an autoscaler's
 * target value on the KV gauge corresponds to.
 *
 * <p>Requests in flight are the client's, averaged over the scrapes of a level: the concurrency in
 * closed loop, and what the rate produced in open loop.
 *
 * <p>A sweep that did not run every level to its end (Ctrl-C, a level stopped because the target
 * cannot be profiled) is summarised over the levels that ran, and says so: {@link #interrupted()},
 * the level that was cut ({@link #interruptedLevel()}: the one stopped, or else the first that did
 * not run) and the levels that never ran.
 */
public final class SweepSummary {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> COLUMNS =
      List.of(
          "level",
          "requests_in_flight",
          "ttft_p50_ms",
          "ttft_p99_ms",
          "itl_p50_ms",
          "itl_p99_ms",
          "output_token_throughput",
          "request_throughput",
          "running_avg",
          "running_max",
          "waiting_avg",
          "waiting_max",
          "kv_cache_usage_avg_pct",
          "kv_cache_usage_max_pct",
          "requests",
          "errors",
          "interrupted");

  private final List<Level> levels;
  private final List<String> levelsNotRun;
  private final String interruptedLevel;
  private final double kvTargetPercent;
  private final double kvPercentPerRequest;
  private final double kvPercentPerRunningRequest;

  /**
   * One load level's figures; NaN where there was nothing to measure. {@code interrupted}: the
   * level was stopped before its end (Ctrl-C, or because the target cannot be profiled). {@code
   * directory}: the level's run directory, relative to the sweep's (genai-perf's name for it,
   * {@link ArtifactNames#directoryName}), so that a reader of {@code sweep_summary.json} finds the
   * level's exports.
   */
  public record Level(
      String level,
      double inFlight,
      double ttftP50,
      double ttftP99,
      double itlP50,
      double itlP99,
      double outputTokenThroughput,
      double requestThroughput,
      SeriesStats running,
      SeriesStats waiting,
      SeriesStats kvPercent,
      long requests,
      long errors,
      boolean interrupted,
      String directory) {}

  private SweepSummary(
      List<Level> levels,
      List<String> levelsNotRun,
      String interruptedLevel,
      double kvTargetPercent) {
    this.levels = List.copyOf(levels);
    this.levelsNotRun = List.copyOf(levelsNotRun);
    this.interruptedLevel = interruptedLevel;
    this.kvTargetPercent = kvTargetPercent;
    this.kvPercentPerRequest = slopeThroughOrigin(levels, Level::inFlight);
    this.kvPercentPerRunningRequest = slopeThroughOrigin(levels, l -> l.running().avg());
  }

  /**
   * Least squares of KV-cache usage on {@code x} over the levels, for a line through the origin.
   */
  private static double slopeThroughOrigin(
      List<Level> levels, java.util.function.ToDoubleFunction<Level> x) {
    double xy = 0;
    double xx = 0;
    for (Level level : levels) {
      double v = x.applyAsDouble(level);
      if (level.kvPercent().count() > 0 && !Double.isNaN(v)) {
        xy += v * level.kvPercent().avg();
        xx += v * v;
      }
    }
    return xx == 0 ? Double.NaN : xy / xx;
  }

  /** The summary of these runs, one per level in order: every level the sweep planned. */
  public static SweepSummary of(List<ProfileResult> results, double kvTargetPercent) {
    return of(
        results, results.stream().map(r -> r.profile().load().mode()).toList(), kvTargetPercent);
  }

  /**
   * The summary of the runs of a sweep of the {@code planned} levels, one result per level that
   * ran, in order: fewer than planned when the sweep was cut short.
   */
  public static SweepSummary of(
      List<ProfileResult> results, List<? extends LoadMode> planned, double kvTargetPercent) {
    List<Level> levels = new ArrayList<>();
    String interruptedLevel = null;
    for (ProfileResult r : results) {
      boolean cut = r.summary().interrupted() || r.summary().aborted();
      if (cut && interruptedLevel == null) {
        interruptedLevel = label(r.profile().load().mode());
      }
      double[] inFlight = r.serverMetrics().average(s -> s.clientInFlight());
      double meanInFlight = SeriesStats.of(inFlight).avg();
      if (Double.isNaN(meanInFlight)
          && r.profile().load().mode() instanceof LoadMode.Concurrency c) {
        meanInFlight =
            c.concurrency(); // a closed loop keeps its level in flight; a capped rate may not
      }
      levels.add(
          new Level(
              label(r),
              meanInFlight,
              stat(r, Metric.TIME_TO_FIRST_TOKEN, Statistic.P50),
              stat(r, Metric.TIME_TO_FIRST_TOKEN, Statistic.P99),
              stat(r, Metric.INTER_TOKEN_LATENCY, Statistic.P50),
              stat(r, Metric.INTER_TOKEN_LATENCY, Statistic.P99),
              r.summary().outputTokenThroughput(),
              r.summary().requestThroughput(),
              r.serverMetrics().running(),
              r.serverMetrics().waiting(),
              r.serverMetrics().kvCacheUsagePercent(),
              r.summary().requestCount(),
              r.summary().errorCount(),
              cut,
              ArtifactNames.directoryName(r.profile())));
    }
    List<String> notRun = new ArrayList<>();
    for (int i = results.size(); i < planned.size(); i++) {
      notRun.add(label(planned.get(i)));
    }
    if (interruptedLevel == null && !notRun.isEmpty()) {
      interruptedLevel = notRun.get(0); // stopped between levels: the next never started
    }
    return new SweepSummary(levels, notRun, interruptedLevel, kvTargetPercent);
  }

  private static String label(ProfileResult r) {
    return label(r.profile().load().mode());
  }

  private static String label(LoadMode mode) {
    return mode.key() + " " + mode.level();
  }

  private static double stat(ProfileResult r, Metric metric, Statistic statistic) {
    return r.stats(metric).count() == 0 ? Double.NaN : r.stats(metric).get(statistic);
  }

  public List<Level> levels() {
    return levels;
  }

  /** True when the sweep did not run every planned level to its end. */
  public boolean interrupted() {
    return interruptedLevel != null;
  }

  /**
   * The level that was cut: the one stopped while it ran, or else the first that never started;
   * null when the sweep was not interrupted.
   */
  public String interruptedLevel() {
    return interruptedLevel;
  }

  /** The planned levels that never started, in order. */
  public List<String> levelsNotRun() {
    return levelsNotRun;
  }

  /** KV-cache usage, in percent, per request in flight; NaN without KV data. */
  public double kvPercentPerRequest() {
    return kvPercentPerRequest;
  }

  /**
   * KV-cache usage, in percent, per request the server says it is running: what one request holds,
   * to check against the server's block arithmetic; requests queued behind it hold none.
   */
  public double kvPercentPerRunningRequest() {
    return kvPercentPerRunningRequest;
  }

  /** The KV-cache usage, in percent, whose requests in flight the sweep estimates. */
  public double kvTargetPercent() {
    return kvTargetPercent;
  }

  /** The requests in flight at which usage would reach the target; NaN without KV data. */
  public double concurrencyAtKvTarget() {
    return kvPercentPerRequest > 0 ? kvTargetPercent / kvPercentPerRequest : Double.NaN;
  }

  /** The console table and the fitted figures. */
  public String render() {
    List<String> header =
        List.of(
            "Level",
            "In flight",
            "TTFT p50",
            "TTFT p99",
            "ITL p50",
            "ITL p99",
            "Tokens/s",
            "Running",
            "Waiting max",
            "KV avg %",
            "KV max %");
    List<List<String>> rows = new ArrayList<>();
    for (Level l : levels) {
      rows.add(
          List.of(
              l.level(),
              fmt(l.inFlight(), 1),
              fmt(l.ttftP50(), 2),
              fmt(l.ttftP99(), 2),
              fmt(l.itlP50(), 2),
              fmt(l.itlP99(), 2),
              fmt(l.outputTokenThroughput(), 0),
              fmt(l.running().avg(), 1),
              fmt(l.waiting().max(), 0),
              fmt(l.kvPercent().avg(), 2),
              fmt(l.kvPercent().max(), 2)));
    }
    StringBuilder out =
        new StringBuilder(
            ConsoleTable.table("Sweep Summary (ms; KV-cache usage in %)", header, rows));
    if (interrupted()) {
      out.append("Interrupted at ")
          .append(interruptedLevel)
          .append(levelsNotRun.isEmpty() ? "" : "; not run: " + String.join(", ", levelsNotRun))
          .append(". The figures cover what each level measured until then.\n");
    }
    if (Double.isNaN(kvPercentPerRequest)) {
      out.append(
          "No KV-cache usage was read: no metrics page answered, or none had a known KV-cache gauge.\n");
    } else {
      out.append(
          String.format(
              Locale.ROOT,
              "KV-cache usage per request in flight: %.4f%% (least squares through 0); %.0f%% at about %.0f "
                  + "requests in flight.%n",
              kvPercentPerRequest,
              kvTargetPercent,
              concurrencyAtKvTarget()));
      if (!Double.isNaN(kvPercentPerRunningRequest)) {
        out.append(
            String.format(
                Locale.ROOT,
                "KV-cache usage per request the server runs: %.4f%%.%n",
                kvPercentPerRunningRequest));
      }
    }
    return out.toString();
  }

  /**
   * Writes {@code sweep_summary.csv} and {@code sweep_summary.json} into {@code directory}. The CSV
   * is one table, a header and a row per level that ran, so that {@code pandas.read_csv} and
   * spreadsheets read it as it is; the fit and whether the sweep was cut (the level cut, the levels
   * not run) are facts about the whole sweep, not a level, and are in the JSON and the console
   * table only.
   */
  public void write(Path directory) {
    Path csv = directory.resolve("sweep_summary.csv");
    Path json = directory.resolve("sweep_summary.json");
    try {
      Files.writeString(csv, csv(), StandardCharsets.UTF_8);
      Files.writeString(json, JSON.writeValueAsString(json()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ArtifactWriteException(directory, String.valueOf(e.getMessage()), e);
    }
  }

  String csv() {
    CsvRows csv = new CsvRows().row(COLUMNS);
    for (Level l : levels) {
      csv.row(
          l.level(),
          num(l.inFlight()),
          num(l.ttftP50()),
          num(l.ttftP99()),
          num(l.itlP50()),
          num(l.itlP99()),
          num(l.outputTokenThroughput()),
          num(l.requestThroughput()),
          num(l.running().avg()),
          num(l.running().max()),
          num(l.waiting().avg()),
          num(l.waiting().max()),
          num(l.kvPercent().avg()),
          num(l.kvPercent().max()),
          String.valueOf(l.requests()),
          String.valueOf(l.errors()),
          String.valueOf(l.interrupted()));
    }
    return csv.toString();
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("levels");
    for (Level l : levels) {
      ObjectNode node = array.addObject();
      List<Double> values =
          List.of(
              l.inFlight(),
              l.ttftP50(),
              l.ttftP99(),
              l.itlP50(),
              l.itlP99(),
              l.outputTokenThroughput(),
              l.requestThroughput(),
              l.running().avg(),
              l.running().max(),
              l.waiting().avg(),
              l.waiting().max(),
              l.kvPercent().avg(),
              l.kvPercent().max());
      node.put("level", l.level());
      for (int i = 0; i < values.size(); i++) {
        ServerMetricsExport.number(node, COLUMNS.get(i + 1), values.get(i));
      }
      node.put("requests", l.requests());
      node.put("errors", l.errors());
      node.put("interrupted", l.interrupted());
      node.put("directory", l.directory());
    }
    root.put("interrupted", interrupted());
    if (interrupted()) {
      root.put("interrupted_level", interruptedLevel);
    }
    ArrayNode notRun = root.putArray("levels_not_run");
    levelsNotRun.forEach(notRun::add);
    ObjectNode fit = root.putObject("fit");
    ServerMetricsExport.number(
        fit, "kv_cache_usage_pct_per_request_in_flight", kvPercentPerRequest);
    ServerMetricsExport.number(
        fit, "kv_cache_usage_pct_per_running_request", kvPercentPerRunningRequest);
    ServerMetricsExport.number(fit, "kv_target_pct", kvTargetPercent);
    ServerMetricsExport.number(fit, "requests_in_flight_at_kv_target", concurrencyAtKvTarget());
    return root;
  }

  private static String num(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? ""
        : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String fmt(double value, int decimals) {
    return Double.isNaN(value) ? "N/A" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }
}
