package io.loadgen.cli;

import io.loadgen.core.LoadGenerator;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunOptions;
import io.loadgen.core.RunSummary;
import io.loadgen.core.Sweep;
import io.loadgen.core.SweepHandle;
import io.loadgen.report.ArtifactNames;
import io.loadgen.report.ArtifactWriteException;
import io.loadgen.report.ConsoleTable;
import io.loadgen.report.Exports;
import io.loadgen.report.HtmlReport;
import io.loadgen.report.Plots;
import io.loadgen.report.RawExportSink;
import io.loadgen.report.SweepReport;
import io.loadgen.report.SweepSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code loadgen profile}: genai-perf's {@code profile} flags, by the same names and aliases, over
 * {@link LoadGenerator}'s sweep (one level, or each of a {@code --concurrency} or {@code
 * --request-rate} list). Flags genai-perf has and loadgen cannot honour yet fail with a clear line
 * rather than being silently ignored, except those that change nothing about the measurement, which
 * are accepted and noted.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Profile an OpenAI-compatible LLM server, as genai-perf profile does.",
      "Arguments after '--' are perf_analyzer's: accepted; those with no meaning here are noted and ignored."
    },
    footer = {
      "",
      "Examples:",
      "  loadgen profile -m meta/llama-3.1-8b-instruct --endpoint-type chat --streaming -u sim://default \\",
      "    --synthetic-input-tokens-mean 200 --output-tokens-mean 200 --concurrency 10",
      "  loadgen profile -m my-model --endpoint-type completions -u localhost:8000 --request-rate 5",
      "",
      "-u sim://PRESET runs the embedded simulated server in-process (presets: see 'loadgen sim --help').",
      "OPENAI_API_KEY, when set, is sent as 'Authorization: Bearer'. Secrets are never logged or exported.",
      "Exit status: 0 success, 1 the run failed (more than half of a level's measured requests failed, say),",
      "2 a usage error."
    })
final class ProfileCommand implements Callable<Integer> {
  /** How long Ctrl-C waits for the exports of the level it stopped. */
  private static final long INTERRUPT_WRITE_SECONDS = 60;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--config",
      paramLabel = "FILE",
      description = {
        "Settings from a YAML config file (genai-perf's keys; 'loadgen create-template' writes one"
            + " of every key); flags given win over the file."
      })
  Path configFile;

  @Mixin EndpointOptions endpoint;
  @Mixin WorkloadOptions workload;
  @Mixin LoadOptions load;
  @Mixin ServerMetricsOptions serverMetrics;
  @Mixin OutputOptions output;

  private final PerfAnalyzerArgs passthrough;
  private final InterruptHooks hooks;

  ProfileCommand(PerfAnalyzerArgs passthrough, InterruptHooks hooks) {
    this.passthrough = passthrough;
    this.hooks = hooks;
  }

  @Override
  public Integer call() {
    Profile.Builder builder = Profile.builder();
    endpoint.applyTo(builder);
    workload.applyTo(builder);
    load.applyTo(builder);
    serverMetrics.applyTo(builder);
    List<LoadMode> levels = load.levels(passthrough);
    Profile base = builder.loadMode(levels.get(0)).build();
    noteIgnored();
    Progress progress = Progress.forConsole(err());
    List<Integer> codes = new ArrayList<>();
    // Every level that ended, aborted ones included; written by the sweep's thread.
    List<ProfileResult> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    Sweep sweep =
        Sweep.of(base, levels)
            .withOptions(level -> options(level, progress))
            .onEachLevel(
                result -> {
                  ran.add(result);
                  codes.add(report(result, progress));
                });
    SweepHandle handle = LoadGenerator.start(sweep);
    // The sweep summary is written as the sweep ends, on its thread, however it ends: Ctrl-C's
    // hook waits for this, so the summary of the levels that ran is on disk before the JVM halts.
    CompletableFuture<List<ProfileResult>> finished =
        handle
            .results()
            .toCompletableFuture()
            .whenComplete(
                (results, failure) -> {
                  if (levels.size() > 1 && !ran.isEmpty()) {
                    if (!writeSweepSummary(List.copyOf(ran), levels)) {
                      codes.add(Errors.RUN_FAILED);
                    }
                  }
                });
    // Ctrl-C stops the level running and waits for its exports, which the sweep's listener writes.
    Thread hook =
        new Thread(
            () -> {
              handle.stop();
              awaitQuietly(finished);
            },
            "loadgen-interrupt");
    hooks.add(hook);
    try {
      // A level's failure comes wrapped by the future; the error handler unwraps it.
      finished.join();
    } finally {
      hooks.remove(hook);
    }
    return codes.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private RunOptions options(Profile level, Progress progress) {
    RunOptions options =
        RunOptions.defaults()
            .withProgressListener(progress::show)
            .withWarningListener(warning -> progress.warn("loadgen: " + Flags.describe(warning)));
    if (!output.rawExport) {
      return options;
    }
    Path file = runDirectory(level).resolve(output.profileExportFile.getFileName());
    return options.withRecordSink(new RawExportSink(file, level));
  }

  /** Prints a level's table and writes its exports; returns the level's exit status. */
  private int report(ProfileResult result, Progress progress) {
    progress.clear();
    // Scraping never fails a run; what went wrong is said once per endpoint and kind.
    result
        .serverMetrics()
        .problems()
        .forEach(problem -> err().println("loadgen: server metrics: " + Flags.inProse(problem)));
    out().print(ConsoleTable.render(result));
    Path runDir = runDirectory(result.profile());
    Exports.write(result, runDir);
    out().println("Artifacts: " + runDir.toAbsolutePath().normalize());
    boolean plotted = !output.generatePlots || writePlots(runDir);
    boolean reported = writeReport(result, runDir);
    out().flush();
    RunSummary summary = result.summary();
    if (summary.aborted()) {
      return Errors.RUN_FAILED; // the sweep fails with the reason, which the error handler prints
    }
    if (!plotted || !reported) {
      return Errors.RUN_FAILED;
    }
    long measured = summary.requestCount() + summary.errorCount();
    // More than half failed, or more than --failed-request-threshold: the figures describe the few
    // that got through, not the server.
    OptionalDouble threshold = result.profile().load().failedRequestThreshold();
    if (summary.errorCount() > 0
        && 100.0 * summary.errorCount() > threshold.orElse(50) * measured) {
      err()
          .println(
              "loadgen: error: "
                  + (summary.requestCount() == 0 ? "all " : summary.errorCount() + " of ")
                  + measured
                  + " measured requests failed ("
                  + summary.errorsByKind().entrySet().stream()
                      .map(kind -> kind.getKey() + " " + kind.getValue())
                      .collect(java.util.stream.Collectors.joining(", "))
                  + ")"
                  + (threshold.isPresent()
                      ? ", past --failed-request-threshold " + percent(threshold.getAsDouble())
                      : "")
                  + "; the exports hold what the server answered");
      return Errors.RUN_FAILED;
    }
    return 0;
  }

  private static String percent(double value) {
    return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString()
        + "%";
  }

  /**
   * The charts, drawn from the files just written; the per-request ones need the raw export.
   * Returns false, having said why in a line, when they could not be drawn: the exports are on
   * disk, and a sweep's next levels still run.
   */
  private boolean writePlots(Path runDir) {
    if (!output.rawExport) {
      err()
          .println(
              "loadgen: note: --no-raw-export: the per-request plots (time to first token vs input"
                  + " length, token-to-token latency, input vs output length) are not drawn");
    }
    try {
      Plots.write(runDir, output.profileExportFile.getFileName().toString());
    } catch (ArtifactWriteException e) {
      err().println("loadgen: error: " + e.getMessage());
      return false;
    }
    out().println("Plots: " + runDir.resolve(Plots.DIRECTORY).toAbsolutePath().normalize());
    return true;
  }

  /**
   * report.html, after the exports and plots so that it embeds the charts just drawn. Returns
   * false, having said why in a line, when it could not be written.
   */
  private boolean writeReport(ProfileResult result, Path runDir) {
    try {
      out().println("Report: " + HtmlReport.write(result, runDir).toAbsolutePath().normalize());
    } catch (ArtifactWriteException e) {
      err().println("loadgen: error: " + e.getMessage());
      return false;
    }
    return true;
  }

  /**
   * The sweep's summary files, then its report and charts. Returns false, having said why in a
   * line, when the report could not be written: the summary files are on disk by then.
   */
  private boolean writeSweepSummary(List<ProfileResult> results, List<LoadMode> planned) {
    Path sweepDir = ArtifactDirectory.create(output.artifactDir);
    SweepSummary summary = SweepSummary.of(results, planned, serverMetrics.kvTargetPercent);
    out().print(summary.render());
    summary.write(sweepDir);
    out()
        .println(
            "Sweep summary: " + sweepDir.resolve("sweep_summary.csv").toAbsolutePath().normalize());
    boolean reported = true;
    try {
      out()
          .println(
              "Sweep report: " + SweepReport.write(summary, sweepDir).toAbsolutePath().normalize());
    } catch (ArtifactWriteException e) {
      err().println("loadgen: error: " + e.getMessage());
      reported = false;
    }
    out().flush();
    return reported;
  }

  private Path runDirectory(Profile level) {
    return ArtifactDirectory.create(output.artifactDir.resolve(ArtifactNames.directoryName(level)));
  }

  private void noteIgnored() {
    List<String> notes = new ArrayList<>();
    if (!passthrough.ignored().isEmpty()) {
      notes.add("perf_analyzer flags " + String.join(" ", passthrough.ignored()));
    }
    Map<String, Boolean> given = new LinkedHashMap<>();
    output.ignored(given);
    load.ignored(given);
    endpoint.ignored(given);
    workload.ignored(given);
    given.forEach(
        (flag, isGiven) -> {
          if (isGiven) {
            notes.add(flag);
          }
        });
    if (!notes.isEmpty()) {
      err().println("loadgen: note: no effect here, ignored: " + String.join("; ", notes));
    }
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private static void awaitQuietly(CompletableFuture<?> finished) {
    try {
      finished.get(INTERRUPT_WRITE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // The run failed or the exports took too long: the JVM exits with what was written.
    }
  }
}
