package io.loadgen.cli;

import io.loadgen.core.ProfileConfigException;
import io.loadgen.core.RunWarning;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
          Map.entry("requestDeadline", "--request-deadline"),
          Map.entry("concurrency", "--concurrency"),
          Map.entry("requestRate", "--request-rate"),
          Map.entry("arrivals", "--request-distribution"),
          Map.entry("burstiness", "--burstiness"),
          Map.entry("useServerTokenCount", "--use-server-token-count"),
          Map.entry("batchSizeText", "--batch-size-text"),
          Map.entry("streaming", "--streaming"),
          Map.entry("failedRequestThreshold", "--failed-request-threshold"),
          Map.entry("startAt", "--start-at"),
          Map.entry("warmupRequestCount", "--warmup-request-count"),
          Map.entry("requestCount", "--request-count"),
          Map.entry("measurementInterval", "-p/--measurement-interval"),
          Map.entry("benchmarkDuration", "--benchmark-duration"),
          Map.entry("benchmarkGracePeriod", "--benchmark-grace-period"),
          Map.entry("requestCancellationRate", "--request-cancellation-rate"),
          Map.entry("rampUp", "--ramp-up"),
          Map.entry("numSessions", "--num-sessions"),
          Map.entry("sessionConcurrency", "--session-concurrency"),
          Map.entry("sessionTurns", "--session-turns-mean/-stddev"),
          Map.entry("sessionTurnDelay", "--session-turn-delay-mean/-stddev"),
          Map.entry("requestCancellationDelay", "--request-cancellation-delay"),
          Map.entry("goodput", "--goodput"),
          Map.entry("eventLoops", "--event-loops"),
          Map.entry("inputTokens", "--synthetic-input-tokens-mean/-stddev"),
          Map.entry("outputTokens", "--output-tokens-mean/-stddev"),
          Map.entry("numDatasetEntries", "--num-dataset-entries"),
          Map.entry("numPrefixPrompts", "--num-prefix-prompts"),
          Map.entry("prefixPromptLength", "--prefix-prompt-length"),
          Map.entry("inputFile", "--input-file"),
          Map.entry("serverMetricsUrl", "--server-metrics-url"),
          Map.entry("serverMetricsInterval", "--server-metrics-interval"),
          Map.entry("kvMetric", "--kv-metric"));

  /**
   * A setting named in a line of prose (a server-metrics problem, say): a camelCase name standing
   * as a word of its own, not inside a URL or a metric name. One-word settings ({@code url}, {@code
   * model}) are ordinary words in such lines and are left alone.
   */
  private static final Pattern SETTING_IN_PROSE =
      Pattern.compile("(?<![\\w:/.?=&-])([a-z]+[A-Z][A-Za-z]*)(?![\\w:/.-])");

  private Flags() {}

  /** The exception's message, naming the flag instead of the setting where one sets it. */
  static String describe(ProfileConfigException e) {
    String flag = e.setting() == null ? null : BY_SETTING.get(e.setting());
    return flag == null ? inProse(e.getMessage()) : flag + " " + inProse(e.problem());
  }

  /**
   * The line with each API setting it names as a word ({@code name one with kvMetric}) replaced by
   * the flag that sets it; core messages name settings, never flags.
   */
  static String inProse(String line) {
    Matcher m = SETTING_IN_PROSE.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String flag = BY_SETTING.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(flag == null ? m.group(1) : flag));
    }
    return m.appendTail(out).toString();
  }

  /** The warning's line, with the flag that governs it where one does. */
  static String describe(RunWarning warning) {
    String flag = warning.setting() == null ? null : BY_SETTING.get(warning.setting());
    return flag == null ? warning.message() : warning.message() + " (" + flag + ")";
  }
}
