package io.loadgen.core;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything a profile run needs, in four parts: where requests go ({@link #endpoint()}), what they
 * carry ({@link #workload()}), how the server is loaded and measured ({@link #load()}), and which
 * server metrics are read ({@link #scrape()}). Immutable; build one with {@link #builder()}, whose
 * defaults follow genai-perf's {@code profile}. What a run reports to while it goes (a record sink,
 * a progress listener) is not part of the profile: see {@link RunOptions}.
 *
 * <p>Secrets (the API key and header values) are kept out of {@link #toString()}.
 */
public final class Profile {
  /** genai-perf's default request count floor: max(10, 2 x concurrency). */
  public static final int MIN_DEFAULT_REQUEST_COUNT = 10;

  private final Endpoint endpoint;
  private final Workload workload;
  private final Load load;
  private final Scrape scrape;

  private Profile(Endpoint endpoint, Workload workload, Load load, Scrape scrape) {
    this.endpoint = endpoint;
    this.workload = workload;
    this.load = load;
    this.scrape = scrape;
  }

  /** A builder with genai-perf's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this profile's settings, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Where requests go and what each carries besides its prompt. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** What is sent: the prompts, their lengths, and the tokenizer that measures them. */
  public Workload workload() {
    return workload;
  }

  /** How the server is loaded and for how long it is measured. */
  public Load load() {
    return load;
  }

  /** Which server metrics are read during the run. */
  public Scrape scrape() {
    return scrape;
  }

  /** This profile at another load level: a step of a {@link Sweep}. */
  public Profile withLoadMode(LoadMode mode) {
    return toBuilder().loadMode(mode).build();
  }

  /**
   * Measured requests to send: the configured count, else genai-perf's default max(10, 2 x
   * concurrency) (open loop: max(10, 2 x rate)); -1 when the run is bounded by a measurement
   * interval or a benchmark duration instead.
   */
  public int effectiveRequestCount() {
    if (load.sessions() != null) {
      return (int) Math.min(Integer.MAX_VALUE, totalSessionTurns());
    }
    if (load.requestCount() > 0) {
      return load.requestCount();
    }
    if (load.measurementInterval() != null || load.benchmarkDuration() != null) {
      return -1;
    }
    return Math.max(MIN_DEFAULT_REQUEST_COUNT, 2 * load.mode().defaultRequestCountUnit());
  }

  /** Every turn of every session, as the run's seed draws them; 0 without sessions. */
  public long totalSessionTurns() {
    if (load.sessions() == null) {
      return 0;
    }
    return load.sessions().totalTurns(workload.randomSeed());
  }

  /**
   * The event loops the run uses: {@link Load#eventLoops()}, or one per available processor when
   * that is 0, and never more than the requests that can be in flight at once in closed loop.
   */
  public int effectiveEventLoops() {
    int loops =
        load.eventLoops() > 0 ? load.eventLoops() : Runtime.getRuntime().availableProcessors();
    if (!workload.inputFilePayload()) {
      loops = Math.min(loops, load.mode().inFlightLimit());
    }
    return Math.max(1, loops);
  }

  @Override
  public String toString() {
    return "Profile[" + endpoint + ", " + workload + ", " + load + ", " + scrape + "]";
  }

  /**
   * Builds a {@link Profile}; defaults are genai-perf's. Each setter checks its own value and
   * throws {@link ProfileConfigException} naming the setting; {@link #build()} checks that a target
   * and a model were given. Not thread-safe.
   */
  public static final class Builder {
    private final Endpoint.Builder endpoint;
    private final Workload.Builder workload;
    private final Load.Builder load;
    private final Scrape.Builder scrape;

    private Builder() {
      endpoint = new Endpoint.Builder();
      workload = new Workload.Builder();
      load = new Load.Builder();
      scrape = new Scrape.Builder();
    }

    private Builder(Profile p) {
      endpoint = new Endpoint.Builder(p.endpoint);
      workload = new Workload.Builder(p.workload);
      load = new Load.Builder(p.load);
      scrape = new Scrape.Builder(p.scrape);
    }

    /**
     * The server's base URL: {@code http(s)://host:port[/path]}; {@code host:port} without a scheme
     * means plain HTTP; {@code sim://PRESET} an embedded simulated server. Replaces any given
     * before.
     */
    public Builder url(String url) {
      return urls(List.of(url));
    }

    /** As {@link #url(String)}. */
    public Builder url(URI url) {
      return url(url.toString());
    }

    /**
     * Several targets, replicas of one model: see {@link Endpoint#urls()}. Replaces any given
     * before.
     */
    public Builder urls(List<String> targets) {
      endpoint.urls(targets);
      return this;
    }

    public Builder endpointType(EndpointType type) {
      endpoint.type(type);
      return this;
    }

    /** A custom request path; a leading slash is ignored; null for the type's default. */
    public Builder endpointPath(String path) {
      endpoint.customPath(path);
      return this;
    }

    public Builder streaming(boolean streaming) {
      endpoint.streaming(streaming);
      return this;
    }

    public Builder model(String model) {
      endpoint.model(model);
      return this;
    }

    /** Adds an HTTP header sent with every request. The value is treated as a secret. */
    public Builder header(String name, String value) {
      endpoint.header(name, value);
      return this;
    }

    /** The bearer token sent as {@code Authorization: Bearer}; a secret. Blank or null for none. */
    public Builder apiKey(String apiKey) {
      endpoint.apiKey(apiKey);
      return this;
    }

    /** Merges {@code key: value} into every request body; later keys win. */
    public Builder extraInput(String key, Object value) {
      endpoint.extraInput(key, value);
      return this;
    }

    /** See {@link Endpoint#requestTimeout()}; null for no idle limit. */
    public Builder requestTimeout(Duration timeout) {
      endpoint.requestTimeout(timeout);
      return this;
    }

    /** See {@link Endpoint#requestDeadline()}; null for no overall limit. */
    public Builder requestDeadline(Duration deadline) {
      endpoint.requestDeadline(deadline);
      return this;
    }

    public Builder loadMode(LoadMode mode) {
      load.mode(mode);
      return this;
    }

    public Builder concurrency(int concurrency) {
      return loadMode(new LoadMode.Concurrency(concurrency));
    }

    public Builder requestRate(double requestsPerSecond, LoadMode.Arrivals arrivals) {
      return loadMode(new LoadMode.RequestRate(requestsPerSecond, arrivals));
    }

    public Builder warmupRequestCount(int count) {
      load.warmupRequestCount(count);
      return this;
    }

    /** Measured requests to send; 0 restores genai-perf's default. */
    public Builder requestCount(int count) {
      load.requestCount(count);
      return this;
    }

    /** Bound the run by time instead of count: measure requests sent within this window. */
    public Builder measurementInterval(Duration interval) {
      load.measurementInterval(interval);
      return this;
    }

    /**
     * AIPerf's time-based run: send measured requests for this long, then wait up to the grace
     * period ({@link #benchmarkGracePeriod}) for those in flight; null for none.
     */
    public Builder benchmarkDuration(Duration duration) {
      load.benchmarkDuration(duration);
      return this;
    }

    /**
     * After the benchmark duration, how long requests in flight may finish and be measured; those
     * still open then are cut ({@link RunSummary#cutCount()}). Null to wait for all; 30 s unless
     * set.
     */
    public Builder benchmarkGracePeriod(Duration grace) {
      load.benchmarkGracePeriod(grace);
      return this;
    }

    /**
     * Cancels {@code ratePercent} of the measured requests {@code delay} after each was sent, as
     * AIPerf's {@code --request-cancellation-rate} and {@code -delay} do; see {@link
     * RequestCancellation}.
     */
    public Builder requestCancellation(double ratePercent, Duration delay) {
      load.requestCancellation(new RequestCancellation(ratePercent, delay));
      return this;
    }

    /**
     * Ramps the load up over {@code ramp} instead of a warm-up count: the concurrency or rate grows
     * linearly to its level, and measuring starts at the end, at full load (see {@link
     * Load#rampUp()}); null for none.
     */
    public Builder rampUp(Duration ramp) {
      load.rampUp(ramp);
      return this;
    }

    /**
     * A service-level objective: a request is good when {@code metric} is at most {@code bound}.
     */
    public Builder goodput(Metric metric, double bound) {
      load.goodput(metric, bound);
      return this;
    }

    /** Event loops for the run's streams; 0 for one per available processor. */
    public Builder eventLoops(int loops) {
      load.eventLoops(loops);
      return this;
    }

    public Builder transport(Transport transport) {
      load.transport(transport);
      return this;
    }

    /**
     * Stops the run, and fails it, once more than {@code percent} of its measured requests have
     * failed (checked from the {@value Load#THRESHOLD_MIN_REQUESTS}th measured request on).
     */
    public Builder failedRequestThreshold(double percent) {
      load.failedRequestThreshold(OptionalDouble.of(percent));
      return this;
    }

    /**
     * genai-perf's multi-turn chat sessions ({@link Sessions}) instead of single requests: the load
     * becomes a closed loop of the sessions' concurrency, and every turn is a measured request.
     */
    public Builder sessions(Sessions chat) {
      load.sessions(chat);
      if (chat != null) {
        loadMode(new LoadMode.Concurrency(chat.concurrency()));
      }
      return this;
    }

    /**
     * Sends nothing, warm-up included, before this wall-clock instant: see {@link Load#startAt()}.
     * Null (the default) to start as soon as the run is prepared.
     */
    public Builder startAt(Instant instant) {
      load.startAt(instant);
      return this;
    }

    /**
     * Takes input and output lengths from the server's {@code usage} where it sends one, instead of
     * the tokenizer's count (AIPerf's {@code --use-server-token-count}).
     */
    public Builder useServerTokenCount(boolean use) {
      workload.useServerTokenCount(use);
      return this;
    }

    /**
     * genai-perf's {@code --batch-size-text}: texts per embeddings request, or passages per
     * rankings request (default 1).
     */
    public Builder batchSizeText(int texts) {
      workload.batchSizeText(texts);
      return this;
    }

    public Builder randomSeed(long seed) {
      workload.randomSeed(seed);
      return this;
    }

    public Builder inputTokens(TokenLengthDistribution distribution) {
      workload.inputTokens(distribution);
      return this;
    }

    /**
     * The output length distribution, sent as {@code max_tokens}; null to let the server decide.
     */
    public Builder outputTokens(TokenLengthDistribution distribution) {
      workload.outputTokens(distribution);
      return this;
    }

    /**
     * Also send {@code min_tokens} equal to {@code max_tokens}, so every output has that length.
     */
    public Builder outputTokensDeterministic(boolean deterministic) {
      workload.outputTokensDeterministic(deterministic);
      return this;
    }

    /** See {@link Workload#tokenizer()}. */
    public Builder tokenizer(String tokenizer) {
      workload.tokenizer(tokenizer);
      return this;
    }

    /** The revision (branch, tag or commit) of a tokenizer named by repo id; null for main. */
    public Builder tokenizerRevision(String revision) {
      workload.tokenizerRevision(revision);
      return this;
    }

    public Builder numDatasetEntries(int entries) {
      workload.numDatasetEntries(entries);
      return this;
    }

    /** Starts every synthetic prompt with one of {@code count} shared prefixes; 0 for none. */
    public Builder prefixPrompts(int count, int lengthTokens) {
      workload.prefixPrompts(count, lengthTokens);
      return this;
    }

    /**
     * Prompts from a JSONL file ({@code {"text": ...}}, {@code {"text_input": ...}}, {@code
     * {"messages": [...]}} or {@code {"input_length": n, "output_length": m, "hash_ids": [...]}}
     * lines); with {@code payload}, every line also has a {@code timestamp} in ms and the run
     * replays the file on that schedule. Null for synthetic prompts.
     */
    public Builder inputFile(Path file, boolean payload) {
      workload.inputFile(file, payload);
      return this;
    }

    /** Adds a Prometheus endpoint to scrape during the run (one per replica). */
    public Builder serverMetricsUrl(String url) {
      scrape.url(url);
      return this;
    }

    /** How often to scrape; null to scrape nothing, not even the target's own /metrics. */
    public Builder serverMetricsInterval(Duration interval) {
      scrape.interval(interval);
      return this;
    }

    /** A KV-cache gauge (values 0..1) to read besides the known ones. */
    public Builder kvMetric(String name) {
      scrape.kvMetric(name);
      return this;
    }

    /**
     * @throws ProfileConfigException for a setting out of range, or no target or model
     */
    public Profile build() {
      Endpoint e = endpoint.build();
      Workload w = workload.build();
      if (!e.type().generative() && e.streaming()) {
        throw new ProfileConfigException(
            "streaming", "does not apply to " + e.type().cliName() + ": its answer is one body");
      }
      Load l = load.build();
      if (l.sessions() != null) {
        if (e.type() != EndpointType.CHAT) {
          throw new ProfileConfigException(
              "numSessions", "need --endpoint-type chat: a session is a conversation");
        }
        if (!(l.mode() instanceof LoadMode.Concurrency c)
            || c.concurrency() != l.sessions().concurrency()) {
          throw new ProfileConfigException(
              "sessionConcurrency",
              "sets the load of a sessions run: leave out --concurrency and --request-rate");
        }
        if (w.inputFile() != null && w.inputFilePayload()) {
          throw new ProfileConfigException(
              "inputFile", "is a timed trace: a sessions run keeps its own time between turns");
        }
      }
      if (e.type().generative() && w.batchSizeText() != 1) {
        throw new ProfileConfigException(
            "batchSizeText",
            "must be 1 for " + e.type().cliName() + ": it takes one prompt per request");
      }
      if (e.type() == EndpointType.RANKINGS && w.inputFile() != null) {
        throw new ProfileConfigException(
            "inputFile",
            "is not read for rankings: their queries and passages are synthetic prompts");
      }
      return new Profile(e, w, l, scrape.build());
    }
  }
}
