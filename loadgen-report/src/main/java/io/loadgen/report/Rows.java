package io.loadgen.report;

import io.loadgen.core.Metric;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * What the table and the CSV show, in genai-perf's order: the distribution metrics (streaming-only
 * ones only for streamed runs), then the run metrics.
 */
final class Rows {
  private Rows() {}

  /** A run metric: label with unit, JSON key, JSON unit, value. */
  record RunMetric(String label, String key, String unit, double value, boolean integer) {}

  static List<Metric> distributions(ProfileResult result) {
    List<Metric> metrics = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      if (metric.appliesTo(result.profile())
          && !(metric.reasoningOnly() && result.stats(metric).count() == 0)) {
        metrics.add(metric);
      }
    }
    return metrics;
  }

  static String label(Metric metric) {
    return metric.label() + " (" + metric.unit() + ")";
  }

  static List<RunMetric> runMetrics(ProfileResult result) {
    RunSummary summary = result.summary();
    List<RunMetric> rows = new ArrayList<>();
    // Embeddings and rankings generate no tokens: no output throughput to show.
    if (result.profile().endpoint().type().generative()) {
      rows.add(
          new RunMetric(
              "Output Token Throughput (tokens/sec)",
              "output_token_throughput",
              "tokens/sec",
              summary.outputTokenThroughput(),
              false));
    }
    rows.add(
        new RunMetric(
            "Request Throughput (per sec)",
            "request_throughput",
            "requests/sec",
            summary.requestThroughput(),
            false));
    if (summary.requestGoodput().isPresent()) {
      rows.add(
          new RunMetric(
              "Request Goodput (per sec)",
              "request_goodput",
              "requests/sec",
              summary.requestGoodput().getAsDouble(),
              false));
    }
    rows.add(
        new RunMetric(
            "Request Count (count)", "request_count", "count", summary.requestCount(), true));
    return rows;
  }
}
