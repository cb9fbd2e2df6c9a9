package io.loadgen.sim.internal;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Answers an embeddings or ranking request once the engine has run it: its inputs are prefilled, as
 * an encoder model's are, and the one step that ends the prefill gives the answer. The vectors and
 * scores are made up, but seeded by the text, so the same input gets the same answer; their timing
 * is the engine's.
 */
final class RetrievalWriter implements ResponseWriter {
  /** Dimensions of a simulated embedding: enough for its shape, small enough to write fast. */
  private static final int DIMENSIONS = 8;

  private final Context context;
  private final HttpServerResponse response;
  private final RetrievalRequest request;
  private final int promptTokens;
  private final Counters counters;
  private final long seed;
  private boolean over;

  RetrievalWriter(
      Context context,
      HttpServerResponse response,
      RetrievalRequest request,
      int promptTokens,
      long seed,
      Counters counters) {
    this.context = context;
    this.response = response;
    this.request = request;
    this.promptTokens = promptTokens;
    this.seed = seed;
    this.counters = counters;
  }

  @Override
  public Context context() {
    return context;
  }

  /**
   * Opens the response's accounting; {@code onClientGone} frees the sequence if the client goes.
   */
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
  }

  @Override
  public void onToken(int index, long dueNanos) {
    // The one "token" of a prefill-only sequence: nothing to send until it finishes.
  }

  @Override
  public void onFinish(long dueNanos) {
    if (over) {
      return;
    }
    over = true;
    response
        .putHeader("content-type", "application/json")
        .end(request.ranking() ? rankings() : embeddings());
    counters.streamCompleted();
  }

  @Override
  public void abort() {
    if (!over) {
      over = true;
      counters.streamCancelled();
      response.reset();
    }
  }

  private String embeddings() {
    StringBuilder out = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < request.texts().size(); i++) {
      SplittableRandom random = new SplittableRandom(seed ^ request.texts().get(i).hashCode());
      out.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i);
      out.append(",\"embedding\":[");
      for (int d = 0; d < DIMENSIONS; d++) {
        out.append(d == 0 ? "" : ",")
            .append(String.format(Locale.ROOT, "%.6f", random.nextDouble(-1, 1)));
      }
      out.append("]}");
    }
    return out.append("],\"model\":\"")
        .append(escape(request.model()))
        .append("\",\"usage\":{\"prompt_tokens\":")
        .append(promptTokens)
        .append(",\"total_tokens\":")
        .append(promptTokens)
        .append("}}")
        .toString();
  }

  /** NIM's answer: the passages by index with a logit each, best first. */
  private String rankings() {
    List<double[]> scored = new ArrayList<>();
    for (int i = 0; i < request.texts().size(); i++) {
      long textSeed = seed ^ (31L * request.query().hashCode() + request.texts().get(i).hashCode());
      scored.add(new double[] {i, new SplittableRandom(textSeed).nextDouble(-10, 10)});
    }
    scored.sort((a, b) -> Double.compare(b[1], a[1]));
    StringBuilder out = new StringBuilder("{\"rankings\":[");
    for (int i = 0; i < scored.size(); i++) {
      out.append(i == 0 ? "" : ",")
          .append("{\"index\":")
          .append((int) scored.get(i)[0])
          .append(",\"logit\":")
          .append(String.format(Locale.ROOT, "%.6f", scored.get(i)[1]))
          .append('}');
    }
    return out.append("],\"usage\":{\"prompt_tokens\":")
        .append(promptTokens)
        .append(",\"total_tokens\":")
        .append(promptTokens)
        .append("}}")
        .toString();
  }

  private static String escape(String text) {
    return new String(
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text));
  }
}
