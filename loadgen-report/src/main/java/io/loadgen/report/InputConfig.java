package io.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Endpoint;
import io.loadgen.core.EndpointType;
import io.loadgen.core.Load;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.Scrape;
import io.loadgen.core.Transport;
import io.loadgen.core.Workload;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A profile's settings as genai-perf exports them under {@code input_config}: its flag names as
 * keys, secrets redacted (header names are kept, their values and the API key never).
 */
final class InputConfig {
  static final String REDACTED = "<redacted>";

  private static final ObjectMapper JSON = new ObjectMapper();

  private InputConfig() {}

  /**
   * The settings of {@code result}'s profile; a merged run's also name the folders it was merged
   * from ({@code merged_from}).
   */
  static Map<String, Object> of(ProfileResult result) {
    Map<String, Object> config = of(result.profile());
    if (result instanceof MergedResult merged) {
      config.put("merged_from", merged.mergedFrom());
    }
    return config;
  }

  static Map<String, Object> of(Profile profile) {
    Endpoint endpoint = profile.endpoint();
    Workload workload = profile.workload();
    Load load = profile.load();
    Scrape scrape = profile.scrape();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", List.of(endpoint.model()));
    config.put("service_kind", "openai");
    config.put("endpoint_type", endpoint.type().cliName());
    config.put("endpoint", endpoint.path());
    config.put("url", endpoint.url().toString());
    if (endpoint.urls().size() > 1) {
      config.put("urls", endpoint.urls().stream().map(URI::toString).toList());
    }
    config.put("streaming", endpoint.streaming());
    // The limits that decide which requests count as timeout, in seconds; null for none.
    config.put("request_timeout", seconds(endpoint.requestTimeout()));
    config.put("request_deadline", seconds(endpoint.requestDeadline()));
    config.put(load.mode().key(), load.mode().level());
    if (load.mode() instanceof LoadMode.RequestRate rate) {
      config.put("request_rate_arrivals", rate.arrivals().name().toLowerCase(Locale.ROOT));
      if (rate.arrivals() == LoadMode.Arrivals.GAMMA) {
        config.put("request_rate_burstiness", rate.burstiness());
      }
      if (rate.capped()) {
        config.put("request_rate_max_concurrency", rate.maxConcurrency());
      }
    }
    config.put("request_count", profile.effectiveRequestCount());
    config.put("warmup_request_count", load.warmupRequestCount());
    config.put("ramp_up", seconds(load.rampUp()));
    config.put(
        "measurement_interval",
        load.measurementInterval() == null ? null : load.measurementInterval().toMillis());
    // AIPerf's names and units (seconds); its "inf" for a grace that waits for every request.
    config.put("benchmark_duration", seconds(load.benchmarkDuration()));
    if (load.benchmarkDuration() == null) {
      config.put("benchmark_grace_period", null);
    } else if (load.benchmarkGracePeriod() == null) {
      config.put("benchmark_grace_period", "inf");
    } else {
      config.put("benchmark_grace_period", seconds(load.benchmarkGracePeriod()));
    }
    // AIPerf's names: percent, and seconds from the request's last byte.
    config.put(
        "request_cancellation_rate",
        load.requestCancellation() == null ? 0.0 : load.requestCancellation().ratePercent());
    config.put(
        "request_cancellation_delay",
        load.requestCancellation() == null ? null : seconds(load.requestCancellation().delay()));
    config.put("batch_size_text", workload.batchSizeText());
    io.loadgen.core.Sessions sessions = load.sessions();
    if (sessions != null) {
      // genai-perf's names; delays in ms, as its flags take them.
      config.put("num_sessions", sessions.count());
      config.put("session_concurrency", sessions.concurrency());
      config.put("session_turns_mean", sessions.turnsMean());
      config.put("session_turns_stddev", sessions.turnsStddev());
      config.put("session_turn_delay_mean", sessions.turnDelayMeanMillis());
      config.put("session_turn_delay_stddev", sessions.turnDelayStddevMillis());
    }
    config.put("random_seed", workload.randomSeed());
    config.put("synthetic_input_tokens_mean", workload.inputTokens().mean());
    config.put("synthetic_input_tokens_stddev", workload.inputTokens().stddev());
    config.put(
        "output_tokens_mean",
        workload.outputTokens() == null ? -1 : workload.outputTokens().mean());
    config.put(
        "output_tokens_stddev",
        workload.outputTokens() == null ? 0 : workload.outputTokens().stddev());
    config.put("output_tokens_mean_deterministic", workload.outputTokensDeterministic());
    config.put("num_dataset_entries", workload.numDatasetEntries());
    config.put("num_prefix_prompts", workload.numPrefixPrompts());
    config.put("prefix_prompt_length", workload.prefixPromptLength());
    config.put(
        "input_file",
        workload.inputFile() == null
            ? null
            : (workload.inputFilePayload() ? "payload:" : "") + workload.inputFile());
    config.put(
        "tokenizer", workload.tokenizer() == null ? Tokenizer.BUNDLED_NAME : workload.tokenizer());
    config.put(
        "tokenizer_revision",
        workload.tokenizerRevision() == null ? "main" : workload.tokenizerRevision());
    config.put("use_server_token_count", workload.useServerTokenCount());
    config.put("server_metrics_url", scrape.urls().stream().map(URI::toString).toList());
    config.put(
        "server_metrics_interval",
        scrape.interval() == null ? null : scrape.interval().toMillis() / 1000.0);
    config.put("kv_metric", scrape.kvMetric());
    config.put("extra_inputs", endpoint.extraInputs());
    Map<String, String> headers = new LinkedHashMap<>();
    endpoint.headers().keySet().forEach(name -> headers.put(name, REDACTED));
    config.put("header", headers);
    config.put("api_key", endpoint.apiKey() == null ? null : REDACTED);
    Map<String, Double> slos = new LinkedHashMap<>();
    load.goodput().forEach((metric, bound) -> slos.put(metric.key(), bound));
    config.put("goodput", slos.isEmpty() ? null : slos);
    config.put("event_loops", profile.effectiveEventLoops());
    config.put("transport", load.transport().name().toLowerCase(Locale.ROOT));
    // When the load was to start (--start-at), as an ISO-8601 instant; null when at once.
    config.put("start_at", load.startAt() == null ? null : load.startAt().toString());
    return config;
  }

  /**
   * The profile an {@code input_config} that {@link #of(Profile)} wrote describes, as far as the
   * export holds it: secrets come back as {@value #REDACTED}, a tokenizer by its name (not loaded).
   * A key it does not know is ignored; one it knows with a value of the wrong type fails.
   *
   * @throws IllegalArgumentException (or a {@link io.loadgen.core.ProfileConfigException}) for a
   *     config that is not one
   */
  static Profile.Builder read(JsonNode config) {
    Profile.Builder builder = Profile.builder();
    JsonNode model = config.path("model");
    builder.model(model.isArray() ? model.path(0).asText() : model.asText());
    EndpointType type = EndpointType.fromCliName(config.path("endpoint_type").asText("chat"));
    builder.endpointType(type);
    String path = config.path("endpoint").asText(type.defaultPath());
    builder.endpointPath(path.equals(type.defaultPath()) ? null : path);
    List<String> urls = new ArrayList<>();
    if (config.path("urls").isArray()) {
      config.path("urls").forEach(url -> urls.add(url.asText()));
    } else {
      urls.add(config.path("url").asText());
    }
    builder.urls(urls);
    builder.streaming(config.path("streaming").asBoolean(false));
    builder.requestTimeout(duration(config.path("request_timeout")));
    builder.requestDeadline(duration(config.path("request_deadline")));
    if (config.has("request_rate")) {
      LoadMode.Arrivals arrivals =
          LoadMode.Arrivals.valueOf(
              config.path("request_rate_arrivals").asText("constant").toUpperCase(Locale.ROOT));
      builder.loadMode(
          new LoadMode.RequestRate(
                  config.path("request_rate").asDouble(),
                  arrivals,
                  config.path("request_rate_burstiness").asDouble(1.0))
              .withMaxConcurrency(config.path("request_rate_max_concurrency").asInt(0)));
    } else {
      builder.concurrency(config.path("concurrency").asInt(1));
    }
    builder.requestCount(Math.max(0, config.path("request_count").asInt(0)));
    builder.warmupRequestCount(config.path("warmup_request_count").asInt(0));
    builder.rampUp(duration(config.path("ramp_up")));
    java.time.Duration benchmark = duration(config.path("benchmark_duration"));
    builder.benchmarkDuration(benchmark);
    if (benchmark != null) {
      JsonNode grace = config.path("benchmark_grace_period");
      builder.benchmarkGracePeriod(grace.isNumber() ? duration(grace) : null);
    }
    double cancellation = config.path("request_cancellation_rate").asDouble(0);
    if (cancellation > 0) {
      java.time.Duration delay = duration(config.path("request_cancellation_delay"));
      builder.requestCancellation(cancellation, delay == null ? java.time.Duration.ZERO : delay);
    }
    JsonNode interval = config.path("measurement_interval");
    builder.measurementInterval(
        interval.isNumber() ? java.time.Duration.ofMillis(interval.asLong()) : null);
    builder.randomSeed(config.path("random_seed").asLong(0));
    builder.batchSizeText(config.path("batch_size_text").asInt(1));
    if (config.has("num_sessions")) {
      builder.sessions(
          new io.loadgen.core.Sessions(
              config.path("num_sessions").asInt(),
              config.path("session_concurrency").asInt(1),
              config.path("session_turns_mean").asDouble(1),
              config.path("session_turns_stddev").asDouble(0),
              config.path("session_turn_delay_mean").asDouble(0),
              config.path("session_turn_delay_stddev").asDouble(0)));
    }
    builder.inputTokens(
        new TokenLengthDistribution(
            config.path("synthetic_input_tokens_mean").asDouble(),
            config.path("synthetic_input_tokens_stddev").asDouble(0)));
    double outputMean = config.path("output_tokens_mean").asDouble(-1);
    builder.outputTokens(
        outputMean < 0
            ? null
            : new TokenLengthDistribution(
                outputMean, config.path("output_tokens_stddev").asDouble(0)));
    builder.outputTokensDeterministic(
        config.path("output_tokens_mean_deterministic").asBoolean(false));
    if (config.has("num_dataset_entries")) {
      builder.numDatasetEntries(config.path("num_dataset_entries").asInt());
    }
    int prefixes = config.path("num_prefix_prompts").asInt(0);
    if (prefixes > 0) {
      builder.prefixPrompts(prefixes, config.path("prefix_prompt_length").asInt());
    }
    JsonNode inputFile = config.path("input_file");
    if (inputFile.isTextual()) {
      String file = inputFile.asText();
      boolean payload = file.startsWith("payload:");
      builder.inputFile(java.nio.file.Path.of(payload ? file.substring(8) : file), payload);
    }
    String tokenizer = config.path("tokenizer").asText(Tokenizer.BUNDLED_NAME);
    builder.tokenizer(tokenizer.equals(Tokenizer.BUNDLED_NAME) ? null : tokenizer);
    String revision = config.path("tokenizer_revision").asText("main");
    builder.tokenizerRevision(revision.equals("main") ? null : revision);
    builder.useServerTokenCount(config.path("use_server_token_count").asBoolean(false));
    config.path("server_metrics_url").forEach(url -> builder.serverMetricsUrl(url.asText()));
    JsonNode scrapeInterval = config.path("server_metrics_interval");
    builder.serverMetricsInterval(
        scrapeInterval.isNumber()
            ? java.time.Duration.ofMillis(Math.round(scrapeInterval.asDouble() * 1000))
            : null);
    if (config.path("kv_metric").isTextual()) {
      builder.kvMetric(config.path("kv_metric").asText());
    }
    config
        .path("extra_inputs")
        .fields()
        .forEachRemaining(
            e -> builder.extraInput(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    config.path("header").fieldNames().forEachRemaining(name -> builder.header(name, REDACTED));
    if (config.path("api_key").isTextual()) {
      builder.apiKey(REDACTED);
    }
    config
        .path("goodput")
        .fields()
        .forEachRemaining(
            e -> builder.goodput(Metric.fromKey(e.getKey()), e.getValue().asDouble()));
    if (config.has("event_loops")) {
      builder.eventLoops(config.path("event_loops").asInt());
    }
    if (config.path("transport").isTextual()) {
      builder.transport(
          Transport.valueOf(config.path("transport").asText().toUpperCase(Locale.ROOT)));
    }
    if (config.path("start_at").isTextual()) {
      builder.startAt(Instant.parse(config.path("start_at").asText()));
    }
    return builder;
  }

  private static java.time.Duration duration(JsonNode seconds) {
    return seconds.isNumber()
        ? java.time.Duration.ofNanos(Math.round(seconds.asDouble() * 1e9))
        : null;
  }

  private static Double seconds(java.time.Duration duration) {
    return duration == null ? null : duration.toNanos() / 1e9;
  }
}
