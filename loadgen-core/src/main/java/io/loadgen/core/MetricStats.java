package io.loadgen.core;

import org.HdrHistogram.Histogram;

/**
 * One metric's distribution over the measured requests, in the metric's displayed unit (ms, tokens,
 * tokens/sec/user), taken from its HdrHistogram: values are exact to 3 significant digits; avg and
 * std are the histogram's, computed over the recorded values at that precision.
 *
 * @param count how many requests contributed a value (a request with one output token has no ITL)
 */
public record MetricStats(
    Metric metric,
    long count,
    double avg,
    double min,
    double max,
    double std,
    double p1,
    double p5,
    double p10,
    double p25,
    double p50,
    double p75,
    double p90,
    double p95,
    double p99) {

  /** The statistics of {@code histogram}, whose values are in {@code metric}'s recorded unit. */
  public static MetricStats of(Metric metric, Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return new MetricStats(metric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    double scale = metric.scale();
    return new MetricStats(
        metric,
        histogram.getTotalCount(),
        histogram.getMean() / scale,
        histogram.getMinValue() / scale,
        histogram.getMaxValue() / scale,
        histogram.getStdDeviation() / scale,
        percentile(histogram, 1, scale),
        percentile(histogram, 5, scale),
        percentile(histogram, 10, scale),
        percentile(histogram, 25, scale),
        percentile(histogram, 50, scale),
        percentile(histogram, 75, scale),
        percentile(histogram, 90, scale),
        percentile(histogram, 95, scale),
        percentile(histogram, 99, scale));
  }

  private static double percentile(Histogram histogram, double percentile, double scale) {
    return histogram.getValueAtPercentile(percentile) / scale;
  }

  /** The named statistic: avg, min, max, std, p1, p5, p10, p25, p50, p75, p90, p95 or p99. */
  public double get(String statistic) {
    switch (statistic) {
      case "avg": return avg;
      case "min": return min;
      case "max": return max;
      case "std": return std;
      case "p1": return p1;
      case "p5": return p5;
      case "p10": return p10;
      case "p25": return p25;
      case "p50": return p50;
      case "p75": return p75;
      case "p90": return p90;
      case "p95": return p95;
      case "p99": return p99;
      default: throw new IllegalArgumentException("unknown statistic " + statistic);
    }
  }

  /** The statistics genai-perf exports for a distribution, in its order. */
  public static final java.util.List<String> STATISTICS =
      java.util.List.of("avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max", "std");
}
