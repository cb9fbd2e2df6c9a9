package io.loadgen.report.internal.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Metric;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.ServerSample;
import io.loadgen.report.RunDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.HdrHistogram.HistogramLogReader;

/**
 * One run's folder as {@code loadgen profile} wrote it, read for a merge: its summary export
 * ({@code profile_export_genai_perf.json}), the start of its log ({@code <metric>.hlog}'s
 * StartTime), its measured window, and where its raw export is. The figures are the export's as
 * written; the intervals are read from the logs when asked for, one metric at a time.
 */
public final class RunArtifacts {
  /** The summary export's name ({@code Exports.JSON_FILE}). */
  public static final String SUMMARY_FILE = "profile_export_genai_perf.json";

  /** The raw export's default name, which a merge reads. */
  public static final String RAW_FILE = "profile_export.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode export;
  private final long logStartEpochMillis;
  private final long windowStartEpochNanos;
  private final long windowEndEpochNanos;
  private final Path rawExport;

  private RunArtifacts(
      Path dir,
      JsonNode export,
      long logStartEpochMillis,
      long windowStartEpochNanos,
      long windowEndEpochNanos,
      Path rawExport) {
    this.dir = dir;
    this.export = export;
    this.logStartEpochMillis = logStartEpochMillis;
    this.windowStartEpochNanos = windowStartEpochNanos;
    this.windowEndEpochNanos = windowEndEpochNanos;
    this.rawExport = rawExport;
  }

  /** Whether {@code dir} holds a run's summary export: a run's folder, not a sweep's. */
  public static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(SUMMARY_FILE));
  }

  /**
   * Reads the run in {@code dir}.
   *
   * @throws RunDirectoryException when it is not a run's folder or one of its files cannot be read
   */
  public static RunArtifacts read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RunDirectoryException(
          dir
              + " is not a run directory: "
              + (Files.exists(dir) ? "not a folder" : "no such folder"));
    }
    Path summary = dir.resolve(SUMMARY_FILE);
    if (!Files.isRegularFile(summary)) {
      throw new RunDirectoryException(
          dir
              + " is not a run directory: it has no "
              + SUMMARY_FILE
              + " (give the folders that loadgen profile wrote)");
    }
    JsonNode export;
    try {
      export = JSON.readTree(summary.toFile());
    } catch (JsonProcessingException e) {
      throw new RunDirectoryException(
          "cannot read " + summary + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new RunDirectoryException("cannot read " + summary + ": " + e.getMessage(), e);
    }
    if (export == null || !export.path("input_config").isObject()) {
      throw new RunDirectoryException(
          "cannot read " + summary + ": not loadgen's summary export (no input_config)");
    }
    long logStart = logStartMillis(dir);
    long durationNanos = Math.round(export.path("benchmark_duration").path("avg").asDouble() * 1e6);
    Path raw = dir.resolve(RAW_FILE);
    Path rawExport = Files.isRegularFile(raw) ? raw : null;
    long[] window = rawExport == null ? null : RawExports.window(rawExport);
    // The raw export has the window to the nanosecond; without it, the log's start (when
    // measuring began, to the millisecond) and the measured duration.
    long start = window != null ? window[0] : logStart * 1_000_000;
    long end = window != null ? window[1] : start + durationNanos;
    return new RunArtifacts(dir, export, logStart, start, end, rawExport);
  }

  private static long logStartMillis(Path dir) {
    Path log = dir.resolve(Metric.REQUEST_LATENCY.key() + ".hlog");
    if (!Files.isRegularFile(log)) {
      throw new RunDirectoryException(
          dir + " is not a complete run directory: it has no " + log.getFileName());
    }
    try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
      while (reader.nextIntervalHistogram() != null) {
        // The StartTime line is read on the way through.
      }
      return Math.round(reader.getStartTimeSec() * 1000);
    } catch (IOException | RuntimeException e) {
      throw new RunDirectoryException("cannot read " + log + ": " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return dir;
  }

  /** The summary export as written. */
  public JsonNode export() {
    return export;
  }

  /** The summary export's {@code input_config}. */
  public JsonNode inputConfig() {
    return export.path("input_config");
  }

  /** When measuring began, as the logs' StartTime holds it: the run's intervals start here. */
  public long logStartEpochMillis() {
    return logStartEpochMillis;
  }

  /** The first measured (intended) send, in nanoseconds since the epoch. */
  public long windowStartEpochNanos() {
    return windowStartEpochNanos;
  }

  /** The last measured response, in nanoseconds since the epoch. */
  public long windowEndEpochNanos() {
    return windowEndEpochNanos;
  }

  /** The raw export, when the run wrote one under its default name. */
  public Optional<Path> rawExport() {
    return Optional.ofNullable(rawExport);
  }

  /**
   * The intervals of {@code metric}'s log, read one at a time, oldest first (none when the run has
   * no log of it); the caller closes it.
   *
   * @throws RunDirectoryException when the log cannot be read
   */
  public LogIntervals intervals(Metric metric) {
    return new LogIntervals(dir.resolve(metric.key() + ".hlog"));
  }

  /** A count ({@code avg} of a {@code unit: count} entry) of the export, 0 when absent. */
  public long count(String key) {
    return export.path(key).path("avg").asLong(0);
  }

  /** A run metric's value ({@code avg}), empty when the export has none. */
  public OptionalDouble runMetric(String key) {
    JsonNode value = export.path(key).path("avg");
    return value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
  }

  /** The measured duration in nanoseconds, as the export has it. */
  public long benchmarkDurationNanos() {
    return Math.round(export.path("benchmark_duration").path("avg").asDouble() * 1e6);
  }

  /** Failed requests by kind, in the export's order. */
  public Map<String, Long> errorsByKind() {
    Map<String, Long> kinds = new LinkedHashMap<>();
    export
        .path("error_count")
        .path("errors_by_kind")
        .fields()
        .forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asLong()));
    return kinds;
  }

  /**
   * The server's series as the export holds them: each replica's samples, their offsets from this
   * run's log start; without GPU telemetry, which the export keeps as statistics only.
   */
  public ServerMetrics serverMetrics() {
    JsonNode section = export.path("server_metrics");
    if (!section.isObject()) {
      return ServerMetrics.NONE;
    }
    List<ServerMetrics.Replica> replicas = new ArrayList<>();
    for (JsonNode replica : section.path("replicas")) {
      List<ServerSample> samples = new ArrayList<>();
      for (JsonNode point : replica.path("series")) {
        samples.add(
            new ServerSample(
                point.path("time_ms").asLong(),
                number(point, "kv_cache_usage") / 100,
                number(point, "num_requests_running"),
                number(point, "num_requests_waiting"),
                Map.of(),
                point.path("client_requests_in_flight").asInt(),
                point.path("client_requests_sent").asLong(),
                number(point, "client_tokens_per_sec")));
      }
      replicas.add(new ServerMetrics.Replica(replica.path("url").asText(""), samples));
    }
    List<String> problems = new ArrayList<>();
    section.path("problems").forEach(p -> problems.add(p.asText()));
    JsonNode kvMetric = section.path("kv_metric");
    return new ServerMetrics(replicas, kvMetric.isTextual() ? kvMetric.asText() : null, problems);
  }

  private static double number(JsonNode point, String field) {
    JsonNode value = point.path(field);
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }
}
