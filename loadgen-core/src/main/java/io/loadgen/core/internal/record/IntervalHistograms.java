package io.loadgen.core.internal.record;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * One metric's values over a run, in intervals of its time, as HdrHistogram's interval log holds
 * them (each interval holds the values recorded in it, as a {@code Recorder}'s interval histograms
 * do). A value belongs to the interval in which its request ended: that is when loadgen knows a
 * request's values and records them, so every metric of a request falls in the same interval and an
 * interval's request-latency count is the requests that finished in it.
 *
 * <p>Intervals are one second long for the first {@value #FINE_INTERVALS} seconds after the origin
 * and ten seconds long after that, so a soak run of a day has 11,880 intervals, not 86,400. An
 * interval that is over is kept in HdrHistogram's compressed encoding (1,000 latencies between 50
 * and 500 ms take 676 bytes, 10,000 take 1.6 KB, where the histogram's counts array over that range
 * is 160 KiB), so memory grows with the run's length by about that much an interval and metric, and
 * not with the request count. Only the newest interval is a live histogram. A value that arrives
 * for an interval already over (its loop's requests finishing out of order) is added to that
 * interval's encoding again.
 *
 * <p>Confined to one thread, the recorder thread; the loops' series are added at the end.
 */
public final class IntervalHistograms {
  static final int FINE_INTERVALS = 3_600;
  private static final long FINE_NANOS = 1_000_000_000L;
  private static final long COARSE_NANOS = 10 * FINE_NANOS;
  private static final int SIGNIFICANT_DIGITS = 3;

  private final long originNanos;
  private final Histogram open = new Histogram(SIGNIFICANT_DIGITS);
  private int openIndex = -1;
  private final List<byte[]> closed = new ArrayList<>();
  private ByteBuffer buffer = ByteBuffer.allocate(1024);

  /**
   * @param originNanos the start of interval 0, on the monotonic clock the values are timed by
   */
  public IntervalHistograms(long originNanos) {
    this.originNanos = originNanos;
  }

  /** The interval that {@code sinceOriginNanos} falls in; times before the origin in the first. */
  static int indexOf(long sinceOriginNanos) {
    long since = Math.max(0, sinceOriginNanos);
    long fine = FINE_INTERVALS * FINE_NANOS;
    return since < fine
        ? (int) (since / FINE_NANOS)
        : FINE_INTERVALS + (int) ((since - fine) / COARSE_NANOS);
  }

  /** When interval {@code index} starts, in nanoseconds since the origin. */
  static long startOf(int index) {
    return index <= FINE_INTERVALS
        ? index * FINE_NANOS
        : FINE_INTERVALS * FINE_NANOS + (index - FINE_INTERVALS) * COARSE_NANOS;
  }

  /** Records {@code value} in the interval of {@code atNanos} (same clock as the origin). */
  public void record(long value, long atNanos) {
    int index = indexOf(atNanos - originNanos);
    if (index != openIndex) {
      if (index < openIndex) {
        Histogram late = decode(index);
        late.recordValue(value);
        closed.set(index, encode(late));
        return;
      }
      close();
      openIndex = index;
    }
    open.recordValue(value);
  }

  /** Adds every value {@code other} recorded to this series, interval by interval. */
  public void addAll(IntervalHistograms other) {
    if (other.originNanos != originNanos) {
      throw new IllegalArgumentException("series of different origins cannot be added");
    }
    close();
    other.close();
    for (int i = 0; i < other.closed.size(); i++) {
      if (other.closed.get(i) != null) {
        Histogram sum = decode(i);
        sum.add(other.decode(i));
        ensureSize(i + 1);
        closed.set(i, encode(sum));
      }
    }
  }

  /**
   * The intervals from the one holding {@code fromNanos} to the last with a value, as histograms
   * whose start and end timestamps are epoch milliseconds; the first starts at {@code fromNanos}
   * rather than at its interval's boundary, since nothing was measured before it. Each interval is
   * decoded when it is read, so a caller that holds one at a time holds one histogram.
   *
   * @param originEpochNanos the wall-clock time of the origin, in nanoseconds since the epoch
   */
  public List<Histogram> intervals(long originEpochNanos, long fromNanos) {
    close();
    int first = indexOf(fromNanos - originNanos);
    int count = Math.max(0, closed.size() - first);
    byte[][] encoded = closed.subList(closed.size() - count, closed.size()).toArray(byte[][]::new);
    long[] bounds = new long[count + 1];
    for (int i = 0; i <= count; i++) {
      bounds[i] = (originEpochNanos + startOf(first + i)) / 1_000_000;
    }
    if (count > 0) {
      bounds[0] =
          (originEpochNanos + Math.max(startOf(first), fromNanos - originNanos)) / 1_000_000;
    }
    return new Encoded(encoded, bounds);
  }

  private void close() {
    if (openIndex >= 0) {
      ensureSize(openIndex + 1);
      closed.set(openIndex, encode(open));
      open.reset();
      openIndex = -1;
    }
  }

  private void ensureSize(int size) {
    while (closed.size() < size) {
      closed.add(null); // an interval in which nothing ended
    }
  }

  private Histogram decode(int index) {
    return index < closed.size() ? decode(closed.get(index)) : new Histogram(SIGNIFICANT_DIGITS);
  }

  private static Histogram decode(byte[] encoded) {
    Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    if (encoded != null) {
      try {
        histogram.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0));
      } catch (DataFormatException e) {
        throw new IllegalStateException("an interval encoded here did not decode", e);
      }
    }
    return histogram;
  }

  private byte[] encode(Histogram histogram) {
    int needed = histogram.getNeededByteBufferCapacity();
    if (buffer.capacity() < needed) {
      buffer = ByteBuffer.allocate(needed);
    }
    buffer.clear();
    int length = histogram.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_SPEED);
    return Arrays.copyOf(buffer.array(), length);
  }

  /** Immutable: the encodings are never changed once handed out (a late value re-encodes). */
  private static final class Encoded extends AbstractList<Histogram> {
    private final byte[][] encoded;
    private final long[] boundsMillis;

    Encoded(byte[][] encoded, long[] boundsMillis) {
      this.encoded = encoded;
      this.boundsMillis = boundsMillis;
    }

    @Override
    public Histogram get(int index) {
      Histogram histogram = decode(encoded[index]);
      histogram.setStartTimeStamp(boundsMillis[index]);
      histogram.setEndTimeStamp(boundsMillis[index + 1]);
      return histogram;
    }

    @Override
    public int size() {
      return encoded.length;
    }
  }
}
