package io.loadgen.cli;

import io.loadgen.report.Merge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loadgen merge}: the runs of several pods, one workload at one time, as one run. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Merge the runs that several processes (an Indexed Job's pods) made of one workload at the",
      "same time into one run, with the files loadgen profile writes: histograms added from the",
      ".hlog files, counts summed, throughput over the union of the runs' windows, raw exports",
      "concatenated, the server's metrics kept once. Sweep folders are merged level by level."
    },
    footer = {
      "",
      "Example:",
      "  loadgen merge artifacts/sweep-0 artifacts/sweep-1 --output artifacts/sweep-merged"
    })
final class MergeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "DIR",
      description =
          "Run folders of loadgen profile (or sweep folders, each with its sweep_summary.json).")
  List<Path> dirs;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "DIR",
      description = "Folder for the merged run (a sweep's: its level folders and summary).")
  Path output;

  @Option(
      names = "--generate-plots",
      description = "Also draw the charts of loadgen profile --generate-plots into plots/.")
  boolean generatePlots;

  @Option(names = "--verbose", description = "Print the stack of a failure.")
  boolean verbose;

  @Override
  public Integer call() {
    Merge merge = Merge.of(dirs);
    // Written before anything is printed: an output that cannot be is the one line said.
    List<Path> written = merge.write(output, generatePlots);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    merge.notes().forEach(note -> err.println("loadgen: note: " + note));
    out.print(merge.render());
    out.println(
        "Merged "
            + dirs.size()
            + (merge.isSweep() ? " sweeps (" + written.size() + " levels)" : " runs")
            + " into "
            + output.toAbsolutePath().normalize());
    out.flush();
    err.flush();
    return 0;
  }
}
