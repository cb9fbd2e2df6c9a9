package io.loadgen.core.internal.record;

import io.loadgen.core.Metric;
import io.loadgen.core.RunSummary;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * Accumulates the measured requests of a run into one HdrHistogram per metric (3 significant
 * digits, auto-resizing, so memory does not grow with the request count), each metric's values over
 * time in {@link IntervalHistograms} (by the time each request ended), and the run-level totals.
 * Confined to one thread: the recorder thread.
 */
public final class MetricsRecorder {
  private final boolean streaming;
  private final Map<Metric, Double> goodput;
  private final Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
  // A sessions run's turns, by number: TTFT, latency and the sum of input lengths of each.
  private final java.util.TreeMap<Integer, Turn> turns = new java.util.TreeMap<>();

  private static final class Turn {
    final Histogram timeToFirstToken = new Histogram(3);
    final Histogram requestLatency = new Histogram(3);
    long inputTokens;

    void add(Turn other) {
      timeToFirstToken.add(other.timeToFirstToken);
      requestLatency.add(other.requestLatency);
      inputTokens += other.inputTokens;
    }
  }

  private final Map<Metric, IntervalHistograms> intervals = new EnumMap<>(Metric.class);
  private final Map<String, Long> errorsByKind = new LinkedHashMap<>();
  private long requestCount;
  private long errorCount;
  private long retryCount;
  private long cancellationCount;
  private long totalReasoningTokens;
  private long goodCount;
  private long totalOutputTokens;
  private long totalInputTokens;
  private long serverPromptTokens = -1;
  private long serverCompletionTokens = -1;
  private long comparedTokenizerTokens;
  private long comparedServerTokens;
  private long earliestStartNanos = Long.MAX_VALUE;
  private long latestEndNanos = Long.MIN_VALUE;

  /**
   * @param streaming whether streaming-only metrics are recorded
   * @param goodput objectives per metric in the displayed unit; empty for no goodput
   */
  public MetricsRecorder(boolean streaming, Map<Metric, Double> goodput) {
    this(streaming, goodput, 0);
  }

  /**
   * @param streaming whether streaming-only metrics are recorded
   * @param goodput objectives per metric in the displayed unit; empty for no goodput
   * @param originNanos where the intervals of {@link #intervals} start, on the requests' clock
   */
  public MetricsRecorder(boolean streaming, Map<Metric, Double> goodput, long originNanos) {
    this.streaming = streaming;
    this.goodput = goodput;
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
      intervals.put(metric, new IntervalHistograms(originNanos));
    }
  }

  /** Records a successful measured request. */
  public void recordSuccess(
      long startNanos, RequestTimings timings, int inputTokens, int outputTokens, long endNanos) {
    requestCount++;
    totalInputTokens += inputTokens;
    totalOutputTokens += outputTokens;
    earliestStartNanos = Math.min(earliestStartNanos, startNanos);
    latestEndNanos = Math.max(latestEndNanos, endNanos);
    record(Metric.REQUEST_LATENCY, timings.requestLatency(), endNanos);
    record(Metric.INPUT_SEQUENCE_LENGTH, inputTokens, endNanos);
    record(Metric.OUTPUT_SEQUENCE_LENGTH, outputTokens, endNanos);
    if (streaming) {
      record(Metric.TIME_TO_FIRST_TOKEN, timings.timeToFirstToken(), endNanos);
      record(Metric.TIME_TO_SECOND_TOKEN, timings.timeToSecondToken(), endNanos);
      record(Metric.INTER_TOKEN_LATENCY, timings.interTokenLatency(), endNanos);
      record(
          Metric.OUTPUT_TOKEN_THROUGHPUT_PER_USER,
          timings.outputTokenThroughputPerUserMilli(),
          endNanos);
    }
    if (!goodput.isEmpty() && meetsObjectives(timings, outputTokens)) {
      goodCount++;
    }
  }

  /** Records a successful request of a sessions run by its turn number (from 1). */
  public void recordTurn(int turn, RequestTimings timings, int inputTokens) {
    Turn stats = turns.computeIfAbsent(turn, t -> new Turn());
    stats.inputTokens += inputTokens;
    if (timings.requestLatency() != RequestTimings.ABSENT) {
      stats.requestLatency.recordValue(Math.max(0, timings.requestLatency()));
    }
    if (streaming && timings.timeToFirstToken() != RequestTimings.ABSENT) {
      stats.timeToFirstToken.recordValue(Math.max(0, timings.timeToFirstToken()));
    }
  }

  private java.util.List<io.loadgen.core.TurnStats> turnStats() {
    java.util.List<io.loadgen.core.TurnStats> out = new java.util.ArrayList<>();
    turns.forEach(
        (number, turn) -> {
          long count = turn.requestLatency.getTotalCount();
          Histogram ttft = turn.timeToFirstToken;
          Histogram latency = turn.requestLatency;
          boolean timed = ttft.getTotalCount() > 0;
          out.add(
              new io.loadgen.core.TurnStats(
                  number,
                  count,
                  count == 0 ? 0 : (double) turn.inputTokens / count,
                  timed ? ttft.getMean() / 1e6 : Double.NaN,
                  timed ? ttft.getValueAtPercentile(50) / 1e6 : Double.NaN,
                  timed ? ttft.getValueAtPercentile(99) / 1e6 : Double.NaN,
                  count == 0 ? Double.NaN : latency.getMean() / 1e6,
                  count == 0 ? Double.NaN : latency.getValueAtPercentile(50) / 1e6,
                  count == 0 ? Double.NaN : latency.getValueAtPercentile(99) / 1e6));
        });
    return out;
  }

  /**
   * Records a successful request's reasoning: its reasoning tokens, its answer's tokens, and its
   * time to first output token ({@link RequestTimings#ABSENT} when no answer came), as AIPerf
   * defines them. Only for requests that sent reasoning.
   */
  public void recordReasoning(
      int reasoningTokens, int answerTokens, long timeToFirstOutputNanos, long endNanos) {
    totalReasoningTokens += reasoningTokens;
    record(Metric.REASONING_TOKEN_COUNT, reasoningTokens, endNanos);
    record(Metric.OUTPUT_TOKEN_COUNT, answerTokens, endNanos);
    if (streaming) {
      record(Metric.TIME_TO_FIRST_OUTPUT_TOKEN, timeToFirstOutputNanos, endNanos);
    }
  }

  /**
   * Adds a measured request's output length by the tokenizer and by the server's {@code usage}, to
   * compare the two at the end.
   */
  public void recordTokenCountComparison(long tokenizerTokens, long serverTokens) {
    comparedTokenizerTokens += tokenizerTokens;
    comparedServerTokens += serverTokens;
  }

  /** The tokenizer's output tokens over the requests the server also counted. */
  public long comparedTokenizerTokens() {
    return comparedTokenizerTokens;
  }

  /** The server's output tokens over those requests. */
  public long comparedServerTokens() {
    return comparedServerTokens;
  }

  /** Records the server's {@code usage} of a measured request, when it sent one. */
  public void recordServerUsage(long promptTokens, long completionTokens) {
    if (promptTokens >= 0) {
      serverPromptTokens = Math.max(serverPromptTokens, 0) + promptTokens;
    }
    if (completionTokens >= 0) {
      serverCompletionTokens = Math.max(serverCompletionTokens, 0) + completionTokens;
    }
  }

  /**
   * Records the client's send lag of a measured request, success or failure: written minus
   * intended. Nothing for a request that was never written.
   *
   * @param endNanos when the request ended (its last response, or its failure): its interval
   */
  public void recordSendLag(long intendedNanos, long writtenNanos, long endNanos) {
    if (writtenNanos >= 0) {
      record(Metric.SEND_LAG, writtenNanos - intendedNanos, endNanos);
    }
  }

  /**
   * Records how long a measured arrival of a capped open loop waited for a slot: its send minus its
   * intended send ({@link Metric#SLOT_WAIT}).
   */
  public void recordSlotWait(long intendedNanos, long sendNanos, long endNanos) {
    record(Metric.SLOT_WAIT, sendNanos - intendedNanos, endNanos);
  }

  /** Counts the times a measured request was sent again (see {@link RunSummary#retryCount()}). */
  public void recordRetries(int retries) {
    retryCount += retries;
  }

  /**
   * Adds everything {@code other} recorded to this recorder, as if this one had recorded it: the
   * run's loops each record their own requests and are added together at the end.
   */
  public void addAll(MetricsRecorder other) {
    requestCount += other.requestCount;
    errorCount += other.errorCount;
    retryCount += other.retryCount;
    cancellationCount += other.cancellationCount;
    totalReasoningTokens += other.totalReasoningTokens;
    other.turns.forEach((number, turn) -> turns.computeIfAbsent(number, t -> new Turn()).add(turn));
    goodCount += other.goodCount;
    totalOutputTokens += other.totalOutputTokens;
    totalInputTokens += other.totalInputTokens;
    if (other.serverPromptTokens >= 0) {
      serverPromptTokens = Math.max(serverPromptTokens, 0) + other.serverPromptTokens;
    }
    if (other.serverCompletionTokens >= 0) {
      serverCompletionTokens = Math.max(serverCompletionTokens, 0) + other.serverCompletionTokens;
    }
    comparedTokenizerTokens += other.comparedTokenizerTokens;
    comparedServerTokens += other.comparedServerTokens;
    earliestStartNanos = Math.min(earliestStartNanos, other.earliestStartNanos);
    latestEndNanos = Math.max(latestEndNanos, other.latestEndNanos);
    other.errorsByKind.forEach((kind, count) -> errorsByKind.merge(kind, count, Long::sum));
    other.histograms.forEach((metric, histogram) -> histograms.get(metric).add(histogram));
    other.intervals.forEach((metric, series) -> intervals.get(metric).addAll(series));
  }

  /**
   * Counts a failed measured request. It stays out of the distributions but its span counts in the
   * benchmark duration, which covers every measured request.
   *
   * @param endNanos when the failure was seen
   */
  public void recordFailure(String kind, long startNanos, long endNanos) {
    errorCount++;
    earliestStartNanos = Math.min(earliestStartNanos, startNanos);
    latestEndNanos = Math.max(latestEndNanos, endNanos);
    errorsByKind.merge(kind, 1L, Long::sum);
  }

  /**
   * Counts a measured request the client cancelled on purpose. As a failure, it stays out of the
   * distributions and its span counts in the benchmark duration; it is not an error.
   */
  public void recordCancellation(long startNanos, long endNanos) {
    cancellationCount++;
    earliestStartNanos = Math.min(earliestStartNanos, startNanos);
    latestEndNanos = Math.max(latestEndNanos, endNanos);
  }

  private void record(Metric metric, long value, long endNanos) {
    if (value != RequestTimings.ABSENT) {
      histograms.get(metric).recordValue(Math.max(0, value));
      intervals.get(metric).record(Math.max(0, value), endNanos);
    }
  }

  private boolean meetsObjectives(RequestTimings timings, int outputTokens) {
    for (Map.Entry<Metric, Double> objective : goodput.entrySet()) {
      Metric metric = objective.getKey();
      long value = valueOf(metric, timings, outputTokens);
      if (value == RequestTimings.ABSENT) {
        return false;
      }
      double displayed = (double) value / metric.scale();
      // Throughput is better when higher; every other objective is an upper bound.
      boolean met =
          metric == Metric.OUTPUT_TOKEN_THROUGHPUT_PER_USER
              ? displayed >= objective.getValue()
              : displayed <= objective.getValue();
      if (!met) {
        return false;
      }
    }
    return true;
  }

  private static long valueOf(Metric metric, RequestTimings timings, int outputTokens) {
    switch (metric) {
      case TIME_TO_FIRST_TOKEN:
        return timings.timeToFirstToken();
      case TIME_TO_SECOND_TOKEN:
        return timings.timeToSecondToken();
      case REQUEST_LATENCY:
        return timings.requestLatency();
      case INTER_TOKEN_LATENCY:
        return timings.interTokenLatency();
      case OUTPUT_TOKEN_THROUGHPUT_PER_USER:
        return timings.outputTokenThroughputPerUserMilli();
      case OUTPUT_SEQUENCE_LENGTH:
        return outputTokens;
      default:
        return RequestTimings.ABSENT;
    }
  }

  /** The histograms recorded so far; owned by this recorder. */
  public Map<Metric, Histogram> histograms() {
    return histograms;
  }

  /**
   * {@code metric}'s values in intervals, from the one holding {@code fromNanos}: see {@link
   * IntervalHistograms#intervals}.
   */
  public List<Histogram> intervals(Metric metric, long originEpochNanos, long fromNanos) {
    return intervals.get(metric).intervals(originEpochNanos, fromNanos);
  }

  public long requestCount() {
    return requestCount;
  }

  public long errorCount() {
    return errorCount;
  }

  /**
   * The run-level figures over what was recorded; {@code abortReason} null unless loadgen stopped
   * the run because the target cannot be profiled.
   */
  public RunSummary summary(
      long cancelledCount,
      long cutCount,
      boolean interrupted,
      long maxLoopDelayNanos,
      String abortReason) {
    long duration =
        requestCount + errorCount + cancellationCount == 0
            ? 0
            : latestEndNanos - earliestStartNanos;
    double seconds = duration / 1e9;
    return new RunSummary(
        requestCount,
        errorCount,
        errorsByKind,
        cancelledCount,
        duration,
        totalOutputTokens,
        totalInputTokens,
        seconds > 0 ? totalOutputTokens / seconds : 0,
        seconds > 0 ? requestCount / seconds : 0,
        goodput.isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of(seconds > 0 ? goodCount / seconds : 0),
        serverPromptTokens,
        serverCompletionTokens,
        interrupted,
        maxLoopDelayNanos,
        abortReason,
        retryCount,
        cutCount,
        cancellationCount,
        totalReasoningTokens,
        turnStats());
  }
}
