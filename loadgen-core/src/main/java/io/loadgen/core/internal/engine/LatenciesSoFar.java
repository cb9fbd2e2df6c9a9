package io.loadgen.core.internal.engine;

import io.loadgen.core.Progress;
import io.loadgen.core.internal.record.RequestTimings;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The running TTFT and ITL percentiles of a run, for its progress snapshots.
 *
 * <p>Each recorder thread writes its own pair of {@link SingleWriterRecorder}s (wait-free: no lock,
 * nothing allocated once the histogram has grown to the values' range), once per finished request,
 * never per token. One reader thread, the one that delivers progress, swaps out their interval
 * histograms and adds them into totals of its own, so a snapshot costs the writers nothing and
 * reuses the same histograms every second.
 */
final class LatenciesSoFar {
  private final boolean streaming;
  private final List<Loop> loops = new ArrayList<>();
  // Confined to the reader thread.
  private final Histogram timeToFirstToken = new Histogram(3);
  private final Histogram interTokenLatency = new Histogram(3);

  /**
   * @param streaming whether the run streams: without it TTFT and ITL are not the table's either
   */
  LatenciesSoFar(boolean streaming, int loops) {
    this.streaming = streaming;
    for (int i = 0; i < loops; i++) {
      this.loops.add(new Loop());
    }
  }

  /** On event loop {@code loop}'s recorder thread: a measured request that succeeded. */
  void record(int loop, RequestTimings timings) {
    if (!streaming) {
      return;
    }
    Loop writer = loops.get(loop);
    if (timings.timeToFirstToken() >= 0) {
      writer.timeToFirstToken.recordValue(timings.timeToFirstToken());
    }
    if (timings.interTokenLatency() >= 0) {
      writer.interTokenLatency.recordValue(timings.interTokenLatency());
    }
  }

  /** On the reader thread alone: {@code counts} with the percentiles of every request so far. */
  Progress snapshot(Progress counts, double kvCacheUsage) {
    for (Loop loop : loops) {
      loop.ttftInterval = loop.timeToFirstToken.getIntervalHistogram(loop.ttftInterval);
      timeToFirstToken.add(loop.ttftInterval);
      loop.itlInterval = loop.interTokenLatency.getIntervalHistogram(loop.itlInterval);
      interTokenLatency.add(loop.itlInterval);
    }
    return new Progress(
        counts.elapsedNanos(),
        counts.completed(),
        counts.failed(),
        counts.inFlight(),
        counts.target(),
        counts.tokensPerSecond(),
        percentile(timeToFirstToken, 50),
        percentile(timeToFirstToken, 99),
        percentile(interTokenLatency, 50),
        percentile(interTokenLatency, 99),
        kvCacheUsage);
  }

  private static long percentile(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(percentile);
  }

  private static final class Loop {
    final SingleWriterRecorder timeToFirstToken = new SingleWriterRecorder(3);
    final SingleWriterRecorder interTokenLatency = new SingleWriterRecorder(3);
    // The reader's, handed back to each recorder to reuse.
    Histogram ttftInterval;
    Histogram itlInterval;
  }
}
