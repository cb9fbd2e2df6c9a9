package io.loadgen.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.SeriesStats;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.ServerSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics in the exports: {@code kv_cache_usage} beside the latency metrics, a {@code
 * server_metrics} section (each replica's time series with the client's state, and statistics per
 * metric, also averaged over replicas as an autoscaler sees them), and genai-perf's {@code
 * telemetry_stats} for DCGM-exporter fields.
 */
final class ServerMetricsExport {
  private ServerMetricsExport() {}

  /** One line under the console table, or nothing when no metrics were scraped. */
  static Optional<String> consoleLine(ServerMetrics metrics) {
    if (metrics.isEmpty()) {
      return Optional.empty();
    }
    SeriesStats kv = metrics.kvCacheUsagePercent();
    SeriesStats running = metrics.running();
    SeriesStats waiting = metrics.waiting();
    StringBuilder line =
        new StringBuilder(
            "Server metrics ("
                + metrics.replicas().size()
                + " endpoint"
                + (metrics.replicas().size() == 1 ? "" : "s")
                + "): ");
    if (kv.count() > 0) {
      line.append(
          String.format(
              Locale.ROOT,
              "KV cache usage avg %.2f%%, max %.2f%% (%s); ",
              kv.avg(),
              kv.max(),
              metrics.kvMetric()));
    } else {
      // Which series the page had instead is among the problems, said before this line.
      line.append("no known KV-cache gauge; ");
    }
    if (running.count() > 0) {
      line.append(
          String.format(Locale.ROOT, "running avg %.1f, max %.0f; ", running.avg(), running.max()));
    }
    if (waiting.count() > 0) {
      line.append(
          String.format(Locale.ROOT, "waiting avg %.1f, max %.0f; ", waiting.avg(), waiting.max()));
    }
    return Optional.of(line.substring(0, line.length() - 2));
  }

  static void addTo(ObjectNode root, ServerMetrics metrics) {
    if (metrics.isEmpty() && metrics.problems().isEmpty()) {
      return;
    }
    SeriesStats kv = metrics.kvCacheUsagePercent();
    if (kv.count() > 0) {
      ObjectNode node = stats(root.putObject("kv_cache_usage"), kv, "%");
      node.put("metric", metrics.kvMetric());
    }
    ObjectNode server = root.putObject("server_metrics");
    server.put("kv_metric", metrics.kvMetric());
    ArrayNode problems = server.putArray("problems");
    metrics.problems().forEach(problems::add);
    ObjectNode average = server.putObject("average_over_replicas");
    stats(average.putObject("kv_cache_usage"), kv, "%");
    stats(average.putObject("num_requests_running"), metrics.running(), "count");
    stats(average.putObject("num_requests_waiting"), metrics.waiting(), "count");
    ArrayNode replicas = server.putArray("replicas");
    for (ServerMetrics.Replica replica : metrics.replicas()) {
      ObjectNode node = replicas.addObject();
      node.put("url", replica.url());
      ObjectNode replicaStats = node.putObject("stats");
      stats(
          replicaStats.putObject("kv_cache_usage"),
          of(replica, ServerSample::kvCacheUsage).scaled(100),
          "%");
      stats(
          replicaStats.putObject("num_requests_running"),
          of(replica, ServerSample::running),
          "count");
      stats(
          replicaStats.putObject("num_requests_waiting"),
          of(replica, ServerSample::waiting),
          "count");
      ArrayNode series = node.putArray("series");
      for (ServerSample sample : replica.samples()) {
        ObjectNode point = series.addObject();
        point.put("time_ms", sample.offsetMillis());
        number(point, "kv_cache_usage", sample.kvCacheUsage() * 100);
        number(point, "num_requests_running", sample.running());
        number(point, "num_requests_waiting", sample.waiting());
        point.put("client_requests_in_flight", sample.clientInFlight());
        point.put("client_requests_sent", sample.clientSent());
        number(point, "client_tokens_per_sec", sample.clientTokensPerSecond());
      }
    }
    Map<String, Map<String, SeriesStats>> telemetry = telemetry(metrics);
    if (!telemetry.isEmpty()) {
      ObjectNode node = root.putObject("telemetry_stats");
      telemetry.forEach(
          (field, gpus) -> {
            ObjectNode fieldNode = node.putObject(field);
            fieldNode.put("unit", TELEMETRY_UNITS.get(field));
            gpus.forEach((gpu, stats) -> stats(fieldNode.putObject(gpu), stats, null));
          });
    }
  }

  /** Appends a section of server metrics, then one of GPU telemetry, each after a blank line. */
  static void csv(CsvRows csv, ServerMetrics metrics) {
    if (metrics.isEmpty()) {
      return;
    }
    csv.blankLine();
    csv.row("Server Metric", "avg", "min", "max", "p50", "p90", "p99");
    row(csv, "KV Cache Usage (%)", metrics.kvCacheUsagePercent());
    row(csv, "Requests Running", metrics.running());
    row(csv, "Requests Waiting", metrics.waiting());
    Map<String, Map<String, SeriesStats>> telemetry = telemetry(metrics);
    if (!telemetry.isEmpty()) {
      csv.blankLine();
      csv.row("Metric", "GPU", "avg", "min", "max", "p50", "p90", "p99");
      telemetry.forEach(
          (field, gpus) ->
              gpus.forEach(
                  (gpu, stats) -> csv.row(cells(stats, TELEMETRY_LABELS.get(field), gpu))));
    }
  }

  private static final Map<String, String> TELEMETRY_UNITS =
      Map.of("gpu_utilization", "%", "gpu_memory_used", "GB", "gpu_power_usage", "W");
  private static final Map<String, String> TELEMETRY_LABELS =
      Map.of(
          "gpu_utilization",
          "GPU Utilization (%)",
          "gpu_memory_used",
          "GPU Memory Used (GB)",
          "gpu_power_usage",
          "GPU Power Usage (W)");

  /** genai-perf's telemetry fields, per GPU, from the first endpoint that has DCGM fields. */
  private static Map<String, Map<String, SeriesStats>> telemetry(ServerMetrics metrics) {
    Map<String, Map<String, SeriesStats>> fields = new LinkedHashMap<>();
    for (ServerMetrics.Replica replica : metrics.replicas()) {
      Set<String> gpus = new LinkedHashSet<>();
      replica.samples().forEach(s -> gpus.addAll(s.gpus().keySet()));
      for (String gpu : gpus) {
        String key = "gpu" + gpu;
        put(
            fields,
            "gpu_utilization",
            key,
            replica,
            gpu,
            ServerSample.GpuTelemetry::utilizationPercent,
            1);
        // DCGM reports MiB; genai-perf shows GB.
        put(
            fields,
            "gpu_memory_used",
            key,
            replica,
            gpu,
            ServerSample.GpuTelemetry::memoryUsedMib,
            1024.0 * 1024 / 1e9);
        put(fields, "gpu_power_usage", key, replica, gpu, ServerSample.GpuTelemetry::powerWatts, 1);
      }
    }
    return fields;
  }

  private static void put(
      Map<String, Map<String, SeriesStats>> fields,
      String field,
      String key,
      ServerMetrics.Replica replica,
      String gpu,
      ToDoubleFunction<ServerSample.GpuTelemetry> value,
      double scale) {
    double[] values =
        replica.samples().stream()
            .mapToDouble(
                s ->
                    s.gpus().containsKey(gpu) ? value.applyAsDouble(s.gpus().get(gpu)) : Double.NaN)
            .toArray();
    SeriesStats stats = SeriesStats.of(values).scaled(scale);
    if (stats.count() > 0) {
      fields.computeIfAbsent(field, f -> new LinkedHashMap<>()).put(key, stats);
    }
  }

  private static SeriesStats of(
      ServerMetrics.Replica replica, ToDoubleFunction<ServerSample> metric) {
    return SeriesStats.of(replica.samples().stream().mapToDouble(metric).toArray());
  }

  private static ObjectNode stats(ObjectNode node, SeriesStats stats, String unit) {
    if (unit != null) {
      node.put("unit", unit);
    }
    node.put("count", stats.count());
    if (stats.count() > 0) {
      node.put("avg", stats.avg());
      node.put("min", stats.min());
      node.put("max", stats.max());
      node.put("p50", stats.p50());
      node.put("p90", stats.p90());
      node.put("p99", stats.p99());
    }
    return node;
  }

  /** Puts a number, or null for NaN and infinities, which JSON cannot hold. */
  static void number(ObjectNode node, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  private static void row(CsvRows csv, String label, SeriesStats stats) {
    if (stats.count() == 0) {
      return;
    }
    csv.row(cells(stats, label));
  }

  /** The leading cells, then avg, min, max, p50, p90 and p99 to two decimals. */
  private static List<String> cells(SeriesStats stats, String... leading) {
    List<String> cells = new ArrayList<>(List.of(leading));
    for (double v :
        new double[] {
          stats.avg(), stats.min(), stats.max(), stats.p50(), stats.p90(), stats.p99()
        }) {
      cells.add(String.format(Locale.ROOT, "%.2f", v));
    }
    return cells;
  }
}
