package io.loadgen.core.internal.engine;

import io.loadgen.core.internal.client.ConnectionUses;
import io.loadgen.core.internal.client.Exchange;
import io.loadgen.core.internal.client.ResponseCounter;
import io.loadgen.core.internal.record.RawResponseLog;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.time.NanoClock;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the client's whole request path (HTTP client, SSE parsing, chunk decoding, output counting)
 * against a throwaway server on 127.0.0.1 before the first real send, so the client's own class
 * loading (a couple of hundred milliseconds on a cold JVM) is not charged to the target's first
 * requests. A dozen requests load every class on the path; more would only feed the just-in-time
 * compilers, which then compete with the run for CPU. Nothing is sent to the target.
 */
final class ClientWarmUp {
  /** Enough to load and link every class on the path; compiling it is the JIT's business. */
  private static final int REQUESTS = 12;

  private static final int IN_FLIGHT = 4;
  private static final int CHUNKS = 20;
  private static final long TIMEOUT_SECONDS = 20;

  private ClientWarmUp() {}

  static void run(Vertx vertx, Tokenizer tokenizer) {
    String stream = cannedStream();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body ->
                                request
                                    .response()
                                    .putHeader("content-type", "text/event-stream")
                                    .end(stream)))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    HttpClientAgent client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    try {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost("127.0.0.1")
              .setPort(server.actualPort())
              .setURI("/v1/chat/completions");
      CompletableFuture<Void> done = new CompletableFuture<>();
      AtomicInteger started = new AtomicInteger();
      AtomicInteger finished = new AtomicInteger();
      ChunkDecoder decoder = new ChunkDecoder();
      ResponseCounter counter = new ResponseCounter();
      ConnectionUses connections = new ConnectionUses();
      Buffer body = Buffer.buffer("{\"model\":\"warm-up\",\"stream\":true}");
      // var: the loop below calls the listener's own send.
      var next =
          new Exchange.Listener() {
            @Override
            public void onOutcome(
                Exchange exchange, io.loadgen.core.internal.record.Outcome outcome) {
              if (outcome.failed()) {
                done.completeExceptionally(new IllegalStateException(outcome.errorMessage()));
                return;
              }
              tokenizer.count(outcome.outputText());
              if (finished.incrementAndGet() == REQUESTS) {
                done.complete(null);
              } else if (started.get() < REQUESTS) {
                send(this);
              }
            }

            private void send(Exchange.Listener listener) {
              int id = started.getAndIncrement();
              new Exchange(
                      id,
                      true,
                      System.nanoTime(),
                      "",
                      body,
                      1,
                      ResponseTimes.firstSecondAndLast(),
                      // The raw export's path too, so that it is compiled before a run needs it.
                      new RawResponseLog(),
                      true,
                      NanoClock.system(),
                      decoder,
                      counter,
                      listener)
                  .send(client, options, connections);
            }
          };
      vertx
          .getOrCreateContext()
          .runOnContext(
              v -> {
                for (int i = 0; i < IN_FLIGHT; i++) {
                  next.send(next);
                }
              });
      done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: a warm-up that fails (no loopback, say) only leaves the client cold.
    } finally {
      client.close();
      server.close();
    }
  }

  private static String cannedStream() {
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < CHUNKS; i++) {
      stream
          .append(
              "data: {\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,")
          .append("\"delta\":{\"content\":\" warm\"},\"finish_reason\":null}]}\n\n");
    }
    return stream
        .append(
            "data: {\"id\":\"w\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":")
        .append(CHUNKS)
        .append("}}\n\ndata: [DONE]\n\n")
        .toString();
  }
}
