package io.loadgen.core;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on 127.0.0.1 whose every answer a test writes by hand: for the failure modes
 * the simulated server has no knob for (malformed streams, non-OpenAI answers). It also records
 * every request it receives, in the order their bodies arrived, as OkHttp's {@code MockWebServer}
 * does, so a test can assert on what was sent.
 */
final class ScriptedServer implements AutoCloseable {
  /** Long enough for any request a finished run sent; only a broken test waits this long. */
  private static final long TAKE_TIMEOUT_SECONDS = 10;

  private final Vertx vertx;
  private final HttpServer server;
  private final BlockingQueue<RecordedRequest> received;

  /**
   * One request as the server received it.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param path the request path, without the query
   * @param uri the path with the query, as on the request line
   * @param headers every header, names case-insensitive, values in the order sent
   * @param body the body, decoded as UTF-8 (empty when there was none)
   */
  record RecordedRequest(String method, String path, String uri, MultiMap headers, String body) {
    /** The first value of header {@code name} (any case), or null when it was not sent. */
    String header(String name) {
      return headers.get(name);
    }
  }

  private ScriptedServer(Vertx vertx, HttpServer server, BlockingQueue<RecordedRequest> received) {
    this.vertx = vertx;
    this.server = server;
    this.received = received;
  }

  /**
   * Starts a server whose requests (body already read) go to {@code handler}, each recorded before
   * the handler sees it.
   */
  static ScriptedServer start(Handler<HttpServerRequest> handler) {
    return start((request, body) -> handler.handle(request));
  }

  /** As {@link #start(Handler)}, the handler also given the request's body. */
  static ScriptedServer start(java.util.function.BiConsumer<HttpServerRequest, String> handler) {
    Vertx vertx = Vertx.vertx();
    BlockingQueue<RecordedRequest> received = new LinkedBlockingQueue<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              String text = body.toString(StandardCharsets.UTF_8);
                              received.add(
                                  new RecordedRequest(
                                      request.method().name(),
                                      request.path(),
                                      request.uri(),
                                      MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                                      text));
                              handler.accept(request, text);
                            }))
            .listen(0, "127.0.0.1")
            .await();
    return new ScriptedServer(vertx, server, received);
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * The oldest request not yet taken, waiting for one to arrive if none has. A run that has
   * finished has had every one of its requests received, so after {@code LoadGenerator.run} this
   * never waits.
   *
   * @throws AssertionError when none arrives within {@value #TAKE_TIMEOUT_SECONDS} s
   */
  RecordedRequest takeRequest() {
    try {
      RecordedRequest request = received.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (request == null) {
        throw new AssertionError("no request arrived within " + TAKE_TIMEOUT_SECONDS + " s");
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request", e);
    }
  }

  /** Requests received and not yet taken. */
  int pendingRequestCount() {
    return received.size();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /**
   * A server that announces keep-alive ({@code Connection: keep-alive}, {@code Keep-Alive:
   * timeout=5, max=100}) but, as llama.cpp's does, closes each connection after its first response:
   * the first request on a connection goes to {@code answer}, and a later one on the same
   * connection (the client reused a connection it thought alive) finds it closed, with no byte of a
   * response. Closing when that request arrives, rather than just after the response, makes the
   * client's reuse certain instead of a race with the close. {@code closedUnder} counts those
   * requests.
   */
  static Handler<HttpServerRequest> closingAfterEachResponse(
      Handler<HttpServerRequest> answer, java.util.concurrent.atomic.AtomicInteger closedUnder) {
    java.util.Map<io.vertx.core.http.HttpConnection, Boolean> answered =
        java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    return request -> {
      if (answered.putIfAbsent(request.connection(), true) != null) {
        closedUnder.incrementAndGet();
        request.connection().close();
        return;
      }
      request
          .response()
          .putHeader("connection", "keep-alive")
          .putHeader("keep-alive", "timeout=5, max=100");
      answer.handle(request);
    };
  }

  /** An OpenAI chat chunk carrying {@code content}, as an SSE event. */
  static String chatChunk(String content) {
    return "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}\n\n";
  }
}
