package io.loadgen.autoscale;

import io.loadgen.autoscale.internal.Plans;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service-level objective on a latency: the {@code statistic} of {@code metric} at most {@code
 * limitMillis}. Written {@code METRIC:STATISTIC:MS}, as {@code time_to_first_token:p99:500}: the
 * metric as the exports name it, the statistic {@code avg}, {@code max} or a percentile from {@code
 * p1} to {@code p99.99}, the limit in milliseconds.
 *
 * @param metric {@code time_to_first_token}, {@code inter_token_latency}, {@code request_latency},
 *     ...
 * @param statistic {@code avg}, {@code max}, {@code p50}, {@code p99}, {@code p99.9}
 * @param limitMillis the highest value that meets the objective
 */
public record Slo(String metric, String statistic, double limitMillis) {
  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d{1,3})?)");
  private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * @throws AutoscaleException for a metric name that is not one, a statistic that is none of those
   *     above, or a limit that is not a positive number
   */
  public Slo {
    if (metric == null || !METRIC.matcher(metric).matches()) {
      throw new AutoscaleException(
          "an SLO's metric must be an export's name, as time_to_first_token, got '" + metric + "'");
    }
    if (metric.contains("throughput") || metric.endsWith("sequence_length")) {
      throw new AutoscaleException(
          "an SLO bounds a latency in ms, and "
              + metric
              + " is not one: use time_to_first_token, inter_token_latency, request_latency");
    }
    percentileOf(statistic);
    if (!(limitMillis > 0) || Double.isInfinite(limitMillis)) {
      throw new AutoscaleException(
          "the SLO on " + metric + " needs a limit above 0 ms, got " + limitMillis);
    }
  }

  /**
   * Parses {@code METRIC:STATISTIC:MS}.
   *
   * @throws AutoscaleException when it does not parse
   */
  public static Slo parse(String text) {
    String[] parts = text.trim().split(":", -1);
    if (parts.length != 3) {
      throw new AutoscaleException(
          "an SLO is METRIC:STATISTIC:MS, as time_to_first_token:p99:500; got '" + text + "'");
    }
    double limit;
    try {
      limit = Double.parseDouble(parts[2].trim().replaceFirst("ms$", ""));
    } catch (NumberFormatException e) {
      throw new AutoscaleException(
          "the SLO '" + text + "' needs a limit in ms after its last ':', got '" + parts[2] + "'");
    }
    return new Slo(parts[0].trim(), parts[1].trim().toLowerCase(Locale.ROOT), limit);
  }

  /**
   * The percentile a statistic names (100 for {@code max}, 0 for {@code min}, NaN for {@code avg}).
   *
   * @throws AutoscaleException for none of {@code avg}, {@code min}, {@code max}, {@code pNN}
   */
  /**
   * {@code statistic} ({@code avg}, {@code min}, {@code max} or {@code pNN}) of {@code histogram},
   * divided by {@code scale}; NaN when the histogram is empty.
   */
  static double statisticOf(org.HdrHistogram.Histogram histogram, String statistic, double scale) {
    double percentile = percentileOf(statistic);
    if (histogram.getTotalCount() == 0) {
      return Double.NaN;
    }
    return switch (statistic) {
      case "avg" -> histogram.getMean() / scale;
      case "min" -> histogram.getMinValue() / scale;
      case "max" -> histogram.getMaxValue() / scale;
      default -> histogram.getValueAtPercentile(percentile) / scale;
    };
  }

  static double percentileOf(String statistic) {
    if (statistic == null) {
      throw new AutoscaleException("an SLO needs a statistic: avg, p50, p90, p99, p99.9");
    }
    switch (statistic) {
      case "avg":
        return Double.NaN;
      case "min":
        return 0;
      case "max":
        return 100;
      default:
        break;
    }
    Matcher m = PERCENTILE.matcher(statistic);
    if (m.matches()) {
      double p = Double.parseDouble(m.group(1));
      if (p > 0 && p < 100) {
        return p;
      }
    }
    throw new AutoscaleException(
        "an SLO's statistic is avg, max or a percentile p1 to p99.99 (p50, p90, p99, p99.9), got '"
            + statistic
            + "'");
  }

  /** Whether {@code value}, in ms, meets the objective; a NaN (nothing measured) does not. */
  public boolean metBy(double value) {
    return value <= limitMillis;
  }

  /** As {@link #parse} reads it: {@code time_to_first_token:p99:500}. */
  @Override
  public String toString() {
    return metric + ":" + statistic + ":" + Plans.number(limitMillis);
  }
}
