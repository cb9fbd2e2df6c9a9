package io.loadgen.core;

import java.util.Arrays;

/**
 * Statistics of a series of samples (a gauge scraped over a run), computed exactly from the values:
 * percentiles by the nearest-rank method.
 */
public record SeriesStats(
    int count, double avg, double min, double max, double p50, double p90, double p99) {
  /** No samples. */
  public static final SeriesStats EMPTY =
      new SeriesStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The statistics of {@code values}; NaN values are left out. */
  public static SeriesStats of(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return EMPTY;
    }
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return new SeriesStats(
        sorted.length,
        sum / sorted.length,
        sorted[0],
        sorted[sorted.length - 1],
        rank(sorted, 50),
        rank(sorted, 90),
        rank(sorted, 99));
  }

  private static double rank(double[] sorted, double percentile) {
    int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The same statistics with every value multiplied by {@code factor}, e.g. 100 for percent. */
  public SeriesStats scaled(double factor) {
    return new SeriesStats(
        count, avg * factor, min * factor, max * factor, p50 * factor, p90 * factor, p99 * factor);
  }
}
