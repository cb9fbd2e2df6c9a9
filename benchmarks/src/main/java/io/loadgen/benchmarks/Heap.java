package io.loadgen.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;

/** Heap readings for the scale harnesses: used heap after the collector has had its say. */
final class Heap {
  private Heap() {}

  /**
   * Used heap straight after a full collection, taken after two earlier ones with a pause each for
   * concurrent phases (reference processing, cleaners) to finish. The reading follows the last
   * collection at once: a run under way allocates megabytes of short-lived garbage a second, which
   * a reading taken even 200 ms later would count as heap held by its streams.
   */
  static long usedAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
      LockSupport.parkNanos(200_000_000);
    }
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
