package io.loadgen.tokenizer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process stand-in for the Hugging Face Hub (or a CDN) on 127.0.0.1: it answers each path as
 * told, 404 otherwise, and records every request it gets.
 */
final class FakeHub implements AutoCloseable {
  record Request(String path, String authorization) {}

  private record Answer(int status, Map<String, String> headers, byte[] body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private FakeHub(HttpServer server) {
    this.server = server;
  }

  static FakeHub start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeHub hub = new FakeHub(server);
      server.createContext("/", hub::handle);
      server.start();
      return hub;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers GET {@code rawPath} with {@code status}, {@code headers} and {@code body}. */
  FakeHub answer(String rawPath, int status, Map<String, String> headers, byte[] body) {
    answers.put(rawPath, new Answer(status, headers, body));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Authorization")));
      Answer answer = answers.getOrDefault(path, new Answer(404, Map.of(), new byte[0]));
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(
          answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
