package io.loadgen.cli;

import io.loadgen.autoscale.AutoscaleException;
import io.loadgen.core.LoadgenException;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.report.MergeException;
import io.loadgen.report.RunDirectoryException;
import io.loadgen.sim.SimConfigException;
import io.loadgen.sim.SimServerException;
import io.loadgen.tokenizer.TokenLengthException;
import io.loadgen.tokenizer.TokenizerException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * Turns every failure into one line on stderr and an exit code.
 *
 * <ul>
 *   <li>A failure the user can cause has a type of its own whose message says what is wrong and
 *       what to do; it is printed as {@code loadgen: error: MESSAGE}. Exit 2 for a usage error (a
 *       bad flag or value: {@link ProfileConfigException}, {@link TokenLengthException}, a bad
 *       simulator setting: {@link SimConfigException}, a config file that cannot be used: {@link
 *       ConfigFileException}, a tokenizer that cannot be found: {@link TokenizerException}, a
 *       folder to compare or merge that is not a run's: {@link RunDirectoryException}, folders that
 *       cannot be merged: {@link MergeException}); exit 1 for a run that failed ({@link
 *       LoadgenException} and its kinds: target unreachable, artifacts not writable; {@link
 *       SimServerException}).
 *   <li>Anything else is a bug in loadgen, never the user's input: exit 1 and one line, {@code
 *       loadgen: internal error: TYPE: MESSAGE}, asking for {@code --verbose}.
 * </ul>
 *
 * Stack traces, of either, only with {@code --verbose}.
 */
final class Errors {
  static final int RUN_FAILED = 1;
  static final int USAGE = 2;

  private Errors() {}

  /** Bad flags and values, as picocli finds them. */
  static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
      PrintWriter err = e.getCommandLine().getErr();
      err.println(
          "loadgen: error: "
              + oneLine(e.getMessage())
              + " (see 'loadgen "
              + subcommandName(e.getCommandLine())
              + "--help')");
      err.flush();
      return USAGE;
    }

    private static String subcommandName(CommandLine commandLine) {
      String name = commandLine.getCommandName();
      return name.equals("loadgen") || name.equals("<main class>") ? "" : name + " ";
    }
  }

  /** Failures while a command runs. */
  static final class ExecutionHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      PrintWriter err = commandLine.getErr();
      // The command line's own latest parse too: a config file's --verbose is in the second parse.
      boolean verbose = verbose(parseResult) || verbose(commandLine.getParseResult());
      Throwable failure = unwrap(e);
      int code = userErrorCode(failure);
      if (code != 0) {
        err.println("loadgen: error: " + oneLine(userMessage(failure)));
      } else {
        code = RUN_FAILED;
        err.println(
            "loadgen: internal error: "
                + oneLine(failure.toString())
                + (verbose ? "" : " (run with --verbose for the stack)"));
      }
      if (verbose) {
        failure.printStackTrace(err);
      }
      err.flush();
      return code;
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
      for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
        if (p.hasMatchedOption("--verbose")) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Runs the parsed command as picocli does by default ({@link CommandLine.RunLast}), and hands an
   * {@link Error} it throws (a stack overflow, a class that will not load) to the {@link
   * ExecutionHandler} as picocli hands it an exception, rather than letting it out as a stack
   * trace.
   */
  static int execute(CommandLine.ParseResult parseResult) {
    try {
      return new CommandLine.RunLast().execute(parseResult);
    } catch (Error e) {
      List<CommandLine> parsed = parseResult.asCommandLineList();
      throw new CommandLine.ExecutionException(parsed.get(parsed.size() - 1), e.toString(), e);
    }
  }

  /** A user error's message, naming the flag where the Java API names its setting. */
  static String userMessage(Throwable failure) {
    return failure instanceof ProfileConfigException config
        ? Flags.describe(config)
        : failure.getMessage();
  }

  /**
   * The exit code of a failure the user can cause: {@link #USAGE} or {@link #RUN_FAILED}; 0 for any
   * other, which is loadgen's own bug.
   */
  static int userErrorCode(Throwable failure) {
    if (failure instanceof ProfileConfigException
        || failure instanceof ConfigFileException
        || failure instanceof TokenizerException
        || failure instanceof SimConfigException
        || failure instanceof TokenLengthException
        || failure instanceof RunDirectoryException
        || failure instanceof MergeException
        || failure instanceof AutoscaleException) {
      return USAGE;
    }
    if (failure instanceof LoadgenException && failure.getCause() instanceof TokenizerException) {
      return USAGE;
    }
    if (failure instanceof LoadgenException || failure instanceof SimServerException) {
      return RUN_FAILED;
    }
    return 0;
  }

  /**
   * The failure inside the wrappers that only say where it was thrown: picocli's around a command's
   * {@link Error}, and a future's around what its task threw.
   */
  static Throwable unwrap(Throwable e) {
    Throwable failure = e;
    while ((failure instanceof CommandLine.ExecutionException
            || failure instanceof CompletionException
            || failure instanceof ExecutionException)
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure;
  }

  static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
