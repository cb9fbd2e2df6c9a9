package io.loadgen.cli;

import io.loadgen.report.Comparison;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loadgen compare}: runs that {@code loadgen profile} wrote, side by side. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Compare runs: the avg, p50 and p99 of each metric of every run folder that loadgen profile",
      "wrote, and each run's change against the first in percent; written as compare.csv,",
      "compare.json and plots/<metric>_percentiles.png (every run's percentile curve on one chart)."
    })
final class CompareCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "2..*",
      paramLabel = "DIR",
      description = "Run folders of loadgen profile, two or more; the first is the baseline.")
  List<Path> runDirs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      defaultValue = "compare",
      description = "Folder for the comparison's files (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--verbose", description = "Print the stack of a failure.")
  boolean verbose;

  @Override
  public Integer call() {
    Comparison comparison = Comparison.of(runDirs);
    PrintWriter out = spec.commandLine().getOut();
    out.print(comparison.render());
    List<Path> written = comparison.write(output);
    out.println(
        "Wrote "
            + written.size()
            + " files to "
            + output.toAbsolutePath().normalize()
            + " (compare.csv, compare.json, "
            + (written.size() - 3)
            + " charts in plots/, report.html)");
    out.flush();
    return 0;
  }
}
