package io.loadgen.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The live view of a run: on a terminal, {@link LiveView}'s lines redrawn in place once a second;
 * elsewhere (a CI log, a pipe) a plain line every {@link #PLAIN_PERIOD_NANOS} of the run, so that a
 * long run shows it is alive without flooding the log. And the run's warnings, a line each, which
 * both get.
 *
 * <p>The redraw is three ANSI (ECMA-48) sequences written by hand: carriage return, cursor up
 * ({@code ESC [ n A}) and erase line ({@code ESC [ 2 K}), which every terminal emulator in use
 * understands. A terminal library (JLine) was weighed and left out: its system terminal takes over
 * the process's terminal (signal handlers for Ctrl-C, on which the CLI's own hook writes the
 * exports; native or {@code stty} probes) and adds a large jar, for three sequences. What it would
 * add, the terminal's real width, comes from {@code COLUMNS} when the shell exports it.
 */
final class Progress {
  /** How often a plain line is written where nothing can be redrawn. */
  static final long PLAIN_PERIOD_NANOS = 10_000_000_000L;

  private static final String ESC = "\u001b[";
  private static final String ERASE_LINE = ESC + "2K";
  private static final int DEFAULT_WIDTH = 80;

  private final PrintWriter err;
  private final boolean terminal;
  private final int width;
  private int shownLines;
  private long nextPlainNanos = PLAIN_PERIOD_NANOS;
  private long lastElapsedNanos;

  /**
   * @param terminal whether {@code err} is a terminal that understands ANSI sequences
   * @param width the terminal's width in columns
   */
  Progress(PrintWriter err, boolean terminal, int width) {
    this.err = err;
    this.terminal = terminal;
    this.width = width;
  }

  /**
   * The live view on this process's standard error: redrawn when the process has a console (not a
   * pipe or a file) whose {@code TERM} is not {@code dumb}.
   */
  static Progress forConsole(PrintWriter err) {
    Map<String, String> env = System.getenv();
    boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
    return new Progress(err, terminal, columns(env.get("COLUMNS")));
  }

  /** The width {@code COLUMNS} gives, or 80 when it is unset or not a width. */
  static int columns(String columns) {
    try {
      int parsed = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.trim());
      return parsed >= 20 ? parsed : DEFAULT_WIDTH;
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  synchronized void show(io.loadgen.core.Progress progress) {
    if (!terminal) {
      showPlain(progress);
      return;
    }
    List<String> lines = LiveView.lines(progress, width);
    StringBuilder out = new StringBuilder("\r");
    if (shownLines > 1) {
      // Back to the first line of the view drawn last; the cursor rests on its last line.
      out.append(ESC).append(shownLines - 1).append('A');
    }
    for (int i = 0; i < lines.size(); i++) {
      out.append(i == 0 ? "" : "\n").append(ERASE_LINE).append(lines.get(i));
    }
    err.print(out);
    err.flush();
    shownLines = lines.size();
  }

  private void showPlain(io.loadgen.core.Progress progress) {
    if (progress.elapsedNanos() < lastElapsedNanos) {
      nextPlainNanos = PLAIN_PERIOD_NANOS; // the next level of a sweep: its clock starts again
    }
    lastElapsedNanos = progress.elapsedNanos();
    if (progress.elapsedNanos() >= nextPlainNanos) {
      err.println(LiveView.plainLine(progress));
      err.flush();
      nextPlainNanos = (progress.elapsedNanos() / PLAIN_PERIOD_NANOS + 1) * PLAIN_PERIOD_NANOS;
    }
  }

  /** Prints a line of its own, terminal or not, and lets the view redraw below it. */
  synchronized void warn(String line) {
    clear();
    err.println(line);
    err.flush();
  }

  /**
   * Erases the view, leaving the cursor where its first line began, so that what is printed next (a
   * warning, the final table) takes its place. The next level of a sweep starts a fresh view.
   */
  synchronized void clear() {
    nextPlainNanos = PLAIN_PERIOD_NANOS;
    lastElapsedNanos = 0;
    if (terminal && shownLines > 0) {
      StringBuilder out = new StringBuilder("\r").append(ERASE_LINE);
      for (int i = 1; i < shownLines; i++) {
        out.append(ESC).append("1A").append(ERASE_LINE);
      }
      err.print(out);
      err.flush();
      shownLines = 0;
    }
  }
}
