package io.loadgen.sim.internal;

import io.loadgen.sim.TokenSendListener;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.SplittableRandom;

/**
 * Writes one response as the engine generates it: an SSE event per token, or one JSON body at the
 * end. Confined to the response's event loop, which {@link #context()} names.
 */
final class StreamWriter implements ResponseWriter {
  private final Context context;
  private final HttpServerResponse response;
  private final CompletionRequest request;
  private final long requestId;
  private final int promptTokens;
  private final int outputTokens;
  private final boolean stoppedByLimit;
  private final int dropAfterTokens;
  private final SplittableRandom words;
  private final ChunkFormat format;
  private final TokenSendListener listener;
  private final Counters counters;
  private final StringBuilder text;
  private final StringBuilder reasoning;
  private final int reasoningTokens;
  private boolean over;

  /**
   * @param dropAfterTokens close the connection after this many tokens, to inject a fault; -1 never
   */
  StreamWriter(
      Context context,
      HttpServerResponse response,
      CompletionRequest request,
      long requestId,
      int promptTokens,
      int outputTokens,
      boolean stoppedByLimit,
      int dropAfterTokens,
      long seed,
      TokenSendListener listener,
      Counters counters,
      int reasoningTokens) {
    this.context = context;
    this.response = response;
    this.request = request;
    this.requestId = requestId;
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
    this.stoppedByLimit = stoppedByLimit;
    this.dropAfterTokens = dropAfterTokens;
    this.words = new SplittableRandom(seed);
    this.format =
        new ChunkFormat(
            request.chat(), requestId, request.model(), System.currentTimeMillis() / 1000);
    this.listener = listener;
    this.counters = counters;
    this.text = request.stream() ? null : new StringBuilder(outputTokens * 6);
    // A reasoning model thinks first and keeps at least one token of answer; chat only.
    this.reasoningTokens =
        request.chat() ? Math.min(reasoningTokens, Math.max(0, outputTokens - 1)) : 0;
    this.reasoning = request.stream() || this.reasoningTokens == 0 ? null : new StringBuilder();
  }

  @Override
  public Context context() {
    return context;
  }

  /** Sends the status and headers; for a stream, at once, as servers do before the first token. */
  void start(Runnable onClientGone) {
    counters.streamOpened();
    response.closeHandler(
        v -> {
          if (!over) {
            over = true;
            counters.streamCancelled();
            onClientGone.run();
          }
        });
    if (request.stream()) {
      response
          .setChunked(true)
          .putHeader("content-type", "text/event-stream")
          .putHeader("cache-control", "no-cache")
          .writeHead();
    }
  }

  @Override
  public void onToken(int index, long dueNanos) {
    if (over) {
      return;
    }
    int word = words.nextInt(Words.TOKENS.size());
    boolean thinking = index < reasoningTokens;
    if (request.stream()) {
      response.write(
          thinking
              ? format.reasoningEventBuffer(Words.TOKEN_BYTES[word], index == 0)
              : format.tokenEventBuffer(Words.TOKEN_BYTES[word], index == 0));
      if (listener != null) {
        listener.onTokenSent(requestId, index, dueNanos, System.nanoTime());
      }
    } else {
      (thinking ? reasoning : text).append(Words.TOKENS.get(word));
    }
    counters.tokenSent();
    if (index + 1 == dropAfterTokens) {
      // The fault: the connection goes away mid-stream, as when a server pod is killed.
      over = true;
      counters.streamCancelled();
      response.reset();
    }
  }

  @Override
  public void abort() {
    if (over) {
      return;
    }
    over = true;
    counters.streamCancelled();
    response.reset();
  }

  @Override
  public void onFinish(long dueNanos) {
    if (over) {
      return;
    }
    over = true;
    String finishReason = stoppedByLimit ? "length" : "stop";
    if (request.stream()) {
      StringBuilder tail = new StringBuilder(format.finishEvent(finishReason));
      if (request.includeUsage()) {
        tail.append(format.usageEvent(promptTokens, outputTokens));
      }
      tail.append("data: [DONE]\n\n");
      response.end(tail.toString());
    } else {
      response
          .putHeader("content-type", "application/json")
          .end(
              format.wholeBody(
                  reasoning == null ? null : reasoning.toString(),
                  text.toString(),
                  finishReason,
                  promptTokens,
                  outputTokens));
    }
    counters.streamCompleted();
  }
}
