package io.loadgen.core;

import org.HdrHistogram.Histogram;

/**
 * What a profile run measured: each metric's histogram and statistics, and the run-level figures.
 * loadgen makes these; a caller reads them. Immutable: the histograms handed out are copies.
 */
public interface ProfileResult {
  /**
   * The profile that was run, with each {@code sim://} target as the URL its server listened at.
   */
  Profile profile();

  /** The statistics of {@code metric}, in its displayed unit. */
  MetricStats stats(Metric metric);

  /** A copy of {@code metric}'s histogram, values in {@link Metric#recordedUnit()}. */
  Histogram histogram(Metric metric);

  /** The run-level figures. */
  RunSummary summary();

  /**
   * What the server's Prometheus endpoints said during the run; {@link ServerMetrics#NONE} if none.
   */
  ServerMetrics serverMetrics();

  /** Wall-clock time of the first measured send, in milliseconds since the epoch. */
  long startEpochMillis();
}
