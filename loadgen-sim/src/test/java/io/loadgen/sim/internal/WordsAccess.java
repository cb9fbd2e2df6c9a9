package io.loadgen.sim.internal;

import java.util.List;

/** Exposes the output vocabulary to the module's tests. */
public final class WordsAccess {
  private WordsAccess() {}

  public static List<String> words() {
    return Words.TOKENS;
  }
}
