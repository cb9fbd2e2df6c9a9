package io.loadgen.core;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;

/**
 * A tiny HTTP server on 127.0.0.1 whose every answer a test writes by hand: for the failure modes
 * the simulated server has no knob for (malformed streams, non-OpenAI answers).
 */
final class ScriptedServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private ScriptedServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a server whose requests (body already read) go to {@code handler}. */
  static ScriptedServer start(Handler<HttpServerRequest> handler) {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> handler.handle(request)))
        .listen(0, "127.0.0.1")
        .await();
    return new ScriptedServer(vertx, server);
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /** An OpenAI chat chunk carrying {@code content}, as an SSE event. */
  static String chatChunk(String content) {
    return "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
  }
}
