package io.loadgen.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code loadgen} command: {@code profile} (genai-perf's flags), {@code config} and {@code
 * create-template} (the same from a YAML file), {@code compare} (runs side by side) and {@code sim}
 * (the simulated server). Exit codes: 0 success, 1 a run that failed, 2 a usage error.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code; tests call this instead of {@link #main}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = LoadgenCommand.commandLine(out, err, PerfAnalyzerArgs.of(args));
    return commandLine.execute(PerfAnalyzerArgs.withoutPassthrough(args));
  }
}
