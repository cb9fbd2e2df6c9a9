package io.loadgen.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code profile}'s flags for what is written where. */
final class OutputOptions {
  @Option(
      names = "--artifact-dir",
      paramLabel = "DIR",
      defaultValue = "artifacts",
      description = "Where the run's folder of exports goes (default: ${DEFAULT-VALUE}).")
  Path artifactDir;

  @Option(
      names = "--profile-export-file",
      paramLabel = "FILE",
      defaultValue = "profile_export.json",
      description =
          "The raw per-request export's file name, in the run's folder (default: ${DEFAULT-VALUE}).")
  Path profileExportFile;

  @Option(
      names = "--raw-export",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Write the raw per-request export (default: on). --no-raw-export keeps only the"
              + " histograms, so a stream holds 3 response times, not one per token.")
  boolean rawExport;

  @Option(
      names = "--generate-plots",
      description =
          "Draw the run's charts as PNG images in its folder's plots/ (genai-perf's set and the"
              + " latency percentile curves).")
  boolean generatePlots;

  @Option(names = "--enable-checkpointing", description = "Accepted and ignored.")
  boolean enableCheckpointing;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Accepted and ignored.")
  String checkpointDir;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show stack traces with errors.")
  boolean verbose;

  void ignored(Map<String, Boolean> notes) {
    notes.put("--enable-checkpointing", enableCheckpointing || checkpointDir != null);
  }
}
