package io.loadgen.cli;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.Tokenizer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen sim}: the simulated OpenAI-compatible server, standalone, until Ctrl-C. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Serve the simulated OpenAI-compatible inference server (chat and completions, streaming and not)",
      "until interrupted. Try it with: loadgen profile -m any-model --streaming -u localhost:8000"
    })
final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces, as in a pod).")
  String host;

  @Option(names = "--preset", paramLabel = "NAME", defaultValue = "default",
      description = "The simulated model and timing (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--random-seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of output lengths and text (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tokenizer", paramLabel = "PATH",
      description = "Counts prompt tokens for usage (default: the bundled GPT-2 tokenizer).")
  String tokenizer;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces with errors.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535, got " + port);
    }
    SimConfig.Builder config = SimConfig.preset(preset);
    Tokenizer counter = Tokenizer.load(tokenizer);
    CountDownLatch stopped = new CountDownLatch(1);
    try (SimServer server = SimServer.start(
        config.host(host).port(port).seed(seed).promptTokenCounter(counter::count).build())) {
      Target.warmUp(server);
      spec.commandLine().getOut().printf("loadgen sim: preset %s serving on http://%s:%d (Ctrl-C to stop)%n",
          preset, host, server.port());
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "loadgen-sim-stop"));
      stopped.await();
    } finally {
      counter.close();
    }
    return 0;
  }
}
