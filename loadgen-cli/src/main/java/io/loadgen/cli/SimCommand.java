package io.loadgen.cli;

import io.loadgen.autoscale.KvCalibration;
import io.loadgen.autoscale.MeasuredSweep;
import io.loadgen.autoscale.SweepCalibration;
import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimFaults;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
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

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8000",
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, all interfaces, as in a pod).")
  String host;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "default",
      description =
          "The simulated engine: default, llama3-8b-h100, llama3-70b-h100x4 or mistral-7b-a10g "
              + "(default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A JSON or YAML file of preset overrides (keys as the flags below, in snake case: "
              + "gpu_memory_utilization, kv_blocks, max_num_seqs, ...); flags win over it.")
  java.nio.file.Path configFile;

  @Option(names = "--gpu-count", paramLabel = "N", description = "GPUs the model is split over.")
  Integer gpuCount;

  @Option(names = "--gpu-memory-gib", paramLabel = "GIB", description = "Memory of one GPU.")
  Double gpuMemoryGib;

  @Option(
      names = "--gpu-memory-utilization",
      paramLabel = "FRACTION",
      description = "Share of GPU memory for weights and KV cache, as vLLM's flag.")
  Double gpuMemoryUtilization;

  @Option(
      names = "--block-size",
      paramLabel = "TOKENS",
      description = "Tokens per KV block (preset: 16).")
  Integer blockSize;

  @Option(
      names = "--kv-blocks",
      paramLabel = "N",
      description = "KV blocks in all, instead of the derived number.")
  Long kvBlocks;

  @Option(
      names = "--max-num-seqs",
      paramLabel = "N",
      description = "Requests running at once at most.")
  Integer maxNumSeqs;

  @Option(
      names = "--max-num-batched-tokens",
      paramLabel = "N",
      description = "Tokens one engine step may process.")
  Integer maxNumBatchedTokens;

  @Option(
      names = "--prefill-micros-per-token",
      paramLabel = "US",
      description = "Prefill cost of a prompt token.")
  Double prefillMicrosPerToken;

  @Option(
      names = "--decode-step-millis",
      paramLabel = "MS",
      description = "Fixed cost of an engine step.")
  Double decodeStepMillis;

  @Option(
      names = "--decode-micros-per-sequence",
      paramLabel = "US",
      description = "Step cost of each running request.")
  Double decodeMicrosPerSequence;

  @Option(
      names = "--decode-nanos-per-cached-token",
      paramLabel = "NS",
      description = "Step cost of each cached token.")
  Double decodeNanosPerCachedToken;

  @Option(
      names = "--served-model-name",
      paramLabel = "NAME",
      description = "The model /v1/models and /metrics name.")
  String servedModelName;

  @Option(
      names = "--output-tokens-mean",
      paramLabel = "N",
      defaultValue = "128",
      description =
          "Mean output length of requests without ignore_eos, drawn per request and seeded "
              + "(default: ${DEFAULT-VALUE}).")
  double outputTokensMean;

  @Option(
      names = "--output-tokens-stddev",
      paramLabel = "N",
      defaultValue = "32",
      description = "Standard deviation of that length (default: ${DEFAULT-VALUE}).")
  double outputTokensStddev;

  @Option(
      names = "--default-max-tokens",
      paramLabel = "N",
      defaultValue = "256",
      description = "max_tokens for requests that set none (default: ${DEFAULT-VALUE}).")
  int defaultMaxTokens;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description = "Event loops writing responses (default: one per processor).")
  Integer ioThreads;

  @Option(
      names = "--fault-error-rate",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Share of requests answered with HTTP 500 (default: ${DEFAULT-VALUE}).")
  double faultErrorRate;

  @Option(
      names = "--fault-drop-rate",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description = "Share of streams cut half-way (default: ${DEFAULT-VALUE}).")
  double faultDropRate;

  @Option(
      names = "--fault-stall-millis",
      paramLabel = "MS",
      defaultValue = "0",
      description = "The whole engine stalls this long ... (default: ${DEFAULT-VALUE}, never)")
  long faultStallMillis;

  @Option(
      names = "--fault-stall-every-seconds",
      paramLabel = "S",
      defaultValue = "10",
      description = "... this often (default: ${DEFAULT-VALUE}).")
  double faultStallEverySeconds;

  @Option(
      names = "--fault-slow-headers-millis",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Hold back every response's headers this long (default: ${DEFAULT-VALUE}).")
  long faultSlowHeadersMillis;

  @Option(
      names = "--reasoning-tokens",
      paramLabel = "N",
      defaultValue = "0",
      description = {
        "Be a reasoning model: stream the first N tokens of each chat response as"
            + " delta.reasoning_content, as vLLM's reasoning parsers do (default: ${DEFAULT-VALUE})."
      })
  int reasoningTokens;

  @Option(
      names = "--random-seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "Seed of output lengths and text (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--tokenizer",
      paramLabel = "PATH",
      description = "Counts prompt tokens for usage (default: the bundled GPT-2 tokenizer).")
  String tokenizer;

  @Option(
      names = "--from",
      paramLabel = "SWEEP_DIR",
      description =
          "Fit the preset's engine (KV blocks, step and prefill costs) to a sweep of one real "
              + "replica (profile --concurrency 100,200,400), so the simulator stands in for it; "
              + "flags and --config win over the fit.")
  java.nio.file.Path from;

  @Option(
      names = "--calibrate-kv",
      paramLabel = "C:U,...",
      description = {
        "Fit the KV cache to a measured server's gauge: concurrency:usage points, e.g."
            + " 100:0.094,200:0.208,400:0.409, at --calibrate-isl and --calibrate-osl."
      })
  String calibrateKv;

  @Option(
      names = "--calibrate-isl",
      paramLabel = "N",
      defaultValue = "200",
      description = "Prompt length of the --calibrate-kv points (default: ${DEFAULT-VALUE}).")
  int calibrateIsl;

  @Option(
      names = "--calibrate-osl",
      paramLabel = "N",
      defaultValue = "200",
      description = "Output length of the --calibrate-kv points (default: ${DEFAULT-VALUE}).")
  int calibrateOsl;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show stack traces with errors.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be 0 to 65535, got " + port);
    }
    SimConfig.Builder config = SimConfig.preset(preset);
    if (from != null) {
      SweepCalibration calibration =
          SweepCalibration.fit(
              MeasuredSweep.read(from), io.loadgen.sim.SimPreset.named(preset).orElseThrow());
      spec.commandLine().getOut().print(calibration.report());
      config.overrides(calibration.overrides());
    }
    if (calibrateKv != null) {
      KvCalibration calibration =
          KvCalibration.fit(
              config.build().engine(),
              KvCalibration.parsePoints(calibrateKv),
              new TokenLengthDistribution(calibrateIsl, 0),
              new TokenLengthDistribution(calibrateOsl, 0),
              seed);
      spec.commandLine().getOut().print(calibration.report());
      config.overrides(
          new SimOverrides(
              null,
              null,
              null,
              null,
              calibration.engine().kvBlocksTotal(),
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    if (configFile != null) {
      config.overrides(SimOverrides.read(configFile));
    }
    config.overrides(
        new SimOverrides(
            gpuCount,
            gpuMemoryGib,
            gpuMemoryUtilization,
            blockSize,
            kvBlocks,
            maxNumSeqs,
            maxNumBatchedTokens,
            prefillMicrosPerToken,
            decodeStepMillis,
            decodeMicrosPerSequence,
            decodeNanosPerCachedToken,
            servedModelName));
    config.faults(
        new SimFaults(
            faultErrorRate,
            faultDropRate,
            faultStallMillis > 0 ? Math.round(faultStallEverySeconds * 1e9) : 0,
            faultStallMillis * 1_000_000,
            faultSlowHeadersMillis * 1_000_000));
    config.ioThreads(ioThreads != null ? ioThreads : Runtime.getRuntime().availableProcessors());
    config.outputLength(outputTokensMean, outputTokensStddev).defaultMaxTokens(defaultMaxTokens);
    config.reasoningTokens(reasoningTokens);
    SimConfig built = config.host(host).port(port).seed(seed).build();
    Tokenizer counter = Tokenizer.load(tokenizer);
    CountDownLatch stopped = new CountDownLatch(1);
    try (SimServer server = SimServer.start(config.promptTokenCounter(counter::count).build())) {
      spec.commandLine()
          .getOut()
          .printf(
              "loadgen sim: %s serving %s on http://%s:%d (Ctrl-C to stop)%n%s%n",
              built.preset().name(),
              built.modelName(),
              host,
              server.port(),
              describe(built.engine()));
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "loadgen-sim-stop"));
      stopped.await();
    } finally {
      counter.close();
    }
    return 0;
  }

  private static String describe(EngineSpec e) {
    return String.format(
        java.util.Locale.ROOT,
        "  KV cache %,d blocks of %d tokens (%,d tokens); at most %d running, %d tokens a step;%n"
            + "  step %.2f ms + %.1f us a request + %.3f us a cached token + %.1f us a prompt token;%n"
            + "  metrics at /metrics and /v1/metrics",
        e.kvBlocksTotal(),
        e.kvBlockSizeTokens(),
        e.kvTokenCapacity(),
        e.maxRunningSequences(),
        e.maxBatchedTokens(),
        e.decodeStepFixedNanos() / 1e6,
        e.decodeNanosPerSequence() / 1e3,
        e.decodeNanosPerCachedToken() / 1e3,
        e.prefillNanosPerToken() / 1e3);
  }
}
