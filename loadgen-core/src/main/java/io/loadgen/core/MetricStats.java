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

  /** The value of {@code statistic}. */
  public double get(Statistic statistic) {
    return switch (statistic) {
      case AVG -> avg;
      case MIN -> min;
      case MAX -> max;
      case STD -> std;
      case P1 -> p1;
      case P5 -> p5;
      case P10 -> p10;
      case P25 -> p25;
      case P50 -> p50;
      case P75 -> p75;
      case P90 -> p90;
      case P95 -> p95;
      case P99 -> p99;
    };
  }
}
