package io.loadgen.core.internal.time;

/**
 * The monotonic clock every duration in loadgen is measured with. Production code uses {@link
 * #system()}, which is {@link System#nanoTime()}; tests inject their own to drive time by hand
 * instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
  /** Nanoseconds from an arbitrary origin; only differences between two readings mean anything. */
  long nanoTime();

  /** The JVM's monotonic clock. */
  static NanoClock system() {
    return System::nanoTime;
  }
}
