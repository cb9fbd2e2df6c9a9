package io.loadgen.core.internal.engine;

import io.loadgen.core.Metric;
import io.loadgen.core.MetricStats;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The {@link ProfileResult} a run makes. Immutable: the histograms are copied in and out. */
public final class MeasuredResult implements ProfileResult {
  private final Profile profile;
  private final Map<Metric, Histogram> histograms;
  private final Map<Metric, MetricStats> stats;
  private final RunSummary summary;
  private final long startEpochMillis;
  private final ServerMetrics serverMetrics;

  /**
   * @param histograms per metric, values in the metric's recorded unit; copied
   * @param startEpochMillis wall-clock time of the first measured send
   * @param serverMetrics what the server's Prometheus endpoints said during the run
   */
  public MeasuredResult(
      Profile profile,
      Map<Metric, Histogram> histograms,
      RunSummary summary,
      long startEpochMillis,
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
  @Override
  public Profile profile() {
    return profile;
  }

  /** The statistics of {@code metric}, in its displayed unit. */
  @Override
  public MetricStats stats(Metric metric) {
    return stats.get(metric);
  }

  /** A copy of {@code metric}'s histogram, values in {@link Metric#recordedUnit()}. */
  @Override
  public Histogram histogram(Metric metric) {
    return histograms.get(metric).copy();
  }

  /** The run-level figures. */
  @Override
  public RunSummary summary() {
    return summary;
  }

  /**
   * What the server's Prometheus endpoints said during the run; {@link ServerMetrics#NONE} if none.
   */
  @Override
  public ServerMetrics serverMetrics() {
    return serverMetrics;
  }

  /** This result with the server's metrics. */
  public MeasuredResult withServerMetrics(ServerMetrics metrics) {
    return new MeasuredResult(profile, histograms, summary, startEpochMillis, metrics);
  }

  /** Wall-clock time of the first measured send, in milliseconds since the epoch. */
  @Override
  public long startEpochMillis() {
    return startEpochMillis;
  }
}
