package io.loadgen.cli;

import io.loadgen.core.EndpointType;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunHandle;
import io.loadgen.core.LoadGenerator;
import io.loadgen.core.RunSummary;
import io.loadgen.report.ArtifactNames;
import io.loadgen.report.ConsoleTable;
import io.loadgen.report.Exports;
import io.loadgen.report.RawExportSink;
import io.loadgen.report.SweepSummary;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadgen profile}: genai-perf's {@code profile} flags, by the same names and aliases. Flags
 * genai-perf has and loadgen cannot honour yet fail with a clear line rather than being silently
 * ignored, except those that change nothing about the measurement, which are accepted and noted.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Profile an OpenAI-compatible LLM server, as genai-perf profile does.",
      "Arguments after '--' are perf_analyzer's: accepted; those with no meaning here are noted and ignored."
    },
    footer = {
      "",
      "Examples:",
      "  loadgen profile -m meta/llama-3.1-8b-instruct --endpoint-type chat --streaming -u sim://default \\",
      "    --synthetic-input-tokens-mean 200 --output-tokens-mean 200 --concurrency 10",
      "  loadgen profile -m my-model --endpoint-type completions -u localhost:8000 --request-rate 5",
      "",
      "-u sim://PRESET runs the embedded simulated server in-process (presets: see 'loadgen sim --help').",
      "OPENAI_API_KEY, when set, is sent as 'Authorization: Bearer'. Secrets are never logged or exported.",
      "Exit status: 0 success, 1 the run failed, 2 a usage error."
    })
final class ProfileCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PerfAnalyzerArgs passthrough;

  ProfileCommand(PerfAnalyzerArgs passthrough) {
    this.passthrough = passthrough;
  }

  // --- Endpoint
  @Option(names = {"-m", "--model"}, split = ",", paramLabel = "MODEL",
      description = "The model to profile (as the server names it). Several: the first is used.")
  List<String> models = new ArrayList<>();

  @Option(names = "--model-selection-strategy", paramLabel = "round_robin|random",
      description = "Accepted for compatibility; one model is profiled.")
  String modelSelectionStrategy;

  @Option(names = "--backend", paramLabel = "BACKEND", description = "Triton only; accepted and ignored.")
  String backend;

  @Option(names = "--endpoint", paramLabel = "PATH",
      description = "A custom request path, e.g. v1/chat/completions (default: from --endpoint-type).")
  String endpoint;

  @Option(names = "--endpoint-type", paramLabel = "chat|completions", defaultValue = "chat",
      description = "The OpenAI API to drive (default: ${DEFAULT-VALUE}).")
  String endpointType;

  @Option(names = "--service-kind", paramLabel = "openai", defaultValue = "openai",
      description = "Only openai; accepted because genai-perf command lines carry it.")
  String serviceKind;

  @Option(names = "--streaming", description = "Ask for streamed (SSE) responses and measure every token.")
  boolean streaming;

  @Option(names = {"-u", "--url"}, paramLabel = "URL[,URL...]", split = ",", defaultValue = "localhost:8000",
      description = {"The server: http(s)://host:port, host:port (plain HTTP), or sim://PRESET for the "
          + "embedded simulated server (default: ${DEFAULT-VALUE}).",
          "Several (a list, or the flag repeated): replicas of one model, each sent every Nth request, "
          + "as a Service spreads them; each sim:// starts an engine of its own."})
  List<String> urls;

  // --- Input
  @Option(names = "--extra-inputs", paramLabel = "KEY:VALUE",
      description = "Merged into every request body; the JSON type is inferred (max_tokens:200 is a number, "
          + "ignore_eos:true a boolean). Repeatable.")
  List<String> extraInputs = new ArrayList<>();

  @Option(names = {"-H", "--header"}, paramLabel = "NAME:VALUE",
      description = "An HTTP header for every request; repeatable. Values are secrets: never logged.")
  List<String> headers = new ArrayList<>();

  @Option(names = {"--goodput", "-g"}, arity = "1..*", paramLabel = "METRIC:VALUE",
      description = "Service-level objectives for goodput, e.g. time_to_first_token:100 request_latency:2000 "
          + "(ms; tokens/sec/user for output_token_throughput_per_user).")
  List<String> goodput = new ArrayList<>();

  @Option(names = "--input-file", paramLabel = "FILE",
      description = {"Prompts from a JSONL file instead of synthetic ones: a line is {\"text\": ...}, "
          + "{\"text_input\": ...}, {\"messages\": [...]} or {\"input_length\": N, \"output_length\": M, "
          + "\"hash_ids\": [...]}. payload:FILE replays a trace: every line has a \"timestamp\" (ms) and "
          + "is sent then, whatever the load mode."})
  String inputFile;

  @Option(names = {"--num-dataset-entries", "--num-prompts"}, paramLabel = "N", defaultValue = "100",
      description = "Distinct synthetic prompts; requests cycle through them (default: ${DEFAULT-VALUE}).")
  int numDatasetEntries;

  @Option(names = {"--num-prefix-prompts"}, paramLabel = "N", defaultValue = "0",
      description = "Shared prefixes, one prepended to each synthetic prompt, for prefix-cache studies "
          + "(default: ${DEFAULT-VALUE}).")
  int numPrefixPrompts;

  @Option(names = {"--prefix-prompt-length"}, paramLabel = "N", defaultValue = "100",
      description = "Length of each prefix in tokens (default: ${DEFAULT-VALUE}).")
  int prefixPromptLength;

  @Option(names = {"--output-tokens-mean", "--osl"}, paramLabel = "N", defaultValue = "-1",
      description = "Mean output length, sent as max_tokens (default: let the server decide).")
  int outputTokensMean;

  @Option(names = "--output-tokens-mean-deterministic",
      description = "Also send min_tokens, so every output has the sampled length.")
  boolean outputTokensDeterministic;

  @Option(names = "--output-tokens-stddev", paramLabel = "N", defaultValue = "0",
      description = "Standard deviation of the output length (default: ${DEFAULT-VALUE}).")
  double outputTokensStddev;

  @Option(names = "--random-seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of prompts, lengths and Poisson arrivals (default: ${DEFAULT-VALUE}).")
  long randomSeed;

  @Option(names = {"--synthetic-input-tokens-mean", "--isl"}, paramLabel = "N", defaultValue = "550",
      description = "Mean prompt length in tokens (default: ${DEFAULT-VALUE}).")
  int inputTokensMean;

  @Option(names = "--synthetic-input-tokens-stddev", paramLabel = "N", defaultValue = "0",
      description = "Standard deviation of the prompt length (default: ${DEFAULT-VALUE}).")
  double inputTokensStddev;

  @Option(names = {"--batch-size-text", "--batch-size", "-b"}, paramLabel = "N", defaultValue = "1",
      description = "Only 1 (one prompt per request).")
  int batchSize;

  // --- Profiling
  @Option(names = "--concurrency", paramLabel = "N[,N...]", split = ",",
      description = {"Closed loop: keep N requests in flight (default: 1 when no --request-rate).",
          "A list (100,200,300) runs each level in turn and writes a sweep summary."})
  List<Integer> concurrency;

  @Option(names = "--request-rate", paramLabel = "R[,R...]", split = ",",
      description = {"Open loop: send R requests per second; latency is measured from the intended send time.",
          "A list runs each rate in turn, as --concurrency does."})
  List<Double> requestRate;

  @Option(names = "--event-loops", paramLabel = "N", defaultValue = "0",
      description = {"Event loops (threads) that carry the streams, each with its own connections; "
          + "0 for one per processor (default: ${DEFAULT-VALUE}). Never more than the concurrency."})
  int eventLoops;

  @Option(names = "--transport", paramLabel = "auto|epoll|io_uring|nio", defaultValue = "auto",
      description = "The socket layer: Linux's native epoll (auto's choice) or io_uring, or Java NIO; "
          + "NIO where a native one cannot load (default: ${DEFAULT-VALUE}).")
  String transport;

  // --- Server metrics
  @Option(names = {"--server-metrics-url", "--server-metrics-urls"}, paramLabel = "URL", arity = "1..*",
      description = {"A Prometheus endpoint to scrape during the run: the server's (one per replica) or "
          + "DCGM-exporter's. Default: the target's /metrics (or /v1/metrics), when it answers."})
  List<String> serverMetricsUrls = new ArrayList<>();

  @Option(names = "--server-metrics-interval", paramLabel = "SECONDS", defaultValue = "1",
      description = "How often to scrape, 0 for never (default: ${DEFAULT-VALUE}).")
  double serverMetricsInterval;

  @Option(names = "--kv-metric", paramLabel = "NAME",
      description = "A KV-cache usage gauge (0..1) to read besides the known ones "
          + "(vllm:kv_cache_usage_perc, gpu_cache_usage_perc, sglang:token_usage, ...).")
  String kvMetric;

  @Option(names = "--kv-target", paramLabel = "PERCENT", defaultValue = "100",
      description = "For a sweep: the KV-cache usage whose concurrency the summary estimates (default: ${DEFAULT-VALUE}).")
  double kvTarget;

  @Option(names = "--request-distribution", paramLabel = "constant|poisson", defaultValue = "constant",
      description = "Arrivals for --request-rate (default: ${DEFAULT-VALUE}; perf_analyzer's flag).")
  String requestDistribution;

  @Option(names = {"--request-count", "--num-requests"}, paramLabel = "N", defaultValue = "0",
      description = "Measured requests (default: max(10, 2 x concurrency)).")
  int requestCount;

  @Option(names = {"--warmup-request-count", "--num-warmup-requests"}, paramLabel = "N", defaultValue = "0",
      description = "Requests sent before measuring, not measured (default: ${DEFAULT-VALUE}).")
  int warmupRequestCount;

  @Option(names = {"-p", "--measurement-interval"}, paramLabel = "MS",
      description = "Measure for this many ms instead of a request count (requests sent in the window are measured).")
  Long measurementIntervalMillis;

  @Option(names = {"-s", "--stability-percentage"}, paramLabel = "PCT",
      description = "Accepted for compatibility; loadgen measures one window.")
  Double stabilityPercentage;

  @Option(names = "--request-timeout", paramLabel = "SECONDS",
      description = "A request idle this long counts as a timeout error (default: no limit).")
  Integer requestTimeoutSeconds;

  // --- Output
  @Option(names = "--artifact-dir", paramLabel = "DIR", defaultValue = "artifacts",
      description = "Where the run's folder of exports goes (default: ${DEFAULT-VALUE}).")
  Path artifactDir;

  @Option(names = "--profile-export-file", paramLabel = "FILE", defaultValue = "profile_export.json",
      description = "The raw per-request export's file name, in the run's folder (default: ${DEFAULT-VALUE}).")
  Path profileExportFile;

  @Option(names = "--raw-export", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write the raw per-request export (default: on). --no-raw-export keeps only the"
          + " histograms, so a stream holds 3 response times, not one per token.")
  boolean rawExport;

  @Option(names = "--generate-plots", description = "Accepted; plots are not generated (see the .hlog files).")
  boolean generatePlots;

  @Option(names = "--enable-checkpointing", description = "Accepted and ignored.")
  boolean enableCheckpointing;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Accepted and ignored.")
  String checkpointDir;

  // --- Other
  @Option(names = "--tokenizer", paramLabel = "NAME",
      description = {"A Hugging Face model id (from the local HF cache, else downloaded into it, with HF_TOKEN "
          + "for gated models), a tokenizer.json, or a folder holding one (default: the bundled GPT-2 tokenizer)."})
  String tokenizer;

  @Option(names = "--tokenizer-revision", paramLabel = "REV", defaultValue = "main",
      description = "Branch, tag or commit of a Hugging Face tokenizer (default: ${DEFAULT-VALUE}).")
  String tokenizerRevision;

  @Option(names = "--tokenizer-trust-remote-code", description = "Accepted for compatibility.")
  boolean tokenizerTrustRemoteCode;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces with errors.")
  boolean verbose;

  private final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public Integer call() {
    // The target and tokenizer get ready on threads of their own while the profile is built.
    try (Target target = Target.resolve(urls, tokenizer, tokenizerRevision, randomSeed)) {
      Profile.Builder builder = profileBuilder(passthrough);
      noteIgnored(passthrough);
      List<java.util.function.UnaryOperator<Profile.Builder>> levels = levels();
      target.tokenizer(); // a tokenizer that does not load is the first error to report
      builder.urls(target.urls());
      List<ProfileResult> results = new ArrayList<>();
      int code = 0;
      for (java.util.function.UnaryOperator<Profile.Builder> level : levels) {
        ProfileResult result = runLevel(level.apply(builder.build().toBuilder()), target.tokenizer());
        results.add(result);
        code = Math.max(code, exitCode(result.summary()));
        if (result.summary().interrupted()) {
          break;
        }
      }
      if (levels.size() > 1) {
        Path sweepDir = ArtifactDirectory.create(artifactDir);
        SweepSummary summary = SweepSummary.of(results, kvTarget);
        out().print(summary.render());
        summary.write(sweepDir);
        out().println("Sweep summary: " + sweepDir.resolve("sweep_summary.csv").toAbsolutePath().normalize());
        out().flush();
      }
      return code;
    }
  }

  /** The load levels to run: one, or each of a --concurrency or --request-rate list. */
  private List<java.util.function.UnaryOperator<Profile.Builder>> levels() {
    List<java.util.function.UnaryOperator<Profile.Builder>> levels = new ArrayList<>();
    if (requestRate != null) {
      String distribution = passthrough.requestDistribution() != null
          ? passthrough.requestDistribution() : requestDistribution;
      for (double rate : requestRate) {
        levels.add(b -> b.requestRate(rate, arrivals(distribution)));
      }
    } else if (concurrency != null) {
      for (int c : concurrency) {
        levels.add(b -> b.concurrency(c));
      }
    } else {
      levels.add(b -> b);
    }
    return levels;
  }

  private ProfileResult runLevel(Profile.Builder builder, io.loadgen.tokenizer.Tokenizer tokenizer) {
    Profile draft = builder.build();
    Path runDir = ArtifactDirectory.create(artifactDir.resolve(ArtifactNames.directoryName(draft)));
    RawExportSink sink = rawExport ? new RawExportSink(runDir.resolve(profileExportFile.getFileName()), draft) : null;
    Progress progress = new Progress(err(), System.console() != null);
    Profile profile = draft.toBuilder().recordSink(sink).progressListener(progress::show).build();
    RunHandle handle = LoadGenerator.start(profile, tokenizer);
    CountDownLatch written = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      handle.stop();
      awaitQuietly(written);
    }, "loadgen-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ProfileResult result = await(handle);
      progress.clear();
      // Scraping never fails a run; what went wrong is said once per endpoint and kind.
      result.serverMetrics().problems().forEach(problem -> err().println("loadgen: server metrics: " + problem));
      out().print(ConsoleTable.render(result));
      Exports.write(result, runDir);
      out().println("Artifacts: " + runDir.toAbsolutePath().normalize());
      out().flush();
      return result;
    } finally {
      written.countDown();
      removeHook(hook);
    }
  }

  private int exitCode(RunSummary summary) {
    if (summary.requestCount() == 0 && summary.errorCount() > 0) {
      err().println("loadgen: error: all " + summary.errorCount() + " measured requests failed "
          + summary.errorsByKind() + "; the exports hold what the server answered");
      return Errors.RUN_FAILED;
    }
    return 0;
  }

  private static ProfileResult await(RunHandle handle) {
    try {
      return handle.result().toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting (Ctrl-C); the hook is already running and waits for the exports.
    }
  }

  private Profile.Builder profileBuilder(PerfAnalyzerArgs passthrough) {
    if (!serviceKind.equals("openai")) {
      throw new ProfileConfigException(
          "--service-kind " + serviceKind + " is not supported: loadgen speaks the OpenAI API (--service-kind openai)");
    }
    if (models.isEmpty()) {
      throw new ProfileConfigException("no model: pass -m/--model with the model the server serves");
    }
    if (batchSize != 1) {
      throw new ProfileConfigException("--batch-size-text must be 1: OpenAI chat and completions take one prompt");
    }
    if (concurrency != null && requestRate != null) {
      throw new ProfileConfigException("pass --concurrency or --request-rate, not both");
    }
    Profile.Builder builder = Profile.builder()
        .model(models.get(0))
        .endpointType(EndpointType.fromCliName(endpointType))
        .endpointPath(endpoint)
        .streaming(streaming)
        .randomSeed(randomSeed)
        .numDatasetEntries(numDatasetEntries)
        .warmupRequestCount(warmupRequestCount)
        .requestCount(requestCount)
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .tokenizer(tokenizer)
        .tokenizerRevision(tokenizerRevision)
        .prefixPrompts(numPrefixPrompts, prefixPromptLength);
    if (inputFile != null) {
      boolean payload = inputFile.startsWith("payload:");
      builder.inputFile(java.nio.file.Path.of(payload ? inputFile.substring("payload:".length()) : inputFile), payload);
    }
    builder.inputTokens(distribution("--synthetic-input-tokens", inputTokensMean, inputTokensStddev));
    if (outputTokensMean > 0) {
      builder.outputTokens(distribution("--output-tokens", outputTokensMean, outputTokensStddev));
      builder.outputTokensDeterministic(outputTokensDeterministic);
    } else if (outputTokensMean != -1) {
      throw new ProfileConfigException("--output-tokens-mean must be a positive number of tokens");
    }
    if (requestRate != null) {
      String distribution = passthrough.requestDistribution() != null
          ? passthrough.requestDistribution() : requestDistribution;
      builder.requestRate(requestRate.get(0), arrivals(distribution));
    } else {
      builder.concurrency(concurrency == null ? 1 : concurrency.get(0));
    }
    if (!(serverMetricsInterval >= 0)) {
      throw new ProfileConfigException("--server-metrics-interval must be 0 or more seconds");
    }
    builder.serverMetricsInterval(serverMetricsInterval == 0 ? null
        : Duration.ofMillis(Math.max(10, Math.round(serverMetricsInterval * 1000))));
    serverMetricsUrls.forEach(builder::serverMetricsUrl);
    builder.kvMetric(kvMetric);
    if (!(kvTarget > 0 && kvTarget <= 100)) {
      throw new ProfileConfigException("--kv-target must be a percentage above 0 and at most 100");
    }
    if (measurementIntervalMillis != null) {
      if (measurementIntervalMillis <= 0) {
        throw new ProfileConfigException("-p/--measurement-interval must be a positive number of ms");
      }
      builder.measurementInterval(Duration.ofMillis(measurementIntervalMillis));
    }
    if (requestTimeoutSeconds != null) {
      if (requestTimeoutSeconds <= 0) {
        throw new ProfileConfigException("--request-timeout must be a positive number of seconds");
      }
      builder.requestTimeout(Duration.ofSeconds(requestTimeoutSeconds));
    }
    if (eventLoops < 0) {
      throw new ProfileConfigException("--event-loops must be 0 (one per processor) or more, got " + eventLoops);
    }
    builder.eventLoops(eventLoops).transport(transport(transport));
    extraInputs.forEach(builder::extraInput);
    headers.forEach(builder::header);
    goodput.forEach(builder::goodput);
    return builder;
  }

  private static TokenLengthDistribution distribution(String flag, double mean, double stddev) {
    try {
      return new TokenLengthDistribution(mean, stddev);
    } catch (IllegalArgumentException e) {
      throw new ProfileConfigException(flag + "-mean/-stddev: " + e.getMessage());
    }
  }

  private static io.loadgen.core.Transport transport(String name) {
    try {
      return io.loadgen.core.Transport.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProfileConfigException("--transport must be auto, epoll, io_uring or nio, got '" + name + "'");
    }
  }

  private static LoadMode.Arrivals arrivals(String name) {
    try {
      return LoadMode.Arrivals.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProfileConfigException("--request-distribution must be constant or poisson, got '" + name + "'");
    }
  }

  private void noteIgnored(PerfAnalyzerArgs passthrough) {
    List<String> notes = new ArrayList<>();
    if (!passthrough.ignored().isEmpty()) {
      notes.add("perf_analyzer flags " + String.join(" ", passthrough.ignored()));
    }
    Map<String, Boolean> accepted = new java.util.LinkedHashMap<>();
    accepted.put("--generate-plots", generatePlots);
    accepted.put("--enable-checkpointing", enableCheckpointing || checkpointDir != null);
    accepted.put("-s/--stability-percentage", stabilityPercentage != null);
    accepted.put("--backend", backend != null);
    accepted.put("--model-selection-strategy", modelSelectionStrategy != null);
    accepted.put("--tokenizer-trust-remote-code", tokenizerTrustRemoteCode);
    accepted.forEach((flag, given) -> {
      if (given) {
        notes.add(flag);
      }
    });
    if (models.size() > 1) {
      notes.add("models after the first (" + String.join(",", models.subList(1, models.size())) + ")");
    }
    if (!notes.isEmpty()) {
      err().println("loadgen: note: no effect here, ignored: " + String.join("; ", notes));
    }
  }
}
