package io.loadgen.core.internal.client;

/**
 * Content responses received so far, counted as they arrive for the live progress line. Confined to
 * the engine's event loop, so a plain field suffices.
 */
public final class ResponseCounter {
  private long count;

  void increment() {
    count++;
  }

  public long count() {
    return count;
  }
}
