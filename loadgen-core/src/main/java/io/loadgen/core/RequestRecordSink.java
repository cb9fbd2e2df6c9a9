package io.loadgen.core;

/**
 * Receives every finished request, warm-up and failed ones included, one at a time and never
 * concurrently, on the run's recorder threads (one per event loop), which are never event loops: it
 * may write to disk. Records of one event loop come in their completion order. Used for the raw
 * export, which is streamed so that memory does not grow with the request count.
 */
public interface RequestRecordSink extends AutoCloseable {
  /** Called once per finished request. */
  void accept(RequestRecord record);

  /** Called once after the last record; flush and release resources here. */
  @Override
  default void close() {}
}
