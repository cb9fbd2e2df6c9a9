package io.loadgen.core.internal.engine;

import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunHandle;
import java.util.concurrent.CompletionStage;

/** A {@link RunHandle} of a result to come and what stops the run. */
public record StartedRun(CompletionStage<ProfileResult> result, Runnable stopper)
    implements RunHandle {
  @Override
  public void stop() {
    stopper.run();
  }
}
