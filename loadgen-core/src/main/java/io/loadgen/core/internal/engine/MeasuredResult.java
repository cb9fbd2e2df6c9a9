package io.loadgen.core;

import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a profile run measured: each metric's histogram and statistics, and the run-level figures.
 * Immutable: the histograms handed out are copies.
 */
public final class ProfileResult {
  private final Profile profile;
  private final Map<Metric, Histogram> histograms;
  private final Map<Metric, MetricStats> stats;
  private final RunSummary summary;
  private final long startEpochMillis;
  private final ServerMetrics serverMetrics;

  /**
   * @param histograms per metric, values in the metric's recorded unit; copied
   * @param startEpochMillis wall-clock time of the first measured send
   */
  public ProfileResult(
      Profile profile, Map<Metric, Histogram> histograms, RunSummary summary, long startEpochMillis) {
    this(profile, histograms, summary, startEpochMillis, ServerMetrics.NONE);
  }

  /**
   * @param histograms per metric, values in the metric's recorded unit; copied
   * @param startEpochMillis wall-clock time of the first measured send
   * @param serverMetrics what the server's Prometheus endpoints said during the run
   */
  public ProfileResult(Profile profile, Map<Metric, Histogram> histograms, RunSummary summary, long startEpochMillis,
      ServerMetrics serverMetrics) {
    this.serverMetrics = serverMetrics;
    this.profile = profile;
    this.histograms = new EnumMap<>(Metric.class);
    this.stats = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      Histogram histogram = histograms.get(metric);
      Histogram copy = histogram == null ? new Histogram(3) : histogram.copy();
      this.histograms.put(metric, copy);
      this.stats.put(metric, MetricStats.of(metric, copy));
    }
    this.summary = summary;
    this.startEpochMillis = startEpochMillis;
  }

  /** The profile that was run. */
  public Profile profile() {
    return profile;
  }

  /** The statistics of {@code metric}, in its displayed unit. */
  public MetricStats stats(Metric metric) {
    return stats.get(metric);
  }

  /** A copy of {@code metric}'s histogram, values in {@link Metric#recordedUnit()}. */
  public Histogram histogram(Metric metric) {
    return histograms.get(metric).copy();
  }

  /** The run-level figures. */
  public RunSummary summary() {
    return summary;
  }

  /** What the server's Prometheus endpoints said during the run; {@link ServerMetrics#NONE} if none. */
  public ServerMetrics serverMetrics() {
    return serverMetrics;
  }

  /** This result with the server's metrics. */
  public ProfileResult withServerMetrics(ServerMetrics metrics) {
    return new ProfileResult(profile, histograms, summary, startEpochMillis, metrics);
  }

  /** Wall-clock time of the first measured send, in milliseconds since the epoch. */
  public long startEpochMillis() {
    return startEpochMillis;
  }
}
