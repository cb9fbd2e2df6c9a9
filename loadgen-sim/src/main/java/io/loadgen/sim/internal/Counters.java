package io.loadgen.sim.internal;

import io.loadgen.sim.SimStats;
import java.util.concurrent.atomic.LongAdder;

/** The server's counters; written on event loops, read from any thread. */
public final class Counters {
  private final LongAdder received = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder tokens = new LongAdder();
  private final LongAdder open = new LongAdder();

  void requestReceived() {
    received.increment();
  }

  void streamOpened() {
    open.increment();
  }

  void tokenSent() {
    tokens.increment();
  }

  void streamCompleted() {
    completed.increment();
    open.decrement();
  }

  void streamCancelled() {
    cancelled.increment();
    open.decrement();
  }

  public SimStats snapshot(io.loadgen.sim.internal.engine.EngineMetrics engine) {
    return new SimStats(
        received.sum(),
        completed.sum(),
        cancelled.sum(),
        tokens.sum(),
        open.sum(),
        engine.running(),
        engine.waiting(),
        engine.usedBlocks(),
        engine.totalBlocks(),
        engine.preemptions());
  }
}
