package io.loadgen.core.internal.engine;

import io.loadgen.core.Metric;
import io.loadgen.core.MetricStats;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import java.util.AbstractList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The {@link ProfileResult} a run makes. Immutable: the histograms are copied in and out; the
 * interval lists are kept as given (the run's own cannot change) and each interval read is a copy.
 */
public final class MeasuredResult implements ProfileResult {
  private final Profile profile;
  private final Map<Metric, Histogram> histograms;
  private final Map<Metric, List<Histogram>> intervals;
  private final Map<Metric, MetricStats> stats;
  private final RunSummary summary;
  private final long startEpochMillis;
  private final ServerMetrics serverMetrics;

  /**
   * A result whose intervals are one per metric, covering the whole run: for a result made without
   * a run's intervals.
   *
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
    this(profile, histograms, Map.of(), summary, startEpochMillis, serverMetrics);
  }

  /**
   * @param histograms per metric, values in the metric's recorded unit; copied
   * @param intervals per metric, its values in intervals of the run, oldest first, each with epoch
   *     millisecond start and end timestamps (see {@link ProfileResult#intervalHistograms}); kept,
   *     not copied, so they must not change; a metric missing has the whole run as one interval
   * @param startEpochMillis wall-clock time of the first measured send
   * @param serverMetrics what the server's Prometheus endpoints said during the run
   */
  public MeasuredResult(
      Profile profile,
      Map<Metric, Histogram> histograms,
      Map<Metric, List<Histogram>> intervals,
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
    this.intervals = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      List<Histogram> given = intervals.get(metric);
      this.intervals.put(metric, given == null ? List.of(wholeRun(metric)) : given);
    }
  }

  private Histogram wholeRun(Metric metric) {
    Histogram whole = histograms.get(metric).copy();
    whole.setStartTimeStamp(startEpochMillis);
    whole.setEndTimeStamp(startEpochMillis + summary.benchmarkDurationNanos() / 1_000_000);
    return whole;
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

  @Override
  public List<Histogram> intervalHistograms(Metric metric) {
    List<Histogram> kept = intervals.get(metric);
    return new AbstractList<>() {
      @Override
      public Histogram get(int index) {
        return kept.get(index).copy();
      }

      @Override
      public int size() {
        return kept.size();
      }
    };
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
    return new MeasuredResult(profile, histograms, intervals, summary, startEpochMillis, metrics);
  }

  /** Wall-clock time of the first measured send, in milliseconds since the epoch. */
  @Override
  public long startEpochMillis() {
    return startEpochMillis;
  }
}
