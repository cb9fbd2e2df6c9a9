package io.loadgen.sim.internal;

import io.loadgen.sim.internal.engine.TokenSink;
import io.vertx.core.Context;

/**
 * A response the engine's steps feed: a streamed completion, or a whole answer written when its
 * sequence finishes. {@link StepDispatcher} hands each to its event loop.
 */
interface ResponseWriter extends TokenSink {
  /** The event loop the response is written on. */
  Context context();

  /**
   * Cuts the response after a failure while writing it, so its client sees an error, not a hang.
   */
  void abort();
}
