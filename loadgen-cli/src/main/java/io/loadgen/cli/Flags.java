package io.loadgen.cli;

import io.loadgen.core.ProfileConfigException;
import java.util.Map;

/**
 * The flag that sets each of the Java API's settings, so that a setting the API rejects is reported
 * by the flag the user typed: {@code requestCount must be 0 or more} becomes {@code --request-count
 * must be 0 or more}.
 */
final class Flags {
  private static final Map<String, String> BY_SETTING =
      Map.ofEntries(
          Map.entry("url", "-u/--url"),
          Map.entry("model", "-m/--model"),
          Map.entry("endpointType", "--endpoint-type"),
          Map.entry("endpointPath", "--endpoint"),
          Map.entry("header", "--header"),
          Map.entry("requestTimeout", "--request-timeout"),
          Map.entry("concurrency", "--concurrency"),
          Map.entry("requestRate", "--request-rate"),
          Map.entry("arrivals", "--request-distribution"),
          Map.entry("warmupRequestCount", "--warmup-request-count"),
          Map.entry("requestCount", "--request-count"),
          Map.entry("measurementInterval", "-p/--measurement-interval"),
          Map.entry("goodput", "--goodput"),
          Map.entry("eventLoops", "--event-loops"),
          Map.entry("inputTokens", "--synthetic-input-tokens-mean/-stddev"),
          Map.entry("outputTokens", "--output-tokens-mean/-stddev"),
          Map.entry("numDatasetEntries", "--num-dataset-entries"),
          Map.entry("numPrefixPrompts", "--num-prefix-prompts"),
          Map.entry("prefixPromptLength", "--prefix-prompt-length"),
          Map.entry("inputFile", "--input-file"),
          Map.entry("serverMetricsUrl", "--server-metrics-url"),
          Map.entry("serverMetricsInterval", "--server-metrics-interval"));

  private Flags() {}

  /** The exception's message, naming the flag instead of the setting where one sets it. */
  static String describe(ProfileConfigException e) {
    String flag = e.setting() == null ? null : BY_SETTING.get(e.setting());
    return flag == null ? e.getMessage() : flag + " " + e.problem();
  }
}
