package io.loadgen.sim.internal;

import io.loadgen.sim.internal.engine.Step;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands a step's tokens to the event loops of their responses: one task per event loop per step,
 * not one per token, so thousands of streams cost a handful of cross-thread hand-offs a step.
 */
public final class StepDispatcher implements Consumer<Step> {
  @Override
  public void accept(Step step) {
    // Usually one event loop serves every stream; a short list beats a map for a few.
    List<Context> contexts = new ArrayList<>(2);
    List<int[]> members = new ArrayList<>(2);
    int[] counts = new int[step.count()];
    int[] group = new int[step.count()];
    int current = -1;
    for (int i = 0; i < step.count(); i++) {
      Context context = ((ResponseWriter) step.tokens()[i].sink()).context();
      // By identity: a context's equals is not cheap, and this runs once per token.
      if (current < 0 || contexts.get(current) != context) {
        current = groupOf(contexts, context);
      }
      group[i] = current;
      counts[current]++;
    }
    for (int g = 0; g < contexts.size(); g++) {
      members.add(new int[counts[g]]);
    }
    int[] filled = new int[contexts.size()];
    for (int i = 0; i < step.count(); i++) {
      members.get(group[i])[filled[group[i]]++] = i;
    }
    for (int g = 0; g < contexts.size(); g++) {
      int[] indexes = members.get(g);
      contexts.get(g).runOnContext(v -> write(step, indexes));
    }
  }

  private static int groupOf(List<Context> contexts, Context context) {
    for (int j = 0; j < contexts.size(); j++) {
      if (contexts.get(j) == context) {
        return j;
      }
    }
    contexts.add(context);
    return contexts.size() - 1;
  }

  private static void write(Step step, int[] indexes) {
    for (int i : indexes) {
      ResponseWriter writer = (ResponseWriter) step.tokens()[i].sink();
      try {
        writer.onToken(step.tokenIndexes()[i], step.endNanos());
        if (step.finished()[i]) {
          writer.onFinish(step.endNanos());
        }
      } catch (RuntimeException e) {
        // One stream's failure (a listener that throws, a connection in a bad state) must not
        // cost every later stream of the step its token: that stream is cut, the rest go on.
        writer.abort();
      }
    }
  }
}
