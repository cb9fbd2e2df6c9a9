package io.loadgen.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A {@link Sweep} in progress. */
public interface SweepHandle {
  /**
   * Completes with each level's result, in order, once the last level has ended or a level was
   * stopped; completes exceptionally with a {@link LoadgenException} when a level could not run, or
   * with what a level listener threw. A level that loadgen stopped because the target cannot be
   * profiled is handed to the listener first, as any result (its {@link RunSummary#abortReason()}
   * says why), then fails the sweep with a {@link TargetUnreachableException} carrying it.
   */
  CompletionStage<List<ProfileResult>> results();

  /**
   * Stops the level running now as {@link RunHandle#stop()} does (what it measured is kept) and
   * starts no other. Safe from any thread, e.g. a shutdown hook on Ctrl-C.
   */
  void stop();
}
