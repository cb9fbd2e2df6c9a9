package io.loadgen.core;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a profile run needs: the target, what to send, how to load it, and what to measure.
 * Immutable; build one with {@link #builder()}. Defaults follow genai-perf's {@code profile}.
 *
 * <p>Secrets (the API key and header values) are kept out of {@link #toString()} and
 * {@link #inputConfig()}, so nothing that logs or exports a profile can leak them.
 */
public final class Profile {
  /** genai-perf's default request count floor: max(10, 2 x concurrency). */
  public static final int MIN_DEFAULT_REQUEST_COUNT = 10;

  private final URI url;
  private final java.util.List<URI> urls;
  private final EndpointType endpointType;
  private final String endpointPath;
  private final boolean streaming;
  private final String model;
  private final Map<String, String> headers;
  private final String apiKey;
  private final Map<String, Object> extraInputs;
  private final LoadMode loadMode;
  private final int warmupRequestCount;
  private final int requestCount;
  private final Duration measurementInterval;
  private final long randomSeed;
  private final TokenLengthDistribution inputTokens;
  private final TokenLengthDistribution outputTokens;
  private final boolean outputTokensDeterministic;
  private final String tokenizer;
  private final String tokenizerRevision;
  private final int numDatasetEntries;
  private final int numPrefixPrompts;
  private final int prefixPromptLength;
  private final java.nio.file.Path inputFile;
  private final boolean inputFilePayload;
  private final java.util.List<URI> serverMetricsUrls;
  private final Duration serverMetricsInterval;
  private final String kvMetric;
  private final Map<Metric, Double> goodput;
  private final Duration requestTimeout;
  private final int eventLoops;
  private final Transport transport;
  private final Consumer<Progress> progressListener;
  private final RequestRecordSink recordSink;
  private final NanoClock clock;
  private final InstantSource wallClock;

  private Profile(Builder b) {
    if (b.urls.isEmpty()) {
      throw new ProfileConfigException("no target: pass -u/--url, e.g. -u localhost:8000");
    }
    if (b.model == null || b.model.isBlank()) {
      throw new ProfileConfigException("no model: pass -m/--model with the model the server serves");
    }
    this.url = b.urls.get(0);
    this.urls = java.util.List.copyOf(b.urls);
    this.endpointType = b.endpointType;
    this.endpointPath = b.endpointPath;
    this.streaming = b.streaming;
    this.model = b.model;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.apiKey = b.apiKey;
    this.extraInputs = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraInputs));
    this.loadMode = b.loadMode;
    this.warmupRequestCount = b.warmupRequestCount;
    this.requestCount = b.requestCount;
    this.measurementInterval = b.measurementInterval;
    this.randomSeed = b.randomSeed;
    this.inputTokens = b.inputTokens;
    this.outputTokens = b.outputTokens;
    this.outputTokensDeterministic = b.outputTokensDeterministic;
    this.tokenizer = b.tokenizer;
    this.tokenizerRevision = b.tokenizerRevision;
    this.numDatasetEntries = b.numDatasetEntries;
    this.numPrefixPrompts = b.numPrefixPrompts;
    this.prefixPromptLength = b.prefixPromptLength;
    this.inputFile = b.inputFile;
    this.inputFilePayload = b.inputFilePayload;
    this.serverMetricsUrls = java.util.List.copyOf(b.serverMetricsUrls);
    this.serverMetricsInterval = b.serverMetricsInterval;
    this.kvMetric = b.kvMetric;
    this.goodput = Collections.unmodifiableMap(new EnumMap<>(b.goodput));
    this.requestTimeout = b.requestTimeout;
    this.eventLoops = b.eventLoops;
    this.transport = b.transport;
    this.progressListener = b.progressListener;
    this.recordSink = b.recordSink;
    this.clock = b.clock;
    this.wallClock = b.wallClock;
  }

  /** A builder with genai-perf's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this profile's settings, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:8000}; the first of {@link #urls()}. */
  public URI url() {
    return url;
  }

  /**
   * Every target: one server, or the replicas of one, which the run's requests go to in turn (the
   * {@code n}th request of the run to {@code urls().get(n % size)}), as a Kubernetes Service spreads
   * them over its pods. Each has its own connections, and by default its own /metrics scrape.
   */
  public java.util.List<URI> urls() {
    return urls;
  }

  public EndpointType endpointType() {
    return endpointType;
  }

  /** The request path, without a leading slash: {@code --endpoint}, else the type's default. */
  public String endpointPath() {
    return endpointPath != null ? endpointPath : endpointType.defaultPath();
  }

  public boolean streaming() {
    return streaming;
  }

  public String model() {
    return model;
  }

  /** Extra HTTP headers, in order. Their values are secrets: never log or export them. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The bearer token ({@code OPENAI_API_KEY}), or null. A secret: never log or export it. */
  public String apiKey() {
    return apiKey;
  }

  /** Keys merged into every request body, with their JSON types, in order. */
  public Map<String, Object> extraInputs() {
    return extraInputs;
  }

  public LoadMode loadMode() {
    return loadMode;
  }

  public int warmupRequestCount() {
    return warmupRequestCount;
  }

  /**
   * Measured requests to send: the configured count, else genai-perf's default max(10, 2 x
   * concurrency) (open loop: max(10, 2 x rate)); -1 when the run is bounded by a measurement
   * interval instead.
   */
  public int effectiveRequestCount() {
    if (requestCount > 0) {
      return requestCount;
    }
    if (measurementInterval != null) {
      return -1;
    }
    return Math.max(MIN_DEFAULT_REQUEST_COUNT, 2 * loadMode.defaultRequestCountUnit());
  }

  /** The configured request count, 0 when left to the default. */
  public int requestCount() {
    return requestCount;
  }

  /** The measurement window, or null when the run is bounded by the request count. */
  public Duration measurementInterval() {
    return measurementInterval;
  }

  public long randomSeed() {
    return randomSeed;
  }

  public TokenLengthDistribution inputTokens() {
    return inputTokens;
  }

  /** The output length to ask for ({@code max_tokens}), or null to let the server decide. */
  public TokenLengthDistribution outputTokens() {
    return outputTokens;
  }

  public boolean outputTokensDeterministic() {
    return outputTokensDeterministic;
  }

  /** The tokenizer spec: a path to a tokenizer.json or its folder, or null for the bundled one. */
  public String tokenizer() {
    return tokenizer;
  }

  public int numDatasetEntries() {
    return numDatasetEntries;
  }

  /** The Hugging Face revision of a tokenizer named by repo id; null for {@code main}. */
  public String tokenizerRevision() {
    return tokenizerRevision;
  }

  /** How many shared prefixes synthetic prompts draw from; 0 for none. */
  public int numPrefixPrompts() {
    return numPrefixPrompts;
  }

  /** The length of each shared prefix, in tokens. */
  public int prefixPromptLength() {
    return prefixPromptLength;
  }

  /** A JSONL file of prompts or of a trace to replay, instead of synthetic prompts; or null. */
  public java.nio.file.Path inputFile() {
    return inputFile;
  }

  /**
   * Whether {@link #inputFile()} is a trace ({@code --input-file payload:FILE}) whose timestamps set
   * when each request is sent, instead of the load mode.
   */
  public boolean inputFilePayload() {
    return inputFilePayload;
  }

  /**
   * The Prometheus endpoints to scrape during the run, one per replica; empty to try the target's
   * own {@code /metrics} (then {@code /v1/metrics}) and go without if it does not answer.
   */
  public java.util.List<URI> serverMetricsUrls() {
    return serverMetricsUrls;
  }

  /** How often the endpoints are scraped; null to scrape none. */
  public Duration serverMetricsInterval() {
    return serverMetricsInterval;
  }

  /** A KV-cache gauge to read beside the known ones, or null. */
  public String kvMetric() {
    return kvMetric;
  }

  /** Service-level objectives per metric, in the metric's displayed unit; empty for no goodput. */
  public Map<Metric, Double> goodput() {
    return goodput;
  }

  /** How long a request may take before it counts as a timeout error; null for no limit. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Called about once a second with the run's progress, or null. */
  /**
   * How many event loops carry the run's streams, each on a thread of its own with its own
   * connections; 0 (the default) means one per available processor, but never more than the run
   * can keep busy (see {@link #effectiveEventLoops()}).
   */
  public int eventLoops() {
    return eventLoops;
  }

  /**
   * The event loops the run uses: {@link #eventLoops()}, or one per available processor when that is
   * 0, and never more than the requests that can be in flight at once in closed loop.
   */
  public int effectiveEventLoops() {
    int loops = eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    if (!inputFilePayload) {
      loops = Math.min(loops, loadMode.inFlightLimit());
    }
    return Math.max(1, loops);
  }

  /** The socket layer: see {@link Transport}. */
  public Transport transport() {
    return transport;
  }

  public Consumer<Progress> progressListener() {
    return progressListener;
  }

  /** Receives every finished request (the raw export), or null. */
  public RequestRecordSink recordSink() {
    return recordSink;
  }

  public NanoClock clock() {
    return clock;
  }

  public InstantSource wallClock() {
    return wallClock;
  }

  /**
   * The settings as genai-perf exports them under {@code input_config}: flag names as keys, secrets
   * redacted.
   */
  public Map<String, Object> inputConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", java.util.List.of(model));
    config.put("service_kind", "openai");
    config.put("endpoint_type", endpointType.cliName());
    config.put("endpoint", endpointPath());
    config.put("url", url.toString());
    if (urls.size() > 1) {
      config.put("urls", urls.stream().map(URI::toString).toList());
    }
    config.put("streaming", streaming);
    config.put(loadMode.key(), loadMode.level());
    if (loadMode instanceof LoadMode.RequestRate r) {
      config.put("request_rate_arrivals", r.arrivals().name().toLowerCase(Locale.ROOT));
    }
    config.put("request_count", effectiveRequestCount());
    config.put("warmup_request_count", warmupRequestCount);
    config.put("measurement_interval", measurementInterval == null ? null : measurementInterval.toMillis());
    config.put("random_seed", randomSeed);
    config.put("synthetic_input_tokens_mean", inputTokens.mean());
    config.put("synthetic_input_tokens_stddev", inputTokens.stddev());
    config.put("output_tokens_mean", outputTokens == null ? -1 : outputTokens.mean());
    config.put("output_tokens_stddev", outputTokens == null ? 0 : outputTokens.stddev());
    config.put("output_tokens_mean_deterministic", outputTokensDeterministic);
    config.put("num_dataset_entries", numDatasetEntries);
    config.put("num_prefix_prompts", numPrefixPrompts);
    config.put("prefix_prompt_length", prefixPromptLength);
    config.put("input_file", inputFile == null ? null : (inputFilePayload ? "payload:" : "") + inputFile);
    config.put("tokenizer", tokenizer == null ? io.loadgen.tokenizer.Tokenizer.BUNDLED_NAME : tokenizer);
    config.put("tokenizer_revision", tokenizerRevision == null ? "main" : tokenizerRevision);
    config.put("server_metrics_url", serverMetricsUrls.stream().map(URI::toString).toList());
    config.put("server_metrics_interval",
        serverMetricsInterval == null ? null : serverMetricsInterval.toMillis() / 1000.0);
    config.put("kv_metric", kvMetric);
    config.put("extra_inputs", extraInputs);
    Map<String, String> redacted = new LinkedHashMap<>();
    headers.keySet().forEach(name -> redacted.put(name, "<redacted>"));
    config.put("header", redacted);
    config.put("api_key", apiKey == null ? null : "<redacted>");
    Map<String, Double> slos = new LinkedHashMap<>();
    goodput.forEach((metric, value) -> slos.put(metric.key(), value));
    config.put("goodput", slos.isEmpty() ? null : slos);
    config.put("event_loops", effectiveEventLoops());
    config.put("transport", transport.name().toLowerCase(Locale.ROOT));
    return config;
  }

  @Override
  public String toString() {
    return "Profile" + inputConfig();
  }

  /** Builds a {@link Profile}; defaults are genai-perf's. Not thread-safe. */
  public static final class Builder {
    private final java.util.List<URI> urls = new java.util.ArrayList<>();
    private EndpointType endpointType = EndpointType.CHAT;
    private String endpointPath;
    private boolean streaming;
    private String model;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String apiKey;
    private final Map<String, Object> extraInputs = new LinkedHashMap<>();
    private LoadMode loadMode = new LoadMode.Concurrency(1);
    private int warmupRequestCount;
    private int requestCount;
    private Duration measurementInterval;
    private long randomSeed;
    private TokenLengthDistribution inputTokens = new TokenLengthDistribution(550, 0);
    private TokenLengthDistribution outputTokens;
    private boolean outputTokensDeterministic;
    private String tokenizer;
    private String tokenizerRevision;
    private int numDatasetEntries = 100;
    private int numPrefixPrompts;
    private int prefixPromptLength = 100;
    private java.nio.file.Path inputFile;
    private boolean inputFilePayload;
    private final java.util.List<URI> serverMetricsUrls = new java.util.ArrayList<>();
    private Duration serverMetricsInterval = Duration.ofSeconds(1);
    private String kvMetric;
    private final Map<Metric, Double> goodput = new EnumMap<>(Metric.class);
    private Duration requestTimeout;
    private int eventLoops;
    private Transport transport = Transport.AUTO;
    private Consumer<Progress> progressListener;
    private RequestRecordSink recordSink;
    private NanoClock clock = NanoClock.system();
    private InstantSource wallClock = InstantSource.system();

    private Builder() {}

    private Builder(Profile p) {
      urls.addAll(p.urls);
      endpointType = p.endpointType;
      endpointPath = p.endpointPath;
      streaming = p.streaming;
      model = p.model;
      headers.putAll(p.headers);
      apiKey = p.apiKey;
      extraInputs.putAll(p.extraInputs);
      loadMode = p.loadMode;
      warmupRequestCount = p.warmupRequestCount;
      requestCount = p.requestCount;
      measurementInterval = p.measurementInterval;
      randomSeed = p.randomSeed;
      inputTokens = p.inputTokens;
      outputTokens = p.outputTokens;
      outputTokensDeterministic = p.outputTokensDeterministic;
      tokenizer = p.tokenizer;
      tokenizerRevision = p.tokenizerRevision;
      numDatasetEntries = p.numDatasetEntries;
      numPrefixPrompts = p.numPrefixPrompts;
      prefixPromptLength = p.prefixPromptLength;
      inputFile = p.inputFile;
      inputFilePayload = p.inputFilePayload;
      serverMetricsUrls.addAll(p.serverMetricsUrls);
      serverMetricsInterval = p.serverMetricsInterval;
      kvMetric = p.kvMetric;
      goodput.putAll(p.goodput);
      requestTimeout = p.requestTimeout;
      eventLoops = p.eventLoops;
      transport = p.transport;
      progressListener = p.progressListener;
      recordSink = p.recordSink;
      clock = p.clock;
      wallClock = p.wallClock;
    }

    /** The server's base URL; {@code host:port} without a scheme means {@code http://host:port}. */
    public Builder url(String url) {
      this.urls.clear();
      this.urls.add(TargetUrl.parse(url));
      return this;
    }

    public Builder url(URI url) {
      return url(url.toString());
    }

    /**
     * Several targets, replicas of one model, that the run spreads its requests over in turn; see
     * {@link Profile#urls()}. Replaces any given before.
     *
     * @throws ProfileConfigException for none, or for one that is not a URL
     */
    public Builder urls(java.util.List<String> targets) {
      if (targets.isEmpty()) {
        throw new ProfileConfigException("no target: give at least one URL");
      }
      this.urls.clear();
      targets.forEach(target -> this.urls.add(TargetUrl.parse(target)));
      return this;
    }

    public Builder endpointType(EndpointType endpointType) {
      this.endpointType = Objects.requireNonNull(endpointType);
      return this;
    }

    /** A custom request path ({@code --endpoint}); a leading slash is ignored. */
    public Builder endpointPath(String endpointPath) {
      this.endpointPath = endpointPath == null ? null : endpointPath.replaceFirst("^/+", "");
      return this;
    }

    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Adds an HTTP header sent with every request. The value is treated as a secret. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * Adds a header given as {@code Name:value} ({@code --header}), as genai-perf takes it.
     *
     * @throws ProfileConfigException when there is no colon or no name; the message never holds the
     *     value
     */
    public Builder header(String nameColonValue) {
      int colon = nameColonValue.indexOf(':');
      if (colon <= 0) {
        throw new ProfileConfigException(
            "--header must be Name:value (e.g. --header 'X-Team:search'); got one without a name or colon");
      }
      return header(nameColonValue.substring(0, colon).trim(), nameColonValue.substring(colon + 1).trim());
    }

    /** The bearer token sent as {@code Authorization: Bearer}; a secret. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
      return this;
    }

    /** Merges {@code key: value} into every request body; later keys win. */
    public Builder extraInput(String key, Object value) {
      extraInputs.put(key, value);
      return this;
    }

    /**
     * Merges {@code key:value} as genai-perf's {@code --extra-inputs} does, inferring the JSON type of
     * the value: {@code true}/{@code false}, integers, decimals, JSON objects and arrays, else a
     * string.
     */
    public Builder extraInput(String keyColonValue) {
      Map.Entry<String, Object> entry = ExtraInputs.parse(keyColonValue);
      extraInputs.put(entry.getKey(), entry.getValue());
      return this;
    }

    public Builder loadMode(LoadMode loadMode) {
      this.loadMode = Objects.requireNonNull(loadMode);
      return this;
    }

    public Builder concurrency(int concurrency) {
      return loadMode(new LoadMode.Concurrency(concurrency));
    }

    public Builder requestRate(double requestsPerSecond, LoadMode.Arrivals arrivals) {
      return loadMode(new LoadMode.RequestRate(requestsPerSecond, arrivals));
    }

    public Builder warmupRequestCount(int count) {
      if (count < 0) {
        throw new ProfileConfigException("--warmup-request-count must be 0 or more, got " + count);
      }
      this.warmupRequestCount = count;
      return this;
    }

    /** Measured requests to send; 0 restores genai-perf's default. */
    public Builder requestCount(int count) {
      if (count < 0) {
        throw new ProfileConfigException("--request-count must be 0 or more, got " + count);
      }
      this.requestCount = count;
      return this;
    }

    /** Bound the run by time instead of count: measure requests sent within this window. */
    public Builder measurementInterval(Duration interval) {
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new ProfileConfigException("--measurement-interval must be a positive number of ms");
      }
      this.measurementInterval = interval;
      return this;
    }

    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    public Builder inputTokens(TokenLengthDistribution distribution) {
      this.inputTokens = Objects.requireNonNull(distribution);
      return this;
    }

    /** The output length distribution, sent as {@code max_tokens}; null to let the server decide. */
    public Builder outputTokens(TokenLengthDistribution distribution) {
      this.outputTokens = distribution;
      return this;
    }

    /** Also send {@code min_tokens} equal to {@code max_tokens}, so every output has that length. */
    public Builder outputTokensDeterministic(boolean deterministic) {
      this.outputTokensDeterministic = deterministic;
      return this;
    }

    /**
     * A path to a tokenizer.json or its folder, or a Hugging Face repo id (found in the local cache,
     * else downloaded); null for the bundled GPT-2 tokenizer.
     */
    public Builder tokenizer(String tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * Adds a Prometheus endpoint to scrape during the run (one per replica); {@code host:port/path}
     * without a scheme means http.
     */
    public Builder serverMetricsUrl(String url) {
      URI uri = TargetUrl.parse(url);
      this.serverMetricsUrls.add(uri);
      return this;
    }

    /** How often to scrape; null to scrape nothing, not even the target's own /metrics. */
    public Builder serverMetricsInterval(Duration interval) {
      if (interval != null && (interval.isNegative() || interval.toMillis() < 10)) {
        throw new ProfileConfigException("--server-metrics-interval must be at least 0.01 s");
      }
      this.serverMetricsInterval = interval;
      return this;
    }

    /** A KV-cache gauge (values 0..1) to read besides the known ones. */
    public Builder kvMetric(String name) {
      this.kvMetric = name;
      return this;
    }

    /** The revision (branch, tag or commit) of a tokenizer named by repo id; null for main. */
    public Builder tokenizerRevision(String revision) {
      this.tokenizerRevision = revision;
      return this;
    }

    /**
     * Prepends one of {@code count} shared prefixes of {@code lengthTokens} tokens to every synthetic
     * prompt, for prefix-cache studies; 0 for none.
     */
    public Builder prefixPrompts(int count, int lengthTokens) {
      if (count < 0) {
        throw new ProfileConfigException("--num-prefix-prompts must be 0 or more, got " + count);
      }
      if (count > 0 && lengthTokens < 1) {
        throw new ProfileConfigException("--prefix-prompt-length must be at least 1, got " + lengthTokens);
      }
      this.numPrefixPrompts = count;
      this.prefixPromptLength = lengthTokens;
      return this;
    }

    /**
     * Prompts from a JSONL file ({@code {"text": ...}}, {@code {"text_input": ...}},
     * {@code {"messages": [...]}} or {@code {"input_length": n, "output_length": m, "hash_ids":
     * [...]}} lines); with {@code payload}, every line also has a {@code timestamp} in ms and the
     * run replays the file on that schedule. Null for synthetic prompts.
     */
    public Builder inputFile(java.nio.file.Path file, boolean payload) {
      this.inputFile = file;
      this.inputFilePayload = file != null && payload;
      return this;
    }

    public Builder numDatasetEntries(int entries) {
      if (entries < 1) {
        throw new ProfileConfigException("--num-dataset-entries must be at least 1, got " + entries);
      }
      this.numDatasetEntries = entries;
      return this;
    }

    /** A service-level objective: a request is good when {@code metric} is at most {@code bound}. */
    public Builder goodput(Metric metric, double bound) {
      if (!(bound > 0)) {
        throw new ProfileConfigException("--goodput " + metric.key() + " must be a positive number");
      }
      goodput.put(metric, bound);
      return this;
    }

    /** Parses genai-perf's {@code --goodput key:value}, the value in the metric's displayed unit. */
    public Builder goodput(String keyColonValue) {
      int colon = keyColonValue.indexOf(':');
      if (colon <= 0) {
        throw new ProfileConfigException(
            "--goodput must be metric:value, e.g. time_to_first_token:100; got '" + keyColonValue + "'");
      }
      Metric metric = Metric.fromKey(keyColonValue.substring(0, colon).trim());
      String value = keyColonValue.substring(colon + 1).trim();
      try {
        return goodput(metric, Double.parseDouble(value));
      } catch (NumberFormatException e) {
        throw new ProfileConfigException("--goodput " + metric.key() + ": '" + value + "' is not a number");
      }
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Event loops for the run's streams; 0 for one per available processor.
     *
     * @throws ProfileConfigException when negative
     */
    public Builder eventLoops(int loops) {
      if (loops < 0) {
        throw new ProfileConfigException("the number of event loops must be 0 (one per processor) or more, got " + loops);
      }
      this.eventLoops = loops;
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    public Builder progressListener(Consumer<Progress> listener) {
      this.progressListener = listener;
      return this;
    }

    public Builder recordSink(RequestRecordSink sink) {
      this.recordSink = sink;
      return this;
    }

    /** The monotonic clock; tests inject their own. */
    public Builder clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The wall clock used only to stamp exports with real times. */
    public Builder wallClock(InstantSource wallClock) {
      this.wallClock = Objects.requireNonNull(wallClock);
      return this;
    }

    /**
     * @throws ProfileConfigException when the target or model is missing
     */
    public Profile build() {
      return new Profile(this);
    }
  }
}
