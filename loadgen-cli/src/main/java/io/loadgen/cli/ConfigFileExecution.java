package io.loadgen.cli;

import io.loadgen.core.ProfileConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Runs {@code profile --config FILE} (and {@code config -f FILE}, its genai-perf spelling) as
 * {@code profile} with the file's settings as flags before those given, leaving out the settings of
 * flags given: flags win. The command line is parsed twice, first to learn which flags were given
 * and where the file is, then with the file's flags; every other command runs as it was parsed.
 */
final class ConfigFileExecution implements CommandLine.IExecutionStrategy {
  private final CommandLine.IExecutionStrategy next;

  ConfigFileExecution(CommandLine.IExecutionStrategy next) {
    this.next = next;
  }

  @Override
  public int execute(ParseResult parseResult) {
    ParseResult command = parseResult.subcommand();
    if (command == null || helpRequested(command)) {
      return next.execute(parseResult);
    }
    CommandLine top = parseResult.commandSpec().commandLine();
    if (command.commandSpec().name().equals("config")) {
      ConfigCommand config = command.commandSpec().commandLine().getCommand();
      List<String> args = new ArrayList<>(List.of("profile", "--config", config.file.toString()));
      args.addAll(config.flags);
      parseResult = top.parseArgs(args.toArray(String[]::new));
      command = parseResult.subcommand();
      if (helpRequested(command)) {
        return next.execute(parseResult);
      }
    }
    if (!command.commandSpec().name().equals("profile") || !command.hasMatchedOption("--config")) {
      return next.execute(parseResult);
    }
    CommandSpec profile = command.commandSpec();
    Path path = command.matchedOptionValue("--config", null);
    ConfigArgs fileArgs;
    try {
      ConfigKeys keys = ConfigKeys.of(profile);
      ConfigFile file = ConfigFile.read(path, keys);
      fileArgs = ConfigArgs.of(file, keys, profile, new HashSet<>(command.matchedOptions()));
    } catch (ConfigFileException e) {
      throw new CommandLine.ExecutionException(profile.commandLine(), e.getMessage(), e);
    }
    List<String> original = parseResult.originalArgs();
    int at = original.indexOf("profile") + 1;
    List<String> args = new ArrayList<>(original.subList(0, at));
    args.addAll(fileArgs.args());
    args.addAll(original.subList(at, original.size()));
    ParseResult withFile;
    try {
      withFile = top.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw located(e, fileArgs);
    }
    try {
      return next.execute(withFile);
    } catch (CommandLine.ExecutionException e) {
      throw located(e, fileArgs, profile.options());
    }
  }

  private static boolean helpRequested(ParseResult command) {
    return command.isUsageHelpRequested() || command.isVersionHelpRequested();
  }

  /** A bad value picocli found in a setting from the file, with the file and line. */
  private static CommandLine.ParameterException located(
      CommandLine.ParameterException e, ConfigArgs fileArgs) {
    if (!(e.getArgSpec() instanceof OptionSpec option) || fileArgs.origin(option) == null) {
      return e;
    }
    return new CommandLine.ParameterException(
        e.getCommandLine(),
        e.getMessage() + " (" + fileArgs.where(option) + ")",
        e,
        option,
        e.getValue());
  }

  /**
   * A setting the run rejected ({@link ProfileConfigException}, which names the flag), with the
   * file and line when the first flag the message names came from the file.
   */
  private static CommandLine.ExecutionException located(
      CommandLine.ExecutionException e, ConfigArgs fileArgs, Iterable<OptionSpec> options) {
    if (!(Errors.unwrap(e) instanceof ProfileConfigException config)) {
      return e;
    }
    String message = Errors.userMessage(config);
    OptionSpec named = null;
    int first = Integer.MAX_VALUE;
    for (OptionSpec option : options) {
      for (String name : option.names()) {
        int index = indexOfFlag(message, name);
        if (index >= 0 && index < first) {
          first = index;
          named = option;
        }
      }
    }
    if (named == null || fileArgs.origin(named) == null) {
      return e;
    }
    return new CommandLine.ExecutionException(
        e.getCommandLine(),
        message,
        new ConfigFileException(message + " (" + fileArgs.where(named) + ")"));
  }

  /** Where {@code flag} stands as a flag of its own in {@code message}, or -1. */
  private static int indexOfFlag(String message, String flag) {
    Matcher matcher =
        Pattern.compile("(?<![\\w-])" + Pattern.quote(flag) + "(?![\\w-])").matcher(message);
    return matcher.find() ? matcher.start() : -1;
  }
}
