package io.loadgen.cli;

import io.loadgen.core.LoadgenException;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.sim.SimServerException;
import io.loadgen.tokenizer.TokenizerException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns every failure into one line on stderr and an exit code: 2 for usage errors, 1 for run
 * failures. Stack traces only with {@code --verbose}.
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
      err.println("loadgen: error: " + oneLine(e.getMessage()) + " (see 'loadgen "
          + subcommandName(e.getCommandLine()) + "--help')");
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
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      PrintWriter err = commandLine.getErr();
      boolean verbose = parseResult.hasMatchedOption("--verbose")
          || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
      int code;
      String message;
      if (e instanceof ProfileConfigException config) {
        code = USAGE;
        message = Flags.describe(config);
      } else if (e instanceof TokenizerException || e instanceof IllegalArgumentException) {
        code = USAGE;
        message = e.getMessage();
      } else if (e instanceof LoadgenException && e.getCause() instanceof TokenizerException) {
        code = USAGE;
        message = e.getMessage();
      } else if (e instanceof LoadgenException || e instanceof SimServerException) {
        code = RUN_FAILED;
        message = e.getMessage();
      } else {
        code = RUN_FAILED;
        message = "unexpected failure: " + e + (verbose ? "" : " (run with --verbose for details)");
      }
      err.println("loadgen: error: " + oneLine(message));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return code;
    }
  }

  static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
