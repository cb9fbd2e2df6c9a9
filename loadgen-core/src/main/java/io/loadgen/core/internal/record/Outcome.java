package io.loadgen.core.internal.record;

/**
 * Everything the engine knows about a finished request, handed from the event loop to the recorder
 * thread, which tokenises the output and records it. Times are monotonic nanoseconds.
 *
 * @param writtenNanos when the request's last byte was written to the socket, or -1 if it never was
 *     (no connection, say)
 * @param responseTimes content response arrival times, no longer written to
 * @param endNanos when the outcome was known: the last response, or the failure
 * @param errorKind null on success
 * @param rawResponses every response as the server sent it, when a record sink reads them; else
 *     null
 * @param retries how many times the request was sent again after a kept-alive connection turned out
 *     to be closed (0 or 1); its times count from the first send
 * @param retryAfter the {@code Retry-After} header of a response that was not a success, or null
 * @param reasoningText a reasoning model's thinking ({@code reasoning_content}), apart from the
 *     output text; null when the server sent none
 * @param firstOutputNanos when the first response with content (not reasoning) arrived, or -1 if
 *     none did
 */
public record Outcome(
    long id,
    boolean warmup,
    long intendedNanos,
    long sendNanos,
    long writtenNanos,
    long endNanos,
    ResponseTimes responseTimes,
    String outputText,
    String requestBody,
    int inputTokens,
    long serverPromptTokens,
    long serverCompletionTokens,
    int httpStatus,
    String errorKind,
    String errorMessage,
    RawResponseLog rawResponses,
    int retries,
    String retryAfter,
    String reasoningText,
    long firstOutputNanos) {

  /** True when the request failed; not when the client cancelled it on purpose. */
  public boolean failed() {
    return errorKind != null && !cancelledByClient();
  }

  /**
   * True when the client cancelled the request on purpose ({@code --request-cancellation-rate}).
   */
  public boolean cancelledByClient() {
    return io.loadgen.core.RequestCancellation.ERROR_KIND.equals(errorKind);
  }
}
