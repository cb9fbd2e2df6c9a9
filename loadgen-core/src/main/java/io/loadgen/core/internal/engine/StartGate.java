package io.loadgen.core.internal.engine;

import io.loadgen.core.RunWarning;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Holds a prepared run back until its start instant ({@code Load.startAt}) on the wall clock, so
 * that processes on several machines, whose monotonic clocks share no origin, start their load
 * together. The wait is taken in slices of at most {@link #SLICE} and the wall clock read again
 * after each, so that a clock stepped while waiting (NTP) moves the start with it. {@link
 * #release()} ends the wait early: a run stopped before it started.
 */
public final class StartGate {
  /** The longest the gate waits before it reads the wall clock again. */
  static final Duration SLICE = Duration.ofSeconds(1);

  /** Waits up to a time, or until released. */
  @FunctionalInterface
  interface Sleeper {
    /** Waits up to {@code nanos}; true when the gate was released meanwhile. */
    boolean sleep(long nanos) throws InterruptedException;
  }

  /** How a wait ended. */
  public enum Outcome {
    /** The start instant came. */
    STARTED,
    /** The start instant had passed before the wait began: the run starts at once. */
    ALREADY_PAST,
    /** {@link #release()} (a stop) ended it first. */
    RELEASED
  }

  private final CountDownLatch released = new CountDownLatch(1);
  private final Sleeper sleeper;

  public StartGate() {
    this.sleeper = nanos -> released.await(nanos, TimeUnit.NANOSECONDS);
  }

  StartGate(Sleeper sleeper) {
    this.sleeper = sleeper;
  }

  /** Ends a wait now, or the next one at once: the run is stopped before it starts. */
  public void release() {
    released.countDown();
  }

  /**
   * Waits until {@code clock} reads {@code startAt} or later, having said to {@code warnings} (when
   * not null) how long it will wait: a pod's log then shows why it is quiet. A start already past
   * is said there too, once, and not waited for. No start (null) is no wait.
   */
  public Outcome await(Instant startAt, InstantSource clock, Consumer<RunWarning> warnings) {
    if (startAt == null) {
      return Outcome.STARTED;
    }
    Duration remaining = Duration.between(clock.instant(), startAt);
    if (remaining.isNegative()) {
      if (warnings != null) {
        warnings.accept(
            new RunWarning(
                "startAt",
                "the start time "
                    + startAt
                    + " passed "
                    + String.format(Locale.ROOT, "%.1f", -remaining.toMillis() / 1000.0)
                    + " s ago: starting now"));
      }
      return Outcome.ALREADY_PAST;
    }
    if (warnings != null && remaining.compareTo(Duration.ZERO) > 0) {
      warnings.accept(
          new RunWarning(
              "startAt",
              "prepared; waiting "
                  + String.format(Locale.ROOT, "%.1f", remaining.toMillis() / 1000.0)
                  + " s for the start time "
                  + startAt));
    }
    try {
      while (remaining.compareTo(Duration.ZERO) > 0) {
        if (released.getCount() == 0 || sleeper.sleep(min(remaining, SLICE).toNanos())) {
          return Outcome.RELEASED;
        }
        remaining = Duration.between(clock.instant(), startAt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.RELEASED;
    }
    return Outcome.STARTED;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
