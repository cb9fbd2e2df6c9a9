package io.loadgen.sim;

import io.loadgen.sim.internal.engine.Engine;
import io.loadgen.sim.internal.engine.EngineObserver;
import io.loadgen.sim.internal.engine.Sequence;
import io.loadgen.sim.internal.engine.Step;
import io.loadgen.sim.internal.engine.TokenSink;
import java.util.Objects;

/**
 * One simulated server replica on a virtual clock: the engine {@link SimServer} paces onto the wall
 * clock, driven here by a caller's discrete-event simulation instead, with no threads and no
 * network, so that hours of a fleet's load run in seconds and the same inputs give the same steps.
 *
 * <p>The caller runs steps back to back while the replica has work: {@link #startStep} at a time
 * (the end of the last step, or when work arrives at an idle replica) computes the step and returns
 * its end; {@link #endStep} at that end hands its tokens to their listeners. A request submitted
 * meanwhile joins the next step, as in a real engine, where a request that arrives mid-step waits
 * for it to end. Not thread-safe.
 */
public final class VirtualReplica {
  /** Receives a request's tokens, each at the virtual time its step ended. */
  public interface TokenListener {
    /** Token {@code index} (from 0) arrived at {@code nanos}. */
    void onToken(int index, long nanos);

    /** The request generated its last token, at {@code nanos}. */
    void onFinish(long nanos);
  }

  private final EngineSpec spec;
  private final Engine engine;
  private Step pending;
  private long ids;

  public VirtualReplica(EngineSpec spec) {
    this.spec = Objects.requireNonNull(spec);
    this.engine = new Engine(spec, EngineObserver.NONE);
  }

  /** The engine's numbers. */
  public EngineSpec spec() {
    return spec;
  }

  /**
   * Queues a request arriving at {@code arrivalNanos}; it joins the next step that has room.
   *
   * @throws IllegalArgumentException when the whole cache could not hold it
   */
  public void submit(
      int promptTokens, int outputTokens, long arrivalNanos, TokenListener listener) {
    Objects.requireNonNull(listener);
    engine.submit(
        new Sequence(
            ids++,
            promptTokens,
            outputTokens,
            arrivalNanos,
            new TokenSink() {
              @Override
              public void onToken(int index, long dueNanos) {
                listener.onToken(index, dueNanos);
              }

              @Override
              public void onFinish(long dueNanos) {
                listener.onFinish(dueNanos);
              }
            }));
  }

  /** Whether a step would do anything. */
  public boolean hasWork() {
    return engine.hasWork();
  }

  /**
   * Computes the step that starts at {@code startNanos} and returns when it ends, or -1 when
   * nothing can run. Call {@link #endStep} at that time before starting another.
   */
  public long startStep(long startNanos) {
    if (pending != null) {
      throw new IllegalStateException("the step under way has not ended");
    }
    pending = engine.step(startNanos);
    return pending == null ? -1 : pending.endNanos();
  }

  /** Ends the step under way: every token it made goes to its listener, with the step's end. */
  public void endStep() {
    Step step = pending;
    pending = null;
    if (step == null) {
      return;
    }
    for (int i = 0; i < step.count(); i++) {
      TokenSink sink = step.tokens()[i].sink();
      sink.onToken(step.tokenIndexes()[i], step.endNanos());
      if (step.finished()[i]) {
        sink.onFinish(step.endNanos());
      }
    }
  }

  /** KV-cache usage, 0 to 1, as {@code gpu_cache_usage_perc} reports it. */
  public double kvCacheUsage() {
    return engine.cache().usage();
  }

  /** KV-cache blocks held now. */
  public long kvBlocksUsed() {
    return engine.cache().usedBlocks();
  }

  /** Requests in the batch. */
  public int running() {
    return engine.runningCount();
  }

  /** Requests queued for the batch. */
  public int waiting() {
    return engine.waitingCount();
  }
}
