package io.loadgen.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep's artifact directory written by hand, in the layout {@code profile} writes: {@code
 * sweep_summary.json} and one {@code profile_export_genai_perf.json} per level.
 */
final class SweepFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One level: its concurrency, TTFT and ITL p99 in ms, KV-cache usage in %. */
  record Row(int concurrency, double ttftP99, double itlP99, double kvPercent) {}

  private final List<Row> rows = new ArrayList<>();
  private String kvMetric = "gpu_cache_usage_perc";
  private double fitPercentPerRequest = Double.NaN;
  private double fitPercentPerRunningRequest = Double.NaN;
  private boolean namesDirectories = true;
  private boolean rates;

  /** Levels as request rates (requests/s) rather than concurrencies. */
  SweepFiles rates() {
    this.rates = true;
    return this;
  }

  SweepFiles level(int concurrency, double ttftP99, double itlP99, double kvPercent) {
    rows.add(new Row(concurrency, ttftP99, itlP99, kvPercent));
    return this;
  }

  SweepFiles kvMetric(String name) {
    this.kvMetric = name;
    return this;
  }

  SweepFiles fit(double percentPerRequest) {
    this.fitPercentPerRequest = percentPerRequest;
    return this;
  }

  SweepFiles fitPerRunning(double percentPerRequest) {
    this.fitPercentPerRunningRequest = percentPerRequest;
    return this;
  }

  /** As a summary written before levels named their directories. */
  SweepFiles withoutDirectoryNames() {
    this.namesDirectories = false;
    return this;
  }

  Path write(Path dir) {
    try {
      ObjectNode summary = JSON.createObjectNode();
      ArrayNode levels = summary.putArray("levels");
      for (Row row : rows) {
        String key = rates ? "request_rate" : "concurrency";
        String name = "m-openai-chat-" + key + row.concurrency();
        ObjectNode level = levels.addObject();
        level.put("level", key + " " + row.concurrency());
        level.put("requests_in_flight", (double) row.concurrency());
        level.put("ttft_p99_ms", row.ttftP99());
        level.put("itl_p99_ms", row.itlP99());
        level.put("running_avg", (double) row.concurrency());
        level.put("waiting_avg", 0.0);
        if (!Double.isNaN(row.kvPercent())) {
          level.put("kv_cache_usage_avg_pct", row.kvPercent());
          level.put("kv_cache_usage_max_pct", row.kvPercent() * 1.5);
        }
        if (namesDirectories) {
          level.put("directory", name);
        }
        ObjectNode export = JSON.createObjectNode();
        stats(export, "time_to_first_token", row.ttftP99());
        stats(export, "inter_token_latency", row.itlP99());
        export.putObject("input_sequence_length").put("unit", "tokens").put("avg", 200.0);
        export.putObject("output_sequence_length").put("unit", "tokens").put("avg", 200.0);
        if (!Double.isNaN(row.kvPercent())) {
          export.putObject("server_metrics").put("kv_metric", kvMetric);
        }
        ObjectNode config = export.putObject("input_config");
        config.putArray("model").add("meta/llama3-8b-instruct");
        config.put(key, row.concurrency());
        Path levelDir = Files.createDirectories(dir.resolve(name));
        JSON.writeValue(levelDir.resolve("profile_export_genai_perf.json").toFile(), export);
      }
      ObjectNode fit = summary.putObject("fit");
      if (!Double.isNaN(fitPercentPerRequest)) {
        fit.put("kv_cache_usage_pct_per_request_in_flight", fitPercentPerRequest);
      }
      if (!Double.isNaN(fitPercentPerRunningRequest)) {
        fit.put("kv_cache_usage_pct_per_running_request", fitPercentPerRunningRequest);
      }
      JSON.writeValue(dir.resolve("sweep_summary.json").toFile(), summary);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A metric's statistics, each a share of the p99: p1 a tenth, p50 half, avg 0.6 of it. */
  private static void stats(ObjectNode export, String metric, double p99) {
    export
        .putObject(metric)
        .put("unit", "ms")
        .put("avg", p99 * 0.6)
        .put("p1", p99 * 0.1)
        .put("p50", p99 * 0.5)
        .put("p90", p99 * 0.8)
        .put("p99", p99);
  }
}
