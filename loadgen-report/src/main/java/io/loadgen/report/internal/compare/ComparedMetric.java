package io.loadgen.report.internal.compare;

import io.loadgen.core.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One row of a comparison: a metric's avg, p50 and p99 in each run, and each run's change against
 * the first, the baseline.
 *
 * <p>The change is {@code (value - baseline) / baseline * 100}, in percent; there is none where
 * either figure is missing (a run without streaming has no time to first token, a run metric has no
 * percentiles) or the baseline is 0, whose change has no size.
 *
 * @param key genai-perf's JSON key, e.g. {@code time_to_first_token}
 * @param label the console table's label with its unit, e.g. {@code Time To First Token (ms)}
 * @param unit the displayed unit
 * @param distribution true for a per-request distribution, which has percentiles; false for a run
 *     metric, which has only an avg
 * @param values per run, the avg, p50 and p99 ({@link #STATISTICS}'s order); NaN where missing
 */
public record ComparedMetric(
    String key, String label, String unit, boolean distribution, List<double[]> values) {

  /** The statistics compared, in the columns' order. */
  public static final List<String> STATISTICS = List.of("avg", "p50", "p99");

  public ComparedMetric {
    List<double[]> copy = new ArrayList<>();
    values.forEach(v -> copy.add(v.clone()));
    values = List.copyOf(copy);
  }

  /** A copy of the values. */
  @Override
  public List<double[]> values() {
    List<double[]> copy = new ArrayList<>();
    values.forEach(v -> copy.add(v.clone()));
    return copy;
  }

  /** Run {@code run}'s value of statistic {@code statistic} (an index into STATISTICS). */
  public double value(int run, int statistic) {
    return values.get(run)[statistic];
  }

  /** Run {@code run}'s change against run 0 in percent, or empty when it has none. */
  public OptionalDouble changePercent(int run, int statistic) {
    double baseline = value(0, statistic);
    double value = value(run, statistic);
    if (Double.isNaN(baseline) || Double.isNaN(value) || baseline == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((value - baseline) / baseline * 100.0);
  }

  /**
   * The rows of the console table, in its order, that at least one run has: the distributions (send
   * lag aside, a figure of the client's, not of the server), then output token throughput, request
   * throughput and request count.
   */
  public static List<ComparedMetric> of(List<RunFigures> runs) {
    List<ComparedMetric> rows = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      if (!metric.clientDiagnostic()) {
        add(rows, runs, metric.key(), metric.label() + " (" + metric.unit() + ")", true);
      }
    }
    add(rows, runs, "output_token_throughput", "Output Token Throughput (tokens/sec)", false);
    add(rows, runs, "request_throughput", "Request Throughput (per sec)", false);
    add(rows, runs, "request_count", "Request Count (count)", false);
    return rows;
  }

  private static void add(
      List<ComparedMetric> rows,
      List<RunFigures> runs,
      String key,
      String label,
      boolean distribution) {
    List<double[]> values = new ArrayList<>();
    String unit = null;
    for (RunFigures run : runs) {
      var figure = run.figure(key);
      if (figure.isPresent()) {
        unit = unit == null ? figure.get().unit() : unit;
        values.add(
            distribution
                ? new double[] {figure.get().avg(), figure.get().p50(), figure.get().p99()}
                : new double[] {figure.get().avg(), Double.NaN, Double.NaN});
      } else {
        values.add(new double[] {Double.NaN, Double.NaN, Double.NaN});
      }
    }
    if (unit != null) {
      rows.add(new ComparedMetric(key, label, unit, distribution, values));
    }
  }
}
