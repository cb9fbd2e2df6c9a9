package io.loadgen.sim.internal.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Paces the {@link Engine} onto the wall clock: a thread of its own runs each step, sleeps until
 * the step's end time on {@link System#nanoTime()}, then hands the step's tokens to {@code
 * dispatch} (which writes them on the event loops). Requests and cancellations arrive from event
 * loops through a queue and join at the next step, as in a real engine, where a request that
 * arrives mid-step waits for the step to end.
 *
 * <p>A thread rather than event-loop timers, because Vert.x timers have millisecond granularity and
 * a step's end must be kept to well under that; and because the model's work must never hold up the
 * writes of tokens already due.
 */
public final class EngineDriver implements AutoCloseable {
  private final Engine engine;
  private final Consumer<Step> dispatch;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private long lastEndNanos = Long.MIN_VALUE;

  public EngineDriver(Engine engine, Consumer<Step> dispatch) {
    this.engine = engine;
    this.dispatch = dispatch;
    this.thread = new Thread(this::run, "loadgen-sim-engine");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Queues a sequence for the next step. Any thread. */
  public void submit(Sequence sequence) {
    inbox.add(() -> engine.submit(sequence));
    LockSupport.unpark(thread);
  }

  /** Drops a sequence, freeing its blocks at the next step. Any thread. */
  public void cancel(Sequence sequence) {
    inbox.add(() -> engine.cancel(sequence));
    LockSupport.unpark(thread);
  }

  private void run() {
    while (!closed) {
      for (Runnable command; (command = inbox.poll()) != null; ) {
        command.run();
      }
      if (!engine.hasWork()) {
        lastEndNanos = Long.MIN_VALUE;
        LockSupport.park(this);
        continue;
      }
      // A busy engine starts each step the moment the last one ends, on the model's clock, however
      // late this thread wakes; an idle one starts when work arrives.
      long start = lastEndNanos != Long.MIN_VALUE ? lastEndNanos : System.nanoTime();
      Step step = engine.step(start);
      if (step == null) {
        // Nothing could run (every running sequence still waits for budget): try again shortly.
        LockSupport.parkNanos(this, 1_000_000);
        continue;
      }
      for (long left; (left = step.endNanos() - System.nanoTime()) > 0 && !closed; ) {
        LockSupport.parkNanos(this, left);
      }
      lastEndNanos = step.endNanos();
      if (step.count() > 0) {
        dispatch.accept(step);
      }
    }
  }

  /** Stops the thread; sequences in flight get no more tokens. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
