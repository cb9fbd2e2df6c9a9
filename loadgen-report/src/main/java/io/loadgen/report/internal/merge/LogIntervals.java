package io.loadgen.report.internal.merge;

import io.loadgen.report.RunDirectoryException;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * A metric's HdrHistogram interval log read one interval at a time, oldest first, each with its
 * epoch-millisecond start and end. A log that is not there has no intervals.
 */
public final class LogIntervals implements Iterator<Histogram>, Closeable {
  private final Path file;
  private final HistogramLogReader reader;
  private Histogram next;

  /**
   * @throws RunDirectoryException when the log cannot be read
   */
  public LogIntervals(Path file) {
    this.file = file;
    try {
      this.reader = Files.isRegularFile(file) ? new HistogramLogReader(file.toFile()) : null;
    } catch (FileNotFoundException e) {
      throw new RunDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    advance();
  }

  private void advance() {
    next = null;
    if (reader == null) {
      return;
    }
    try {
      EncodableHistogram interval;
      while ((interval = reader.nextIntervalHistogram()) != null) {
        if (interval instanceof Histogram histogram) {
          next = histogram;
          return;
        }
      }
    } catch (RuntimeException e) {
      throw new RunDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public Histogram next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    Histogram current = next;
    advance();
    return current;
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
