package io.loadgen.report.internal.plots;

import java.io.IOException;
import java.nio.file.Path;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/** Reads a metric's HdrHistogram log ({@code <metric>.hlog}) back as one histogram. */
public final class HistogramLogs {
  private HistogramLogs() {}

  /**
   * Every interval of {@code file} added together: the whole run, whether the log holds one
   * interval covering it or one per second. Values are in the metric's recorded unit.
   */
  public static Histogram readMerged(Path file) throws IOException {
    Histogram merged = new Histogram(3);
    try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
      EncodableHistogram interval;
      while ((interval = reader.nextIntervalHistogram()) != null) {
        if (interval instanceof Histogram histogram) {
          merged.add(histogram);
        }
      }
    }
    return merged;
  }
}
