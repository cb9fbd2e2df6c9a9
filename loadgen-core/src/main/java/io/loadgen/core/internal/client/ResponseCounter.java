package io.loadgen.core.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Content responses received so far on one event loop, counted as they arrive for the live progress
 * line and the scraper's client state. Only the loop writes it; other threads read it. An opaque
 * write is a plain store on x86 and ARM, so counting costs the token path no fence, and a reader
 * sees a value at most a moment old.
 */
public final class ResponseCounter {
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(ResponseCounter.class, "count", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long count;

  /** On the loop's thread, the only writer, so a plain read of the count is its latest value. */
  void increment() {
    COUNT.setOpaque(this, count + 1);
  }

  /** The count, from any thread. */
  public long count() {
    return (long) COUNT.getOpaque(this);
  }
}
