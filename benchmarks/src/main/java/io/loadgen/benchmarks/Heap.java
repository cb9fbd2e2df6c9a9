package io.loadgen.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;

/** Heap readings for the scale harnesses: used heap after the collector has had its say. */
final class Heap {
  private Heap() {}

  /** Used heap after three full collections, a pause after each for concurrent phases to finish. */
  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      LockSupport.parkNanos(200_000_000);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
