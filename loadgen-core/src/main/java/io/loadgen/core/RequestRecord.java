package io.loadgen.core;

/**
 * One finished request, as the raw export ({@code profile_export.json}) writes it. Times are
 * nanoseconds since the epoch (the run's wall-clock start plus monotonic offsets), as perf_analyzer
 * writes them.
 *
 * @param id sequence number of the request in the run, warm-up included, from 0
 * @param warmup true for warm-up requests, which no figure includes
 * @param intendedSendEpochNanos when the schedule meant to send it (closed loop: equal to the send)
 * @param sendEpochNanos when it was handed to the connection
 * @param responseEpochNanos arrival time of each response that carried content
 * @param requestBody the JSON body that was sent
 * @param outputText the concatenated content of the responses
 * @param inputTokens prompt tokens by the profile's tokenizer
 * @param outputTokens output tokens by the profile's tokenizer (0 for a failed request)
 * @param serverPromptTokens the server's {@code usage.prompt_tokens}, or -1 if not sent
 * @param serverCompletionTokens the server's {@code usage.completion_tokens}, or -1 if not sent
 * @param httpStatus the response status, or 0 if none arrived
 * @param errorKind null on success, else the kind counted in {@link RunSummary#errorsByKind()}
 * @param errorMessage null on success, else a one-line description
 */
public record RequestRecord(
    long id,
    boolean warmup,
    long intendedSendEpochNanos,
    long sendEpochNanos,
    long[] responseEpochNanos,
    String requestBody,
    String outputText,
    int inputTokens,
    int outputTokens,
    long serverPromptTokens,
    long serverCompletionTokens,
    int httpStatus,
    String errorKind,
    String errorMessage) {

  /** True when the request failed. */
  public boolean failed() {
    return errorKind != null;
  }
}
