package io.loadgen.core.internal.record;

import java.util.Arrays;

/**
 * The arrival times of one request's content responses, as it receives them. genai-perf's metrics
 * need only the first, second and last; every time is kept only when a raw export or record sink
 * will read them, because a stream's timestamps would otherwise be most of its heap (8 bytes a
 * token, held until the request ends). Confined to one thread until handed off in an {@link
 * Outcome}.
 */
public final class ResponseTimes {
  private long[] every;
  private int count;
  private long first;
  private long second = RequestTimings.ABSENT;
  private long last;

  private ResponseTimes(long[] every) {
    this.every = every;
  }

  /** Keeps every time; {@code expected} sizes the array, which grows if the stream runs longer. */
  public static ResponseTimes every(int expected) {
    return new ResponseTimes(new long[Math.max(16, Math.min(expected + 8, 1 << 16))]);
  }

  /** Keeps the first, second and last times only, in constant space. */
  public static ResponseTimes firstSecondAndLast() {
    return new ResponseTimes(null);
  }

  public void add(long nanos) {
    if (count == 0) {
      first = nanos;
    } else if (count == 1) {
      second = nanos;
    }
    last = nanos;
    if (every != null) {
      if (count == every.length) {
        every = Arrays.copyOf(every, count * 2);
      }
      every[count] = nanos;
    }
    count++;
  }

  public int count() {
    return count;
  }

  /** The first arrival; meaningless while {@link #count()} is 0. */
  public long first() {
    return first;
  }

  /** The second arrival, or {@link RequestTimings#ABSENT} with fewer than two. */
  public long second() {
    return second;
  }

  /** The latest arrival; meaningless while {@link #count()} is 0. */
  public long last() {
    return last;
  }

  /**
   * Every arrival in order, in a new array of {@link #count()} entries.
   *
   * @throws IllegalStateException when made by {@link #firstSecondAndLast()}
   */
  public long[] toArray() {
    if (every == null) {
      throw new IllegalStateException("only the first, second and last response times were kept");
    }
    return Arrays.copyOf(every, count);
  }
}
