package io.loadgen.cli;

import java.io.PrintWriter;

/**
 * The live progress line, redrawn in place on a terminal and silent otherwise, so that logs and
 * pipes get only the final table; and the run's warnings, a line each, which both get.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean terminal;
  private int shownWidth;

  Progress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  synchronized void show(io.loadgen.core.Progress progress) {
    if (!terminal) {
      return;
    }
    String target = progress.target() >= 0 ? "/" + progress.target() : "";
    String line =
        String.format(
            "  %5.1fs  %d%s done  %d failed  %d in flight  %,.0f tokens/s",
            progress.elapsedNanos() / 1e9,
            progress.completed(),
            target,
            progress.failed(),
            progress.inFlight(),
            progress.tokensPerSecond());
    err.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
    err.flush();
    shownWidth = line.length();
  }

  /** Prints a line of its own, terminal or not, and lets the progress line redraw below it. */
  synchronized void warn(String line) {
    clear();
    err.println(line);
    err.flush();
  }

  synchronized void clear() {
    if (terminal && shownWidth > 0) {
      err.print("\r" + " ".repeat(shownWidth) + "\r");
      err.flush();
      shownWidth = 0;
    }
  }
}
