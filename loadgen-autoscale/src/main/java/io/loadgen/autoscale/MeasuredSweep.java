package io.loadgen.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * A sweep read back from its artifact directory: {@code sweep_summary.json} and the run directory
 * of each level (named by the level's {@code directory} in the summary, or else found by the load
 * its {@code profile_export_genai_perf.json} was run at).
 *
 * <p>Levels are in ascending load. KV-cache usage is a fraction, 0..1, as the servers' gauges and
 * the HPA read it (the summary's percentages divided by 100). A metric's statistic is read from the
 * level's {@code <metric>.hlog} when it is there, so any percentile is exact to the histogram's
 * three significant digits; otherwise from the percentiles the JSON export lists.
 */
public final class MeasuredSweep {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a sweep's levels vary: closed-loop concurrency or open-loop request rate. */
  public enum LoadKind {
    CONCURRENCY("concurrency", "concurrency"),
    REQUEST_RATE("request_rate", "requests/s");

    private final String key;
    private final String unit;

    LoadKind(String key, String unit) {
      this.key = key;
      this.unit = unit;
    }

    /** The name the exports use: {@code concurrency} or {@code request_rate}. */
    public String key() {
      return key;
    }

    /** How the load is said: {@code concurrency} or {@code requests/s}. */
    public String unit() {
      return unit;
    }
  }

  /**
   * One level of the sweep. Every figure is NaN where the sweep measured none.
   *
   * @param label as the sweep summary names it: {@code concurrency 100}, {@code request_rate 2.5}
   * @param load the concurrency or request rate
   * @param inFlight the client's requests in flight, averaged over the scrapes
   * @param runningAvg the server's running requests, averaged over the scrapes
   * @param waitingAvg the server's waiting (queued) requests, averaged over the scrapes
   * @param kvUsageAvg the KV-cache gauge, 0..1, averaged over the scrapes
   * @param kvUsageMax its highest scrape
   * @param inputTokensMean the mean input sequence length measured
   * @param outputTokensMean the mean output sequence length measured
   * @param directory the level's run directory
   */
  public record Level(
      String label,
      double load,
      double inFlight,
      double runningAvg,
      double waitingAvg,
      double kvUsageAvg,
      double kvUsageMax,
      double inputTokensMean,
      double outputTokensMean,
      Path directory) {}

  private final Path directory;
  private final LoadKind loadKind;
  private final List<Level> levels;
  private final String kvMetric;
  private final String model;
  private final double kvUsagePerRequestInFlight;
  private final double kvUsagePerRunningRequest;
  private final Map<Path, JsonNode> exports = new HashMap<>();
  private final Map<Path, Histogram> histograms = new HashMap<>();

  private MeasuredSweep(
      Path directory,
      LoadKind loadKind,
      List<Level> levels,
      String kvMetric,
      String model,
      double kvUsagePerRequestInFlight,
      double kvUsagePerRunningRequest) {
    this.directory = directory;
    this.loadKind = loadKind;
    this.levels = List.copyOf(levels);
    this.kvMetric = kvMetric;
    this.model = model;
    this.kvUsagePerRequestInFlight = kvUsagePerRequestInFlight;
    this.kvUsagePerRunningRequest = kvUsagePerRunningRequest;
  }

  /**
   * Reads the sweep in {@code directory}.
   *
   * @throws AutoscaleException when it is not a sweep's directory, the sweep has fewer than two
   *     levels, or it read no KV-cache gauge
   */
  public static MeasuredSweep read(Path directory) {
    Path summaryFile = directory.resolve("sweep_summary.json");
    if (!Files.isRegularFile(summaryFile)) {
      throw new AutoscaleException(
          directory
              + " is not a sweep's artifact directory: it has no sweep_summary.json (run profile "
              + "with a list of levels, --concurrency 100,200,300,400, and give its --artifact-dir)");
    }
    JsonNode summary = readJson(summaryFile);
    JsonNode levelNodes = summary.path("levels");
    if (levelNodes.size() < 2) {
      throw new AutoscaleException(
          "the sweep in "
              + directory
              + " has "
              + levelNodes.size()
              + " level"
              + (levelNodes.size() == 1 ? "" : "s")
              + ": a plan needs two or more (--concurrency 100,200,300,400) to see where an SLO breaks");
    }
    LoadKind kind = null;
    List<Level> levels = new ArrayList<>();
    for (JsonNode node : levelNodes) {
      String label = node.path("level").asText();
      String[] parts = label.split(" ", 2);
      LoadKind levelKind = kindOf(parts[0], label, summaryFile);
      if (kind != null && kind != levelKind) {
        throw new AutoscaleException(
            summaryFile + " mixes concurrency and request-rate levels: sweep one or the other");
      }
      kind = levelKind;
      double load;
      try {
        load = Double.parseDouble(parts.length > 1 ? parts[1] : "");
      } catch (NumberFormatException e) {
        throw new AutoscaleException(
            summaryFile + " has a level '" + label + "' with no load: is it a loadgen sweep?");
      }
      Path levelDir = levelDirectory(directory, node, kind, load, label);
      JsonNode export = readJson(levelDir.resolve("profile_export_genai_perf.json"));
      levels.add(
          new Level(
              label,
              load,
              number(node, "requests_in_flight"),
              number(node, "running_avg"),
              number(node, "waiting_avg"),
              number(node, "kv_cache_usage_avg_pct") / 100,
              number(node, "kv_cache_usage_max_pct") / 100,
              number(export.path("input_sequence_length"), "avg"),
              number(export.path("output_sequence_length"), "avg"),
              levelDir));
    }
    levels.sort(Comparator.comparingDouble(Level::load));
    String kvMetric = null;
    String model = null;
    for (Level level : levels) {
      JsonNode export = readJson(level.directory().resolve("profile_export_genai_perf.json"));
      String name = export.path("server_metrics").path("kv_metric").asText("");
      if (name.isEmpty()) {
        name = export.path("kv_cache_usage").path("metric").asText("");
      }
      if (kvMetric == null && !name.isEmpty() && !Double.isNaN(level.kvUsageAvg())) {
        kvMetric = name;
      }
      JsonNode models = export.path("input_config").path("model");
      if (model == null && models.isArray() && models.size() > 0) {
        model = models.get(0).asText();
      }
    }
    if (kvMetric == null) {
      throw new AutoscaleException(
          "the sweep in "
              + directory
              + " read no KV-cache gauge: the server's /metrics did not answer, or has no gauge "
              + "loadgen knows (TGI has none); sweep again with --server-metrics-url or --kv-metric");
    }
    JsonNode fit = summary.path("fit");
    return new MeasuredSweep(
        directory,
        kind,
        levels,
        kvMetric,
        model,
        number(fit, "kv_cache_usage_pct_per_request_in_flight") / 100,
        number(fit, "kv_cache_usage_pct_per_running_request") / 100);
  }

  private static LoadKind kindOf(String key, String label, Path summaryFile) {
    for (LoadKind kind : LoadKind.values()) {
      if (kind.key().equals(key)) {
        return kind;
      }
    }
    throw new AutoscaleException(
        summaryFile
            + " has a level '"
            + label
            + "' that is neither a concurrency nor a request rate (a replayed trace cannot be planned from)");
  }

  /**
   * The level's directory: as the summary names it, or, for a summary written before it named them,
   * the subdirectory whose export was run at that load.
   */
  private static Path levelDirectory(
      Path sweepDir, JsonNode node, LoadKind kind, double load, String label) {
    String named = node.path("directory").asText("");
    if (!named.isEmpty()
        && Files.isRegularFile(sweepDir.resolve(named).resolve("profile_export_genai_perf.json"))) {
      return sweepDir.resolve(named);
    }
    try (Stream<Path> children = Files.list(sweepDir)) {
      for (Path child : children.sorted().toList()) {
        Path export = child.resolve("profile_export_genai_perf.json");
        if (Files.isRegularFile(export)) {
          JsonNode config = readJson(export).path("input_config").path(kind.key());
          if (config.isNumber() && config.asDouble() == load) {
            return child;
          }
        }
      }
    } catch (IOException e) {
      throw new AutoscaleException("cannot list " + sweepDir + ": " + e.getMessage(), e);
    }
    throw new AutoscaleException(
        "the sweep in "
            + sweepDir
            + " has no run directory for its level '"
            + label
            + "' (no profile_export_genai_perf.json run at that load)");
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AutoscaleException(
          "cannot read " + file + ": " + String.valueOf(e.getMessage()).split("\\R", 2)[0], e);
    }
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }

  /** The sweep's artifact directory. */
  public Path directory() {
    return directory;
  }

  /** Whether the levels are concurrencies or request rates. */
  public LoadKind loadKind() {
    return loadKind;
  }

  /** The levels, in ascending load; at least two. */
  public List<Level> levels() {
    return levels;
  }

  /** The KV-cache gauge the sweep read, as the server names it: {@code gpu_cache_usage_perc}. */
  public String kvMetric() {
    return kvMetric;
  }

  /** The model the sweep profiled (its first {@code -m}), or null when the exports name none. */
  public String model() {
    return model;
  }

  /**
   * The sweep's fit: KV-cache usage (0..1) per request in flight, least squares through the origin
   * over the levels; NaN when the summary has no fit.
   */
  public double kvUsagePerRequestInFlight() {
    return kvUsagePerRequestInFlight;
  }

  /** The same fit per request the server said it was running; NaN without a running gauge. */
  public double kvUsagePerRunningRequest() {
    return kvUsagePerRunningRequest;
  }

  /**
   * The {@code statistic} of {@code metric} at {@code level}, in the metric's unit as the exports
   * give it (ms for latencies).
   *
   * @param metric as the exports name it: {@code time_to_first_token}, {@code inter_token_latency}
   * @param statistic {@code avg}, {@code min}, {@code max} or a percentile {@code pNN}, {@code
   *     p99.9}
   * @return NaN when the level measured none of that metric
   * @throws AutoscaleException when the level has no such metric or the statistic is not one
   */
  public synchronized double metric(Level level, String metric, String statistic) {
    Slo.percentileOf(statistic); // a statistic that is not one fails here, on either path
    Path log = level.directory().resolve(metric + ".hlog");
    if (Files.isRegularFile(log)) {
      Histogram histogram = histograms.computeIfAbsent(log, MeasuredSweep::readLog);
      return Slo.statisticOf(histogram, statistic, scaleOf(level, metric));
    }
    JsonNode stats = export(level).path(metric);
    if (stats.isMissingNode()) {
      throw new AutoscaleException(
          "the sweep's level '"
              + level.label()
              + "' has no metric '"
              + metric
              + "': name one as the exports do (time_to_first_token, inter_token_latency, "
              + "request_latency, time_to_second_token)");
    }
    JsonNode value = stats.path(statistic);
    if (!value.isNumber()) {
      throw new AutoscaleException(
          "the sweep's level '"
              + level.label()
              + "' has no "
              + metric
              + ".hlog, and its JSON export lists no "
              + statistic
              + " of it (it lists avg, min, max, p1 to p99)");
    }
    return value.asDouble();
  }

  /** Recorded units per exported unit: the hlog holds nanoseconds for a metric shown in ms. */
  private double scaleOf(Level level, String metric) {
    String unit = export(level).path(metric).path("unit").asText("ms");
    return switch (unit) {
      case "ms" -> 1_000_000.0;
      case "tokens/sec/user" -> 1_000.0;
      default -> 1.0;
    };
  }

  private JsonNode export(Level level) {
    return exports.computeIfAbsent(
        level.directory(), dir -> readJson(dir.resolve("profile_export_genai_perf.json")));
  }

  private static Histogram readLog(Path file) {
    Histogram merged = new Histogram(3);
    try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
      EncodableHistogram interval;
      while ((interval = reader.nextIntervalHistogram()) != null) {
        if (interval instanceof Histogram histogram) {
          merged.add(histogram);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new AutoscaleException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return merged;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "MeasuredSweep[%s, %d %s levels]", directory, levels.size(), loadKind.key());
  }
}
