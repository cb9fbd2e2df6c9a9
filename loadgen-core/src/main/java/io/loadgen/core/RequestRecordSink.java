package io.loadgen.core;

/**
 * Receives every finished request, warm-up and failed ones included, in completion order, on one
 * thread that is never an event loop: it may write to disk. Used for the raw export, which is
 * streamed so that memory does not grow with the request count.
 */
public interface RequestRecordSink extends AutoCloseable {
  /** Called once per finished request. */
  void accept(RequestRecord record);

  /** Called once after the last record; flush and release resources here. */
  @Override
  default void close() {}
}
