package io.loadgen.core;

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
 * @param retryCount times a measured request was sent again on a fresh connection because the
 *     kept-alive connection it went out on had been closed by the server before any response; each
 *     is one request, counted once, timed from its first send
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
    long retryCount) {

  public RunSummary {
    errorsByKind =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errorsByKind));
  }
}
