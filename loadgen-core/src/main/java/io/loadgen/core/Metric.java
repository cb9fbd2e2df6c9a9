package io.loadgen.core;

/**
 * The per-request metrics loadgen records, with genai-perf's names, labels and definitions. Each is
 * recorded in an HdrHistogram of longs at 3 significant digits, in the metric's {@link
 * #recordedUnit} ({@link #scale} recorded units make one displayed unit).
 */
public enum Metric {
  /** First response carrying content minus the send time (open loop: the intended send time). */
  TIME_TO_FIRST_TOKEN("time_to_first_token", "Time To First Token", "ms", "ns", 1_000_000, true),
  /** Second content response minus the first. */
  TIME_TO_SECOND_TOKEN("time_to_second_token", "Time To Second Token", "ms", "ns", 1_000_000, true),
  /**
   * AIPerf's time to first output token, for reasoning models: the first response with content (an
   * answer token, not a reasoning one) minus the send time (open loop: the intended send time).
   * Recorded only for requests that reasoned; for the rest it is their TTFT.
   */
  TIME_TO_FIRST_OUTPUT_TOKEN(
      "time_to_first_output_token", "Time To First Output Token", "ms", "ns", 1_000_000, true),
  /** Last response minus the send time (open loop: the intended send time). */
  REQUEST_LATENCY("request_latency", "Request Latency", "ms", "ns", 1_000_000, false),
  /**
   * (request latency - TTFT) / (output tokens - 1): one value per request with two or more tokens.
   */
  INTER_TOKEN_LATENCY("inter_token_latency", "Inter Token Latency", "ms", "ns", 1_000_000, true),
  /** 1 / inter-token latency, per request. Recorded in milli-tokens per second. */
  OUTPUT_TOKEN_THROUGHPUT_PER_USER(
      "output_token_throughput_per_user",
      "Output Token Throughput Per User",
      "tokens/sec/user",
      "millitokens/sec/user",
      1_000,
      true),
  /**
   * Output tokens per request, counted by the profile's tokenizer over the concatenated output; for
   * a reasoning model, its answer and its reasoning together, as AIPerf counts them (every token
   * the server generated, which ITL and throughput divide by).
   */
  OUTPUT_SEQUENCE_LENGTH(
      "output_sequence_length", "Output Sequence Length", "tokens", "tokens", 1, false),
  /**
   * AIPerf's reasoning token count: the tokens of a request's reasoning ({@code
   * reasoning_content}), by the profile's tokenizer. Recorded only for requests that reasoned.
   */
  REASONING_TOKEN_COUNT(
      "reasoning_token_count", "Reasoning Token Count", "tokens", "tokens", 1, false),
  /**
   * AIPerf's output token count: the tokens of a request's answer alone, its output sequence length
   * without the reasoning. Recorded only for requests that reasoned; for the rest it is their OSL.
   */
  OUTPUT_TOKEN_COUNT("output_token_count", "Output Token Count", "tokens", "tokens", 1, false),
  /** Prompt tokens per request, counted by the profile's tokenizer. */
  INPUT_SEQUENCE_LENGTH(
      "input_sequence_length", "Input Sequence Length", "tokens", "tokens", 1, false),
  /**
   * The client's own delay in sending: the request's last byte written to the socket minus its
   * intended send time (closed loop: when the slot came free). Not genai-perf's: it shows what the
   * client adds to TTFT and latency, as wrk2's pair of latencies does, so a lagging client shows.
   * Recorded for every measured request that was written, failed ones too.
   */
  SEND_LAG("send_lag", "Send Lag", "ms", "ns", 1_000_000, false),
  /**
   * An open loop with a concurrency cap ({@link LoadMode.RequestRate#maxConcurrency()}): how long
   * each measured arrival waited for a free slot, its send minus its intended send time (0 for one
   * that found a slot). Every latency measured from the intended send already includes it; this
   * says how much of them the cap made. Recorded only for capped runs.
   */
  SLOT_WAIT("slot_wait", "Slot Wait", "ms", "ns", 1_000_000, false);

  private final String key;
  private final String label;
  private final String unit;
  private final String recordedUnit;
  private final long scale;
  private final boolean streamingOnly;

  Metric(
      String key,
      String label,
      String unit,
      String recordedUnit,
      long scale,
      boolean streamingOnly) {
    this.key = key;
    this.label = label;
    this.unit = unit;
    this.recordedUnit = recordedUnit;
    this.scale = scale;
    this.streamingOnly = streamingOnly;
  }

  /** genai-perf's JSON key, e.g. {@code time_to_first_token}. */
  public String key() {
    return key;
  }

  /** genai-perf's table label without the unit, e.g. {@code Time To First Token}. */
  public String label() {
    return label;
  }

  /** The displayed unit, e.g. {@code ms}. */
  public String unit() {
    return unit;
  }

  /** The unit of the values in the histogram, e.g. {@code ns}. */
  public String recordedUnit() {
    return recordedUnit;
  }

  /** How many recorded units make one displayed unit. */
  public long scale() {
    return scale;
  }

  /**
   * True for a measure of the client itself rather than of the server ({@link #SEND_LAG}, {@link
   * #SLOT_WAIT}): in the exports, but not a row of genai-perf's table.
   */
  public boolean clientDiagnostic() {
    return this == SEND_LAG || this == SLOT_WAIT;
  }

  /**
   * Whether the metric is recorded in a run of {@code profile}: streamed metrics in streamed runs,
   * {@link #SLOT_WAIT} in capped open loops, only request latency and the input lengths (and the
   * client's own) for embeddings and rankings, the rest always.
   */
  public boolean appliesTo(Profile profile) {
    if (!profile.endpoint().type().generative()
        && this != REQUEST_LATENCY
        && this != INPUT_SEQUENCE_LENGTH
        && this != SEND_LAG
        && this != SLOT_WAIT) {
      return false; // embeddings and rankings generate no tokens: a latency and the inputs
    }
    if (this == SLOT_WAIT) {
      return profile.load().mode() instanceof LoadMode.RequestRate rate && rate.capped();
    }
    return !streamingOnly || profile.endpoint().streaming();
  }

  /**
   * True for the metrics of reasoning models ({@link #TIME_TO_FIRST_OUTPUT_TOKEN}, {@link
   * #REASONING_TOKEN_COUNT}, {@link #OUTPUT_TOKEN_COUNT}): recorded only for requests that sent
   * reasoning, and shown only when some did.
   */
  public boolean reasoningOnly() {
    return this == TIME_TO_FIRST_OUTPUT_TOKEN
        || this == REASONING_TOKEN_COUNT
        || this == OUTPUT_TOKEN_COUNT;
  }

  /** True when the metric only means something for streamed responses. */
  public boolean streamingOnly() {
    return streamingOnly;
  }

  /**
   * The metric named by a genai-perf key ({@code --goodput time_to_first_token:100}).
   *
   * @throws ProfileConfigException for an unknown key
   */
  public static Metric fromKey(String key) {
    for (Metric metric : values()) {
      if (metric.key.equals(key)) {
        return metric;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Metric metric : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(metric.key);
    }
    throw new ProfileConfigException("unknown metric '" + key + "': use one of " + known);
  }
}
