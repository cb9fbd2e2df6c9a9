package io.loadgen.core;

import java.util.List;
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

  /**
   * {@code metric}'s values over the run in intervals, oldest first, as HdrHistogram's interval log
   * holds them: each interval holds the values of the requests that ended in it (every metric of a
   * request is known, and recorded, when it ends). One interval a second for the first hour of the
   * run, then one each 10 seconds, so that memory stays bounded on a long run (the intervals are
   * kept compressed); a second in which no request ended is an empty interval. Each histogram's
   * start and end timestamps are its interval's, in milliseconds since the epoch; the first starts
   * at {@link #startEpochMillis()}. Together they hold exactly the values of {@link
   * #histogram(Metric)}. Each is decoded, a copy, when read: hold one at a time on long runs.
   */
  List<Histogram> intervalHistograms(Metric metric);

  /** The run-level figures. */
  RunSummary summary();

  /**
   * What the server's Prometheus endpoints said during the run; {@link ServerMetrics#NONE} if none.
   */
  ServerMetrics serverMetrics();

  /** Wall-clock time of the first measured send, in milliseconds since the epoch. */
  long startEpochMillis();
}
