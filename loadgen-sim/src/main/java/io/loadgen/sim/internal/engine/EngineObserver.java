package io.loadgen.sim.internal.engine;

/** Sees what the engine does, for its /metrics. Called on the engine's thread. */
public interface EngineObserver {
  /** A step ended at {@code endNanos}; the counts are those after it. */
  default void onStep(long endNanos, int running, int waiting, long usedBlocks, long totalBlocks) {}

  /**
   * A sequence was cancelled between steps; the counts are those after it. An engine left idle by
   * it takes no further step, so without this its gauges would keep the blocks it freed.
   */
  default void onCancelled(int running, int waiting, long usedBlocks, long totalBlocks) {}

  default void onPromptTokens(long tokens) {}

  default void onGeneratedTokens(long tokens) {}

  default void onPreemption() {}

  default void onFirstToken(long timeToFirstTokenNanos) {}

  default void onInterToken(long intervalNanos) {}

  default void onFinished(Sequence sequence, long endNanos) {}

  EngineObserver NONE = new EngineObserver() {};
}
