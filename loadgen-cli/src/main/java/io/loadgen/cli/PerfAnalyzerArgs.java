package io.loadgen.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments genai-perf passes through to perf_analyzer, after {@code --}. loadgen accepts them
 * so existing command lines work; the few that have a meaning here are applied, the rest are named
 * once in a note rather than failed on.
 */
final class PerfAnalyzerArgs {
  private final List<String> args;

  private PerfAnalyzerArgs(List<String> args) {
    this.args = args;
  }

  /** The arguments after the first {@code --}, or none. */
  static PerfAnalyzerArgs of(String[] commandLine) {
    int separator = Arrays.asList(commandLine).indexOf("--");
    if (separator < 0) {
      return new PerfAnalyzerArgs(List.of());
    }
    return new PerfAnalyzerArgs(
        List.copyOf(Arrays.asList(commandLine).subList(separator + 1, commandLine.length)));
  }

  /** The command line up to the first {@code --}, for picocli. */
  static String[] withoutPassthrough(String[] commandLine) {
    int separator = Arrays.asList(commandLine).indexOf("--");
    return separator < 0 ? commandLine : Arrays.copyOf(commandLine, separator);
  }

  /** {@code --request-distribution constant|poisson}, or null when not given. */
  String requestDistribution() {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--request-distribution=")) {
        return arg.substring(arg.indexOf('=') + 1);
      }
      if (arg.equals("--request-distribution") && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return null;
  }

  /** The flags that have no meaning in loadgen, as given. */
  List<String> ignored() {
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--request-distribution")) {
        i++;
      } else if (!arg.startsWith("--request-distribution=")) {
        ignored.add(arg);
      }
    }
    return ignored;
  }
}
