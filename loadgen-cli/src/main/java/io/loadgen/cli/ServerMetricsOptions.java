package io.loadgen.cli;

import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code profile}'s flags for the server's Prometheus metrics, read during the run. */
final class ServerMetricsOptions {
  @Option(
      names = {"--server-metrics-url", "--server-metrics-urls"},
      paramLabel = "URL",
      arity = "1..*",
      description = {
        "A Prometheus endpoint to scrape during the run: the server's (one per replica) or "
            + "DCGM-exporter's. Default: the target's /metrics (or /v1/metrics), when it answers."
      })
  List<String> urls = new ArrayList<>();

  @Option(
      names = "--server-metrics-interval",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "How often to scrape, 0 for never (default: ${DEFAULT-VALUE}).")
  double intervalSeconds;

  @Option(
      names = "--kv-metric",
      paramLabel = "NAME",
      description =
          "A KV-cache usage gauge (0..1) to read besides the known ones "
              + "(vllm:kv_cache_usage_perc, gpu_cache_usage_perc, sglang:token_usage, ...).")
  String kvMetric;

  @Option(
      names = "--kv-target",
      paramLabel = "PERCENT",
      defaultValue = "100",
      description =
          "For a sweep: the KV-cache usage whose concurrency the summary estimates (default: ${DEFAULT-VALUE}).")
  double kvTargetPercent;

  void applyTo(Profile.Builder builder) {
    if (!(intervalSeconds >= 0)) {
      throw new ProfileConfigException("--server-metrics-interval must be 0 or more seconds");
    }
    if (!(kvTargetPercent > 0 && kvTargetPercent <= 100)) {
      throw new ProfileConfigException("--kv-target must be a percentage above 0 and at most 100");
    }
    builder
        .serverMetricsInterval(
            intervalSeconds == 0
                ? null
                : Duration.ofMillis(Math.max(10, Math.round(intervalSeconds * 1000))))
        .kvMetric(kvMetric);
    urls.forEach(builder::serverMetricsUrl);
  }
}
