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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing a run measured is lost from its exports: what the server said, failures, stops. */
@Tag("e2e")
class ExportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 20;

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

  @ParameterizedTest
  @ValueSource(strings = {"html-404", "invalid-utf8", "endless-line"})
  void aRunStoppedAsIncompatibleStillWritesEveryExportWithItsFailures(
      String answer, @TempDir Path dir) throws Exception {
    HttpServer server =
        server(
            (exchange, n) -> {
              switch (answer) {
                case "html-404" -> {
                  byte[] body =
                      "<html><body>Welcome to nginx!</body></html>"
                          .getBytes(StandardCharsets.UTF_8);
                  exchange.getResponseHeaders().set("content-type", "text/html");
                  exchange.sendResponseHeaders(404, body.length);
                  exchange.getResponseBody().write(body);
                }
                case "invalid-utf8" -> {
                  byte[] head =
                      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                          .getBytes(StandardCharsets.US_ASCII);
                  byte[] tail = "\"}}]}\n\n".getBytes(StandardCharsets.US_ASCII);
                  byte[] events = new byte[head.length + 2 + tail.length];
                  System.arraycopy(head, 0, events, 0, head.length);
                  events[head.length] = (byte) 0xC3; // a lead byte, then no continuation
                  events[head.length + 1] = (byte) 0x28;
                  System.arraycopy(tail, 0, events, head.length + 2, tail.length);
                  stream(exchange, events);
                }
                default -> {
                  byte[] line = new byte[17 << 20];
                  java.util.Arrays.fill(line, (byte) 'x');
                  System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 6);
                  stream(exchange, line);
                }
              }
            });
    Run run;
    try {
      run = run(args(server, dir, "--request-count", "10"));
    } finally {
      server.stop(0);
    }
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("OpenAI-compatible"), run.err());
    Path level = runDirectory(dir);
    assertTrue(Files.size(level.resolve("profile_export.json")) > 0, "the raw export is empty");
    JsonNode requests =
        JSON.readTree(level.resolve("profile_export.json").toFile())
            .path("experiments")
            .get(0)
            .path("requests");
    // Three incompatible answers decide; each is in the raw export with what went wrong.
    assertEquals(3, requests.size(), requests.toString());
    String kind = answer.equals("html-404") ? "http_404" : "invalid_response";
    for (JsonNode request : requests) {
      assertEquals(kind, request.path("error").path("kind").asText(), request.toString());
    }
    if (answer.equals("html-404")) {
      assertTrue(
          requests
              .get(0)
              .path("response_outputs")
              .get(0)
              .path("response")
              .asText()
              .contains("nginx"),
          requests.toString());
    }
    JsonNode summary = JSON.readTree(level.resolve("profile_export_genai_perf.json").toFile());
    assertEquals(3, summary.path("error_count").path("avg").asInt(), summary.toString());
    assertEquals(3, summary.path("error_count").path("errors_by_kind").path(kind).asInt());
    assertTrue(summary.path("aborted").asBoolean());
    assertTrue(
        summary.path("abort_reason").asText().contains("OpenAI-compatible"), summary.toString());
    String csv = Files.readString(level.resolve("profile_export_genai_perf.csv"));
    assertTrue(csv.contains("Error Count (count),3\r\n"), csv);
    assertTrue(csv.contains("Errors: " + kind + " (count),3\r\n"), csv);
    assertTrue(csv.contains("Aborted,true\r\n"), csv);
    assertTrue(Files.size(level.resolve("request_latency.hlog")) > 0);
  }

  /** Hands the test the hook that Ctrl-C would run, instead of the JVM. */
  private static final class HookHand implements InterruptHooks {
    private final CountDownLatch added = new CountDownLatch(1);
    private volatile Thread hook;

    @Override
    public void add(Thread hook) {
      this.hook = hook;
      added.countDown();
    }

    @Override
    public void remove(Thread hook) {}

    /** Runs the hook as the JVM does on Ctrl-C: starts it and waits for it to end. */
    void interrupt() throws InterruptedException {
      assertTrue(added.await(WAIT_SECONDS, TimeUnit.SECONDS), "no hook was installed");
      hook.start();
      hook.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(hook.isAlive(), "the hook did not end");
    }
  }

  @Test
  void ctrlCInASweepLeavesTheSweepSummaryOfTheLevelsThatRanMarkedInterrupted(@TempDir Path dir)
      throws Exception {
    CountDownLatch secondLevelSent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    byte[] events =
        (chunk("{\"content\":\" one\"}", "null") + "data: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);
    // Level 1 (concurrency 1) gets its 2 answers; level 2's requests are held, unanswered.
    HttpServer server =
        server(
            (exchange, n) -> {
              if (n <= 2) {
                stream(exchange, events);
              } else {
                secondLevelSent.countDown();
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
              }
            });
    HookHand hooks = new HookHand();
    List<String> args = args(server, dir, "--concurrency", "1,2,4", "--request-count", "2");
    ExecutorService cli = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> code =
          cli.submit(
              () ->
                  LoadgenCommand.commandLine(
                          new PrintWriter(new StringWriter(), true),
                          new PrintWriter(new StringWriter(), true),
                          PerfAnalyzerArgs.of(args.toArray(String[]::new)),
                          hooks)
                      .execute(PerfAnalyzerArgs.withoutPassthrough(args.toArray(String[]::new))));
      assertTrue(secondLevelSent.await(WAIT_SECONDS, TimeUnit.SECONDS));
      hooks.interrupt();
      // The JVM halts once its hooks have returned: this is what Ctrl-C leaves on disk.
      JsonNode summary = JSON.readTree(dir.resolve("sweep_summary.json").toFile());
      assertTrue(summary.path("interrupted").asBoolean(), summary.toString());
      assertEquals("concurrency 2", summary.path("interrupted_level").asText());
      assertEquals("concurrency 4", summary.path("levels_not_run").get(0).asText());
      JsonNode levels = summary.path("levels");
      assertEquals(2, levels.size(), summary.toString());
      assertEquals(2, levels.get(0).path("requests").asInt());
      assertFalse(levels.get(0).path("interrupted").asBoolean());
      assertTrue(levels.get(1).path("interrupted").asBoolean());
      // One table: a header and a row per level that ran, the cut one marked in its column.
      String csv = Files.readString(dir.resolve("sweep_summary.csv"));
      List<String> lines = List.of(csv.split("\r\n", -1));
      assertEquals(
          4, lines.size(), csv); // header, 2 levels, and the empty string after the last CRLF
      assertTrue(lines.get(0).endsWith(",interrupted"), csv);
      assertTrue(lines.get(1).endsWith(",false") && lines.get(2).endsWith(",true"), csv);
      JsonNode cut =
          JSON.readTree(
              dir.resolve("m-openai-chat-concurrency2/profile_export_genai_perf.json").toFile());
      assertTrue(cut.path("interrupted").asBoolean());
      assertEquals(2, cut.path("cancelled_count").path("avg").asInt());
      release.countDown();
      code.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      cli.shutdownNow();
      server.stop(0);
    }
  }
}
