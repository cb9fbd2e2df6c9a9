package io.loadgen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen create-template}: genai-perf's, the commented YAML of every profile setting. */
@Command(
    name = "create-template",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    description = {
      "Write a config file of every setting of 'loadgen profile': each key with its flag's help and"
          + " default. Edit it and run it with 'loadgen config -f FILE'."
    })
final class CreateTemplateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-o", "--output", "-f", "--file"},
      paramLabel = "FILE",
      defaultValue = "loadgen_config.yaml",
      description = "Where to write it; - for standard output (default: ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() {
    CommandLine.Model.CommandSpec profile =
        spec.root().subcommands().get("profile").getCommandSpec();
    String template = ConfigTemplate.render(profile);
    if (output.toString().equals("-")) {
      spec.commandLine().getOut().print(template);
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Files.writeString(output, template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigFileException(
          "cannot write the template to " + output + ": " + e.getMessage());
    }
    spec.commandLine().getOut().println("Template: " + output.toAbsolutePath().normalize());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
