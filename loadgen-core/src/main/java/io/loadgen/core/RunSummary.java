package io.loadgen.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The run-level figures, over measured (non-warm-up) requests, with genai-perf's definitions.
 *
 * @param requestCount requests that completed without error
 * @param errorCount requests that failed; they are left out of the distributions but never out of
 *     this count
 * @param errorsByKind failed requests by kind ({@code http_500}, {@code connection_reset}, {@code
 *     stream_error}, ...), in first-seen order
 * @param cancelledCount requests still in flight when the run was stopped (Ctrl-C, deadline); not
 *     errors, not in the distributions
 * @param benchmarkDurationNanos earliest send (open loop: intended send) to latest last response
 * @param totalOutputTokens output tokens over successful requests, by the profile's tokenizer
 * @param totalInputTokens input tokens over successful requests, by the profile's tokenizer
 * @param outputTokenThroughput total output tokens / benchmark duration, per second
 * @param requestThroughput successful requests / benchmark duration, per second
 * @param requestGoodput requests meeting every {@code --goodput} objective / benchmark duration;
 *     empty when no objective was set
 * @param serverPromptTokens sum of the server's {@code usage.prompt_tokens}, or -1 if never sent
 * @param serverCompletionTokens sum of the server's {@code usage.completion_tokens}, or -1 if never
 *     sent
 * @param interrupted true when the run was stopped before it finished
 * @param maxLoopDelayNanos the longest any of the client's event loops was kept from running during
 *     the measured phase (blocked, paused by the garbage collector, starved of a CPU), as measured
 *     by how late a task each loop runs every 20 ms ran, at worst; a lower bound, to within those
 *     20 ms. Token arrivals are stamped when the loop reads them, so a delay shifts the timings of
 *     every stream of that loop; see {@link #loopBlocked()}
 * @param abortReason null, unless loadgen stopped the run itself because the target cannot be
 *     profiled (not an OpenAI server, credentials refused, answers it cannot read): then why, on
 *     one line. The failures that decided it are counted above
 * @param retryCount times a measured request was sent again on a fresh connection because the
 *     kept-alive connection it went out on had been closed by the server before any response; each
 *     is one request, counted once, timed from its first send
 * @param cutCount measured requests still open when the grace period after the benchmark duration
 *     ran out ({@link Load#benchmarkGracePeriod()}): closed by the client, neither successes nor
 *     errors, and not in the distributions; 0 without a benchmark duration
 * @param requestCancellationCount measured requests the client cancelled on purpose ({@link
 *     RequestCancellation}): neither successes nor errors, and not in the distributions
 * @param totalReasoningTokens a reasoning model's reasoning tokens over successful requests, by the
 *     profile's tokenizer (AIPerf's total reasoning tokens); part of {@link #totalOutputTokens()},
 *     which counts every generated token, as AIPerf's total output sequence length does. 0 when no
 *     request reasoned
 * @param sessionTurns a sessions run's figures by turn number ({@link Sessions}); empty otherwise
 */
public record RunSummary(
    long requestCount,
    long errorCount,
    Map<String, Long> errorsByKind,
    long cancelledCount,
    long benchmarkDurationNanos,
    long totalOutputTokens,
    long totalInputTokens,
    double outputTokenThroughput,
    double requestThroughput,
    OptionalDouble requestGoodput,
    long serverPromptTokens,
    long serverCompletionTokens,
    boolean interrupted,
    long maxLoopDelayNanos,
    String abortReason,
    long retryCount,
    long cutCount,
    long requestCancellationCount,
    long totalReasoningTokens,
    List<TurnStats> sessionTurns) {
  /**
   * A loop delay beyond which the run's token timings are not to be trusted: ten times a healthy
   * inter-token latency, and far beyond the jitter of a loop that is merely busy.
   */
  public static final long LOOP_BLOCKED_NANOS = 100_000_000L;

  public RunSummary {
    sessionTurns = List.copyOf(sessionTurns);
    errorsByKind =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errorsByKind));
  }

  /**
   * Whether an event loop was kept from running for more than {@link #LOOP_BLOCKED_NANOS}: token
   * arrivals read during that time were stamped late, so the run's timings are suspect.
   */
  public boolean loopBlocked() {
    return maxLoopDelayNanos > LOOP_BLOCKED_NANOS;
  }

  /** True when loadgen stopped the run because the target cannot be profiled. */
  public boolean aborted() {
    return abortReason != null;
  }
}
