package io.loadgen.cli;

import java.util.List;
import java.util.Locale;

/**
 * What the live view says about a progress snapshot: the lines redrawn on a terminal, and the one
 * line a log gets instead. Pure functions of the snapshot, so that a test reads exactly what a user
 * sees; {@link Progress} decides where and how often they are written.
 */
final class LiveView {
  /** Lines of every terminal view: a constant count, so each redraw overwrites the last exactly. */
  static final int LINES = 3;

  private LiveView() {}

  /**
   * The terminal view of {@code progress}, {@link #LINES} lines each cut to {@code width} - 1
   * characters: a line as wide as the terminal would wrap, and the cursor moves of the next redraw
   * count lines, not rows.
   */
  static List<String> lines(io.loadgen.core.Progress progress, int width) {
    String requests =
        String.format(
            Locale.ROOT,
            "  elapsed %.1f s   requests %,d%s done, %,d in flight, %,d failed",
            progress.elapsedNanos() / 1e9,
            progress.completed(),
            target(progress),
            progress.inFlight(),
            progress.failed());
    String throughput =
        String.format(
            Locale.ROOT,
            "  %,.0f tokens/s   KV cache %s",
            progress.tokensPerSecond(),
            percent(progress.kvCacheUsage()));
    String latencies =
        String.format(
            Locale.ROOT,
            "  TTFT p50 %s  p99 %s   ITL p50 %s  p99 %s",
            millis(progress.timeToFirstTokenP50Nanos()),
            millis(progress.timeToFirstTokenP99Nanos()),
            millis(progress.interTokenLatencyP50Nanos()),
            millis(progress.interTokenLatencyP99Nanos()));
    return List.of(cut(requests, width), cut(throughput, width), cut(latencies, width));
  }

  /** The same figures on one line, for a log or a pipe, where nothing is redrawn. */
  static String plainLine(io.loadgen.core.Progress progress) {
    return String.format(
        Locale.ROOT,
        "loadgen: progress %.1f s: %,d%s done, %,d in flight, %,d failed, %,.0f tokens/s,"
            + " TTFT p50 %s p99 %s, ITL p50 %s p99 %s, KV cache %s",
        progress.elapsedNanos() / 1e9,
        progress.completed(),
        target(progress),
        progress.inFlight(),
        progress.failed(),
        progress.tokensPerSecond(),
        millis(progress.timeToFirstTokenP50Nanos()),
        millis(progress.timeToFirstTokenP99Nanos()),
        millis(progress.interTokenLatencyP50Nanos()),
        millis(progress.interTokenLatencyP99Nanos()),
        percent(progress.kvCacheUsage()));
  }

  private static String target(io.loadgen.core.Progress progress) {
    return progress.target() >= 0 ? String.format(Locale.ROOT, "/%,d", progress.target()) : "";
  }

  /** Nanoseconds as milliseconds, or "-" for a latency not measured yet (-1). */
  private static String millis(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  /** A fraction as a percentage, or "-" when nothing was scraped (NaN). */
  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  private static String cut(String line, int width) {
    int max = Math.max(1, width - 1);
    return line.length() <= max ? line : line.substring(0, max);
  }
}
