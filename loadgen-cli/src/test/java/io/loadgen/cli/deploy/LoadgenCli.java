package io.loadgen.cli.deploy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import picocli.CommandLine;

/**
 * The loadgen command line exactly as {@code io.loadgen.cli.Main} builds it (the top command with
 * its {@code profile} and {@code sim} subcommands, and perf_analyzer's arguments after {@code --}
 * split off), for parsing without running. The builder is package-private in {@code
 * io.loadgen.cli}, so it is reached by reflection: a rename there fails these tests loudly rather
 * than letting them parse with a command line of their own.
 */
final class LoadgenCli {
  private LoadgenCli() {}

  /**
   * Parses {@code args} (what follows {@code java -jar loadgen.jar}) as Main would before running
   * it.
   *
   * @throws CommandLine.ParameterException when picocli rejects them, as a user would see it
   */
  static CommandLine.ParseResult parse(List<String> args) {
    String[] array = args.toArray(String[]::new);
    try {
      Class<?> passthroughType = Class.forName("io.loadgen.cli.PerfAnalyzerArgs");
      Method of = passthroughType.getDeclaredMethod("of", String[].class);
      Method withoutPassthrough =
          passthroughType.getDeclaredMethod("withoutPassthrough", String[].class);
      Method commandLine =
          Class.forName("io.loadgen.cli.LoadgenCommand")
              .getDeclaredMethod(
                  "commandLine", PrintWriter.class, PrintWriter.class, passthroughType);
      of.setAccessible(true);
      withoutPassthrough.setAccessible(true);
      commandLine.setAccessible(true);
      PrintWriter sink = new PrintWriter(new StringWriter());
      CommandLine cli =
          (CommandLine) commandLine.invoke(null, sink, sink, of.invoke(null, (Object) array));
      return cli.parseArgs((String[]) withoutPassthrough.invoke(null, (Object) array));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(
          "io.loadgen.cli no longer builds its command line as these tests expect: " + e, e);
    }
  }

  /** The value of {@code option} given to the subcommand, or {@code null}. */
  static String option(CommandLine.ParseResult result, String option) {
    CommandLine.ParseResult sub = result.subcommand();
    if (sub == null || !sub.hasMatchedOption(option)) {
      return null;
    }
    List<String> values = sub.matchedOption(option).stringValues();
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
