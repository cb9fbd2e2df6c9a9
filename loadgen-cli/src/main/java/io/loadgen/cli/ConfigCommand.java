package io.loadgen.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loadgen config -f FILE [FLAGS]}: genai-perf's {@code config} subcommand, a profile run
 * from a YAML file; the same as {@code loadgen profile --config FILE [FLAGS]}, which {@link
 * ConfigFileExecution} runs in its place.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    description = {
      "Profile with the settings of a YAML config file, as genai-perf config -f does.",
      "Flags of 'loadgen profile' given after the file win over its keys.",
      "'loadgen create-template' writes a file of every key, with its help and default."
    })
final class ConfigCommand implements Runnable {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      required = true,
      description = "The YAML config file.")
  Path file;

  @Parameters(
      paramLabel = "FLAGS",
      description = "Flags of 'loadgen profile', which win over the file.")
  List<String> flags = new ArrayList<>();

  @Override
  public void run() {
    // Never reached: the execution strategy runs profile instead.
    throw new IllegalStateException("config runs as profile --config");
  }
}
