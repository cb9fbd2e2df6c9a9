package io.loadgen.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command, which only holds the subcommands. */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    description =
        "Load generator for OpenAI-compatible LLM inference servers (the JVM port of genai-perf).",
    subcommands = {CommandLine.HelpCommand.class},
    footer = {
      "",
      "Exit status: 0 success, 1 the run failed (server unreachable, not OpenAI-compatible, more than half",
      "of the measured requests failed, artifacts not writable) or loadgen failed (an internal error: a bug",
      "to report, with --verbose's stack),",
      "2 a usage error (unknown flag, bad value, bad simulator setting, missing tokenizer)."
    })
final class LoadgenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "name a command: profile, config, create-template, compare, merge, sim or autoscale");
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err, PerfAnalyzerArgs passthrough) {
    return commandLine(out, err, passthrough, InterruptHooks.JVM);
  }

  /** As above, Ctrl-C's handler installed with {@code hooks}. */
  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, PerfAnalyzerArgs passthrough, InterruptHooks hooks) {
    CommandLine commandLine = new CommandLine(new LoadgenCommand());
    commandLine.addSubcommand("profile", new ProfileCommand(passthrough, hooks));
    commandLine.addSubcommand("compare", new CompareCommand());
    commandLine.addSubcommand("merge", new MergeCommand());
    commandLine.addSubcommand("sim", new SimCommand());
    commandLine.addSubcommand("autoscale", new AutoscaleCommand());
    commandLine.addSubcommand("config", new ConfigCommand());
    commandLine.addSubcommand("create-template", new CreateTemplateCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(new Errors.UsageHandler());
    commandLine.setExecutionExceptionHandler(new Errors.ExecutionHandler());
    commandLine.setExecutionStrategy(new ConfigFileExecution(Errors::execute));
    // config's FLAGS are profile's: handed over as they are, not parsed as config's own.
    commandLine.getSubcommands().get("config").setUnmatchedOptionsArePositionalParams(true);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  /** The version from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      return new String[] {"loadgen " + version()};
    }

    static String version() {
      Properties properties = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        return "unknown";
      }
      return properties.getProperty("version", "unknown");
    }
  }
}
