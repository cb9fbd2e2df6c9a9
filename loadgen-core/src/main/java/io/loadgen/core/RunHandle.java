package io.loadgen.core;

import java.util.concurrent.CompletionStage;

/** A profile run in progress. */
public interface RunHandle {
  /**
   * Completes with what was measured once every request has finished, or once {@link #stop()} has
   * abandoned the rest; completes exceptionally with a {@link LoadgenException} when the run could
   * not go on (for example, the target is not an OpenAI server).
   */
  CompletionStage<ProfileResult> result();

  /**
   * Stops sending, abandons the requests in flight (counted as cancelled, never as errors) and ends
   * the run with what was measured so far. Safe from any thread, e.g. a shutdown hook on Ctrl-C.
   */
  void stop();
}
