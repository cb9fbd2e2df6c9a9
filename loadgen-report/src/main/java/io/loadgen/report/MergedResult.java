package io.loadgen.report;

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
 * The result {@link Merge} makes of several runs: a {@link ProfileResult} like a run's, so that the
 * exports, the console table and the report are written for it as for one run. The histograms are
 * the sums of the runs' intervals, which are kept in HdrHistogram's compressed encoding and decoded
 * when read, as a run keeps its own; {@link #mergedFrom()} names the runs.
 */
final class MergedResult implements ProfileResult {
  /** One merged interval: its compressed histogram and its epoch-millisecond bounds. */
  record Interval(byte[] encoded, long startEpochMillis, long endEpochMillis) {
    static Interval of(Histogram histogram) {
      java.nio.ByteBuffer buffer =
          java.nio.ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(buffer);
      return new Interval(
          java.util.Arrays.copyOf(buffer.array(), length),
          histogram.getStartTimeStamp(),
          histogram.getEndTimeStamp());
    }

    Histogram decode() {
      try {
        Histogram histogram =
            Histogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(encoded), 0);
        histogram.setStartTimeStamp(startEpochMillis);
        histogram.setEndTimeStamp(endEpochMillis);
        return histogram;
      } catch (java.util.zip.DataFormatException e) {
        throw new IllegalStateException("an interval this merge encoded does not decode", e);
      }
    }
  }

  private final Profile profile;
  private final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
  private final Map<Metric, MetricStats> stats = new EnumMap<>(Metric.class);
  private final Map<Metric, List<Interval>> intervals;
  private final RunSummary summary;
  private final ServerMetrics serverMetrics;
  private final long startEpochMillis;
  private final List<String> mergedFrom;

  MergedResult(
      Profile profile,
      Map<Metric, Histogram> sums,
      Map<Metric, List<Interval>> intervals,
      RunSummary summary,
      ServerMetrics serverMetrics,
      long startEpochMillis,
      List<String> mergedFrom) {
    this.profile = profile;
    this.intervals = new EnumMap<>(intervals);
    for (Metric metric : Metric.values()) {
      Histogram sum = sums.containsKey(metric) ? sums.get(metric).copy() : new Histogram(3);
      this.intervals.putIfAbsent(metric, List.of());
      histograms.put(metric, sum);
      stats.put(metric, MetricStats.of(metric, sum));
    }
    this.summary = summary;
    this.serverMetrics = serverMetrics;
    this.startEpochMillis = startEpochMillis;
    this.mergedFrom = List.copyOf(mergedFrom);
  }

  @Override
  public Profile profile() {
    return profile;
  }

  @Override
  public MetricStats stats(Metric metric) {
    return stats.get(metric);
  }

  @Override
  public Histogram histogram(Metric metric) {
    return histograms.get(metric).copy();
  }

  @Override
  public List<Histogram> intervalHistograms(Metric metric) {
    List<Interval> kept = intervals.get(metric);
    return new AbstractList<>() {
      @Override
      public Histogram get(int index) {
        return kept.get(index).decode();
      }

      @Override
      public int size() {
        return kept.size();
      }
    };
  }

  @Override
  public RunSummary summary() {
    return summary;
  }

  @Override
  public ServerMetrics serverMetrics() {
    return serverMetrics;
  }

  @Override
  public long startEpochMillis() {
    return startEpochMillis;
  }

  /** The run folders merged, as given. */
  List<String> mergedFrom() {
    return mergedFrom;
  }
}
