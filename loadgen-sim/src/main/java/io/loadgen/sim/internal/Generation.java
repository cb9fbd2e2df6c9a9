package io.loadgen.sim.internal;

import io.loadgen.sim.TokenSendListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.SplittableRandom;

/**
 * One response being generated: its tokens are written as they fall due on the timing model's
 * schedule, which is fixed in absolute times at arrival, so timer lateness never accumulates.
 * Confined to the server's event loop.
 */
final class Generation {
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final CompletionRequest request;
  private final long requestId;
  private final int promptTokens;
  private final int outputTokens;
  private final boolean stoppedByLimit;
  private final long firstDueNanos;
  private final long intervalNanos;
  private final SplittableRandom words;
  private final ChunkFormat format;
  private final TokenSendListener listener;
  private final Counters counters;
  private final StringBuilder text;
  private int next;
  private long timerId = -1;
  private boolean over;

  Generation(
      Vertx vertx,
      HttpServerResponse response,
      CompletionRequest request,
      long requestId,
      int promptTokens,
      int outputTokens,
      boolean stoppedByLimit,
      long arrivalNanos,
      TimingModel timing,
      long seed,
      TokenSendListener listener,
      Counters counters) {
    this.vertx = vertx;
    this.response = response;
    this.request = request;
    this.requestId = requestId;
    this.promptTokens = promptTokens;
    this.outputTokens = outputTokens;
    this.stoppedByLimit = stoppedByLimit;
    this.firstDueNanos = arrivalNanos + timing.timeToFirstTokenNanos(promptTokens);
    this.intervalNanos = timing.interTokenIntervalNanos();
    this.words = new SplittableRandom(seed);
    this.format = new ChunkFormat(request.chat(), requestId, request.model(), System.currentTimeMillis() / 1000);
    this.listener = listener;
    this.counters = counters;
    this.text = request.stream() ? null : new StringBuilder(outputTokens * 6);
  }

  void start() {
    counters.streamOpened();
    response.closeHandler(v -> cancel());
    if (request.stream()) {
      response.setChunked(true).putHeader("content-type", "text/event-stream")
          .putHeader("cache-control", "no-cache");
    }
    scheduleNext();
  }

  private long dueNanos(int token) {
    return firstDueNanos + token * intervalNanos;
  }

  private void scheduleNext() {
    long now = System.nanoTime();
    while (!over && next < outputTokens && dueNanos(next) <= now) {
      emit(next++, now);
      now = System.nanoTime();
    }
    if (over) {
      return;
    }
    if (next == outputTokens) {
      finish();
      return;
    }
    long delayMillis = Math.max(1, (dueNanos(next) - now + 999_999) / 1_000_000);
    timerId = vertx.setTimer(delayMillis, id -> {
      timerId = -1;
      scheduleNext();
    });
  }

  private void emit(int token, long now) {
    String word = Words.TOKENS.get(words.nextInt(Words.TOKENS.size()));
    if (request.stream()) {
      response.write(format.tokenEvent(word, token == 0));
      if (listener != null) {
        listener.onTokenSent(requestId, token, dueNanos(token), System.nanoTime());
      }
    } else {
      text.append(word);
    }
    counters.tokenSent();
  }

  private void finish() {
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
      response.putHeader("content-type", "application/json")
          .end(format.wholeBody(text.toString(), finishReason, promptTokens, outputTokens));
    }
    counters.streamCompleted();
  }

  private void cancel() {
    if (over) {
      return;
    }
    over = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    counters.streamCancelled();
  }
}
