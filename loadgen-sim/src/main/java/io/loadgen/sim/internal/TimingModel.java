package io.loadgen.sim.internal;

/**
 * When each token of a request is due. The first cut is fixed per request; the engine model that
 * replaces it (continuous batching, paged KV cache) answers the same question from the batch.
 */
interface TimingModel {
  /** Nanoseconds from arrival to the first token, for a prompt of {@code promptTokens}. */
  long timeToFirstTokenNanos(int promptTokens);

  /** Nanoseconds between two consecutive tokens. */
  long interTokenIntervalNanos();
}
