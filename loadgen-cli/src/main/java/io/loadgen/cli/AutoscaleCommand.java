package io.loadgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loadgen autoscale}: holds {@code plan} and {@code rehearse}. */
@Command(
    name = "autoscale",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    description = {
      "Turn a sweep into a Horizontal Pod Autoscaler target on the server's KV-cache gauge (plan),",
      "and try a target under a load plan on simulated replicas, in simulated time (rehearse)."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      AutoscalePlanCommand.class,
      RehearseCommand.class
    })
final class AutoscaleCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: autoscale plan or autoscale rehearse");
  }
}
