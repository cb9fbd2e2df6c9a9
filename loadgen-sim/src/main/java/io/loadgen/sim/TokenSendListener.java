package io.loadgen.sim;

/**
 * Sees every token the simulated server sends, with the time it was scheduled for and the time it
 * was written: the ground truth against which a client's timing error is measured. Called on the
 * server's event loop: keep it short and never block.
 */
@FunctionalInterface
public interface TokenSendListener {
  /**
   * @param requestId the server's sequence number of the request, from 0
   * @param tokenIndex the token's position in the output, from 0
   * @param scheduledNanos when the timing model meant it to be sent ({@link System#nanoTime()})
   * @param sentNanos when it was handed to the connection ({@link System#nanoTime()})
   */
  void onTokenSent(long requestId, int tokenIndex, long scheduledNanos, long sentNanos);

  /**
   * A completion request was accepted, before any of its tokens: lets a harness tie the server's
   * request number to the client's request by its prompt. Called on the request's event loop.
   */
  default void onRequestAccepted(long requestId, String prompt) {}
}
