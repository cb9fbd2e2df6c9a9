package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a run measured is lost from its exports: what the server said, failures, stops. */
@Tag("e2e")
class ExportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a server does with one request. */
  @FunctionalInterface
  private interface Answer {
    void answer(HttpExchange exchange, int requestNumber) throws IOException, InterruptedException;
  }

  /** A server on 127.0.0.1 that answers request n (from 1) with {@code answer}, on many threads. */
  private static HttpServer server(Answer answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger seen = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            answer.answer(exchange, seen.incrementAndGet());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException clientWentAway) {
            // The client reset a request it gave up on.
          }
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return server;
  }

  private static void stream(HttpExchange exchange, byte[] events) throws IOException {
    exchange.getResponseHeaders().set("content-type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(events);
    }
  }

  private static String chunk(String delta, String finishReason) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + finishReason
        + "}]}\n\n";
  }

  private static List<String> args(HttpServer server, Path dir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "profile",
                "-m",
                "m",
                "--streaming",
                "-u",
                "127.0.0.1:" + server.getAddress().getPort(),
                "--synthetic-input-tokens-mean",
                "20",
                "--server-metrics-interval",
                "0",
                "--artifact-dir",
                dir.toString()));
    args.addAll(List.of(more));
    return args;
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static Path runDirectory(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  @Test
  void theRawExportKeepsEveryResponseOfAStreamWithTheServersUsageAndTimings(@TempDir Path dir)
      throws Exception {
    // llama.cpp's last chunk carries its own timings; vLLM (include_usage) sends usage after it.
    String timings =
        "\"timings\":{\"prompt_n\":20,\"prompt_ms\":12.5,\"predicted_n\":2,\"predicted_ms\":30.25}";
    String last =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}],"
            + timings
            + "}\n\n";
    String usage =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2,\"total_tokens\":22}}\n\n";
    byte[] events =
        (chunk("{\"role\":\"assistant\"}", "null")
                + chunk("{\"content\":\" one\"}", "null")
                + chunk("{\"content\":\" two\"}", "null")
                + last
                + usage
                + "data: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);
    HttpServer server = server((exchange, n) -> stream(exchange, events));
    Run run;
    try {
      run = run(args(server, dir, "--request-count", "3"));
    } finally {
      server.stop(0);
    }
    assertEquals(0, run.exitCode(), run.err());
    JsonNode requests =
        JSON.readTree(runDirectory(dir).resolve("profile_export.json").toFile())
            .path("experiments")
            .get(0)
            .path("requests");
    assertEquals(3, requests.size());
    for (JsonNode request : requests) {
      JsonNode outputs = request.path("response_outputs");
      JsonNode timestamps = request.path("response_timestamps");
      assertEquals(6, outputs.size(), request.toString());
      assertEquals(6, timestamps.size(), "one arrival per response: " + request);
      assertTrue(outputs.get(0).path("response").asText().contains("\"role\":\"assistant\""));
      assertTrue(outputs.get(1).path("response").asText().contains("\" one\""));
      JsonNode lastChunk = JSON.readTree(outputs.get(3).path("response").asText().substring(6));
      assertEquals(30.25, lastChunk.path("timings").path("predicted_ms").asDouble());
      assertEquals(12.5, lastChunk.path("timings").path("prompt_ms").asDouble());
      JsonNode usageChunk = JSON.readTree(outputs.get(4).path("response").asText().substring(6));
      assertEquals(2, usageChunk.path("usage").path("completion_tokens").asInt());
      assertEquals("data: [DONE]", outputs.get(5).path("response").asText());
      // Arrivals on loadgen's clock, beside each text: never before the send, never backwards.
      long previous = request.path("timestamp").asLong();
      for (JsonNode timestamp : timestamps) {
        assertTrue(timestamp.asLong() >= previous, request.toString());
        previous = timestamp.asLong();
      }
      assertEquals(" one two", request.path("output_text").asText());
      assertFalse(request.has("responses_cut"));
      assertEquals(2, request.path("server_usage").path("completion_tokens").asInt());
    }
  }
}
