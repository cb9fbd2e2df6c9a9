package io.loadgen.report;

import io.loadgen.core.Endpoint;
import io.loadgen.core.Load;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.Scrape;
import io.loadgen.core.Workload;
import io.loadgen.tokenizer.Tokenizer;
import java.net.URI;
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

  private InputConfig() {}

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

  private static Double seconds(java.time.Duration duration) {
    return duration == null ? null : duration.toNanos() / 1e9;
  }
}
