package io.loadgen.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One finished request, as the raw export ({@code profile_export.json}) writes it. Times are
 * nanoseconds since the epoch (the run's wall-clock start plus monotonic offsets), as perf_analyzer
 * writes them.
 *
 * @param id sequence number of the request in the run, warm-up included, from 0
 * @param warmup true for warm-up requests, which no figure includes
 * @param intendedSendEpochNanos when the schedule meant to send it (closed loop: equal to the send)
 * @param sendEpochNanos when it was handed to the connection
 * @param responseEpochNanos arrival time of each response that carried content; the record keeps
 *     its own copy and hands out copies (see {@link #responseCount()} and {@link
 *     #responseEpochNanos(int)} to read it without one)
 * @param requestBody the JSON body that was sent
 * @param outputText the concatenated content of the responses
 * @param inputTokens prompt tokens by the profile's tokenizer
 * @param outputTokens output tokens by the profile's tokenizer (0 for a failed request)
 * @param serverPromptTokens the server's {@code usage.prompt_tokens}, or -1 if not sent
 * @param serverCompletionTokens the server's {@code usage.completion_tokens}, or -1 if not sent
 * @param httpStatus the response status, or 0 if none arrived
 * @param errorKind null on success, else the kind counted in {@link RunSummary#errorsByKind()}, or
 *     {@value RequestCancellation#ERROR_KIND} for a request the client cancelled on purpose
 * @param errorMessage null on success, else a one-line description
 * @param rawResponses every response as the server sent it, each with its arrival time, in order
 *     (those without content too: the role chunk, the usage chunk, {@code [DONE]}); empty when the
 *     run kept none. Each request keeps a bounded amount of text, and says which it cut
 * @param retries how many times it was sent again, on a fresh connection, because the kept-alive
 *     connection it first went out on had been closed by the server before any response (0 or 1);
 *     its times count from the first send
 * @param reasoningTokens of {@code outputTokens}, those of a reasoning model's reasoning ({@code
 *     reasoning_content}), by the profile's tokenizer; 0 when it sent none
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
    String errorMessage,
    List<RawResponse> rawResponses,
    int retries,
    int reasoningTokens) {

  public RequestRecord {
    responseEpochNanos = responseEpochNanos.clone();
    rawResponses = List.copyOf(rawResponses);
  }

  /** True when the text of some raw response was cut short to keep within the budget. */
  public boolean rawResponsesCut() {
    for (RawResponse response : rawResponses) {
      if (response.cut()) {
        return true;
      }
    }
    return false;
  }

  /** A copy of the arrival times. */
  @Override
  public long[] responseEpochNanos() {
    return responseEpochNanos.clone();
  }

  /** How many responses carried content. */
  public int responseCount() {
    return responseEpochNanos.length;
  }

  /** The arrival time of response {@code index}, from 0. */
  public long responseEpochNanos(int index) {
    return responseEpochNanos[index];
  }

  /** True when the request did not succeed: it failed, or the client cancelled it. */
  public boolean failed() {
    return errorKind != null;
  }

  /**
   * True when the client cancelled the request on purpose ({@link RequestCancellation}); its
   * responses so far are kept, but no figure counts them.
   */
  public boolean cancelled() {
    return RequestCancellation.ERROR_KIND.equals(errorKind);
  }

  /** Equal when every component is, the arrival times compared by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RequestRecord r
        && id == r.id
        && warmup == r.warmup
        && intendedSendEpochNanos == r.intendedSendEpochNanos
        && sendEpochNanos == r.sendEpochNanos
        && Arrays.equals(responseEpochNanos, r.responseEpochNanos)
        && Objects.equals(requestBody, r.requestBody)
        && Objects.equals(outputText, r.outputText)
        && inputTokens == r.inputTokens
        && outputTokens == r.outputTokens
        && serverPromptTokens == r.serverPromptTokens
        && serverCompletionTokens == r.serverCompletionTokens
        && httpStatus == r.httpStatus
        && Objects.equals(errorKind, r.errorKind)
        && Objects.equals(errorMessage, r.errorMessage)
        && rawResponses.equals(r.rawResponses)
        && retries == r.retries
        && reasoningTokens == r.reasoningTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        warmup,
        intendedSendEpochNanos,
        sendEpochNanos,
        Arrays.hashCode(responseEpochNanos),
        requestBody,
        outputText,
        inputTokens,
        outputTokens,
        serverPromptTokens,
        serverCompletionTokens,
        httpStatus,
        errorKind,
        errorMessage,
        rawResponses,
        retries,
        reasoningTokens);
  }

  @Override
  public String toString() {
    return "RequestRecord[id="
        + id
        + ", warmup="
        + warmup
        + ", responses="
        + responseEpochNanos.length
        + ", inputTokens="
        + inputTokens
        + ", outputTokens="
        + outputTokens
        + ", httpStatus="
        + httpStatus
        + ", errorKind="
        + errorKind
        + ", retries="
        + retries
        + "]";
  }
}
