package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.internal.sse.SseParser;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimFaults;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("e2e")
class LoadGeneratorFailuresTest {
  /** Loaded once: a run given a tokenizer does not load (and close) its own. */
  private static Tokenizer tokenizer;

  @BeforeAll
  static void loadTokenizer() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  private static Profile.Builder profile(ScriptedServer server) {
    return profile(server.baseUri().toString());
  }

  private static Profile.Builder profile(String url) {
    return Profile.builder()
        .url(url)
        .model("test-model")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .numDatasetEntries(4)
        // These servers script every request they get: no /metrics scrapes among them.
        .serverMetricsInterval(null);
  }

  @Test
  void aFailedRequestThresholdStopsARunAgainstAFailingSimulatorWithWhatItMeasured() {
    // The simulator answers 60% of requests with 500: past a 25% threshold the run stops.
    try (SimServer sim =
        SimServer.start(
            SimConfig.preset("default")
                .seed(4)
                .warmUp(false)
                .faults(new SimFaults(0.6, 0, 0, 0, 0))
                .build())) {
      Profile threshold =
          profile(sim.baseUri().toString())
              .concurrency(2)
              .requestCount(400)
              .outputTokens(new TokenLengthDistribution(4, 0))
              .extraInput("max_tokens", 4)
              .failedRequestThreshold(25)
              .build();
      TargetUnreachableException e =
          assertThrows(
              TargetUnreachableException.class,
              () -> LoadGenerator.run(threshold, RunOptions.defaults().withTokenizer(tokenizer)));
      assertTrue(
          e.getMessage().endsWith("past the failed-request threshold of 25%; the run was stopped"),
          e.getMessage());
      RunSummary summary = e.measured().orElseThrow().summary();
      long measured = summary.requestCount() + summary.errorCount();
      assertTrue(measured >= Load.THRESHOLD_MIN_REQUESTS && measured < 400, "measured " + measured);
      assertTrue(summary.errorCount() * 4 > measured, "the failures are counted: " + summary);
      assertEquals(summary.errorCount(), summary.errorsByKind().get("http_500"));
    }
  }

  @Test
  void countsServerErrorsByKindAndFinishesTheRun() {
    AtomicInteger seen = new AtomicInteger();
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              if (seen.incrementAndGet() % 3 == 0) {
                request
                    .response()
                    .setStatusCode(500)
                    .putHeader("content-type", "application/json")
                    .end(
                        "{\"error\":{\"message\":\"engine overloaded\",\"type\":\"server_error\",\"code\":500}}");
              } else {
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .end(
                        ScriptedServer.chatChunk(" one")
                            + ScriptedServer.chatChunk(" two")
                            + "data: [DONE]\n\n");
              }
            })) {
      ProfileResult result =
          LoadGenerator.run(
              profile(server).concurrency(2).requestCount(12).build(),
              RunOptions.defaults().withTokenizer(tokenizer));
      RunSummary summary = result.summary();
      assertEquals(12, summary.requestCount() + summary.errorCount());
      assertEquals(4, summary.errorCount());
      assertEquals(Map.of("http_500", 4L), summary.errorsByKind());
      assertEquals(8, result.stats(Metric.REQUEST_LATENCY).count());
      assertEquals(2.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 1e-9);
    }
  }

  @Test
  void countsAnErrorObjectInTheStreamAsAStreamError() {
    try (ScriptedServer server =
        ScriptedServer.start(
            request ->
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .end(
                        ScriptedServer.chatChunk(" one")
                            + "data: {\"error\":{\"message\":\"out of memory\",\"code\":500}}\n\n"))) {
      ProfileResult result =
          LoadGenerator.run(
              profile(server).concurrency(1).requestCount(3).build(),
              RunOptions.defaults().withTokenizer(tokenizer));
      assertEquals(Map.of("stream_error", 3L), result.summary().errorsByKind());
      assertEquals(0, result.summary().requestCount());
    }
  }

  @Test
  void failsAStreamWhoseLineNeverEndsInsteadOfBufferingItWithoutBound() {
    AtomicInteger seen = new AtomicInteger();
    String endless = "data: " + "x".repeat(SseParser.DEFAULT_MAX_EVENT_BYTES + 1);
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              var response = request.response().putHeader("content-type", "text/event-stream");
              if (seen.incrementAndGet() == 1) {
                response.end(
                    ScriptedServer.chatChunk(" one")
                        + ScriptedServer.chatChunk(" two")
                        + "data: [DONE]\n\n");
              } else {
                response.end(ScriptedServer.chatChunk(" one") + endless);
              }
            })) {
      ProfileResult result =
          LoadGenerator.run(
              profile(server).concurrency(1).requestCount(3).build(),
              RunOptions.defaults().withTokenizer(tokenizer));
      assertEquals(Map.of("invalid_response", 2L), result.summary().errorsByKind());
      assertEquals(1, result.summary().requestCount());
    }
  }

  @Test
  void stopsWithOneClearLineWhenTheTargetIsNotAnOpenAiServer() {
    try (ScriptedServer server =
        ScriptedServer.start(
            request ->
                request
                    .response()
                    .setStatusCode(404)
                    .putHeader("content-type", "text/html")
                    .end("<html><body><h1>Not Found</h1></body></html>"))) {
      TargetUnreachableException e =
          assertThrows(
              TargetUnreachableException.class,
              () ->
                  LoadGenerator.run(
                      profile(server).concurrency(4).requestCount(100).build(),
                      RunOptions.defaults().withTokenizer(tokenizer)));
      assertTrue(e.getMessage().contains("http_404"), e.getMessage());
      assertTrue(e.getMessage().contains("OpenAI-compatible"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void aMeasurementIntervalRunNeedsThreeIncompatibleAnswersToStopAsACountedRunDoes() {
    // The first two answers are 404s, the rest streams: one 404 is no proof the target is not an
    // OpenAI server, in a run of a fixed length or of a fixed count.
    AtomicInteger seen = new AtomicInteger();
    io.vertx.core.Handler<HttpServerRequest> twoNotFoundsFirst =
        request -> {
          if (seen.incrementAndGet() <= 2) {
            request.response().setStatusCode(404).end("no route yet");
          } else {
            request
                .response()
                .putHeader("content-type", "text/event-stream")
                .end(ScriptedServer.chatChunk(" one") + "data: [DONE]\n\n");
          }
        };
    try (ScriptedServer server = ScriptedServer.start(twoNotFoundsFirst)) {
      RunSummary interval =
          LoadGenerator.run(
                  profile(server)
                      .concurrency(1)
                      .measurementInterval(java.time.Duration.ofMillis(100))
                      .build())
              .summary();
      assertEquals(Map.of("http_404", 2L), interval.errorsByKind());
      assertTrue(interval.requestCount() >= 1, interval.toString());
    }
    seen.set(0);
    try (ScriptedServer server = ScriptedServer.start(twoNotFoundsFirst)) {
      RunSummary counted =
          LoadGenerator.run(profile(server).concurrency(1).requestCount(5).build()).summary();
      assertEquals(Map.of("http_404", 2L), counted.errorsByKind());
      assertEquals(3, counted.requestCount());
    }
  }

  @Test
  void aMeasurementIntervalRunAgainstANonOpenAiServerStopsWithOneClearLine() {
    AtomicInteger seen = new AtomicInteger();
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              seen.incrementAndGet();
              request
                  .response()
                  .setStatusCode(404)
                  .putHeader("content-type", "text/html")
                  .end("<h1>Not Found</h1>");
            })) {
      TargetUnreachableException e =
          assertThrows(
              TargetUnreachableException.class,
              () ->
                  LoadGenerator.run(
                      profile(server)
                          .concurrency(1)
                          .measurementInterval(java.time.Duration.ofSeconds(30))
                          .build()));
      assertTrue(
          e.getMessage().contains("http_404") && e.getMessage().contains("OpenAI-compatible"),
          e.getMessage());
      // Three answers decide; at most one more was on its way when they did.
      assertTrue(seen.get() >= 3 && seen.get() <= 4, "requests " + seen.get());
    }
  }

  /** A whole stream of two content chunks, as every scripted answer below sends. */
  private static void streamTwoChunks(HttpServerRequest request) {
    request
        .response()
        .putHeader("content-type", "text/event-stream")
        .end(
            ScriptedServer.chatChunk(" one")
                + ScriptedServer.chatChunk(" two")
                + "data: [DONE]\n\n");
  }

  @Test
  void sendsARequestOnceMoreOnAFreshConnectionWhenAKeptAliveOneWasClosedUnderIt() {
    AtomicInteger closedUnder = new AtomicInteger();
    java.util.List<RequestRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    RequestRecordSink sink =
        new RequestRecordSink() {
          @Override
          public void accept(RequestRecord record) {
            records.add(record);
          }

          @Override
          public void close() {}
        };
    try (ScriptedServer server =
        ScriptedServer.start(
            ScriptedServer.closingAfterEachResponse(
                LoadGeneratorFailuresTest::streamTwoChunks, closedUnder))) {
      RunSummary summary =
          LoadGenerator.run(
                  profile(server).concurrency(4).requestCount(40).build(),
                  RunOptions.defaults().withTokenizer(tokenizer).withRecordSink(sink))
              .summary();
      assertEquals(Map.of(), summary.errorsByKind());
      assertEquals(40, summary.requestCount());
      assertTrue(closedUnder.get() > 0, "the client never reused a connection");
      // Every request the server closed a connection under was sent again, once, and counted.
      assertEquals(closedUnder.get(), summary.retryCount());
      assertEquals(40 + closedUnder.get(), server.pendingRequestCount());
      assertEquals(40, records.size());
      assertEquals(closedUnder.get(), records.stream().mapToInt(RequestRecord::retries).sum());
      assertTrue(records.stream().allMatch(r -> r.retries() <= 1 && !r.failed()));
    }
  }

  @Test
  void neverSendsAgainARequestWhoseResponseHadBegunOrThatWentOutOnANewConnection() {
    // On each connection: the first request is answered, except the very first, whose connection
    // is closed unanswered (new, so not retried); the second gets the head and a chunk, then the
    // connection closes (the response had begun, so not retried).
    AtomicInteger seen = new AtomicInteger();
    java.util.Map<io.vertx.core.http.HttpConnection, Integer> onConnection =
        new java.util.concurrent.ConcurrentHashMap<>();
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              int n = onConnection.merge(request.connection(), 1, Integer::sum);
              if (seen.incrementAndGet() == 1) {
                request.connection().close();
              } else if (n == 1) {
                streamTwoChunks(request);
              } else {
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .setChunked(true)
                    .write(ScriptedServer.chatChunk(" one"))
                    .onComplete(v -> request.connection().close());
              }
            })) {
      RunSummary summary =
          LoadGenerator.run(
                  profile(server).concurrency(1).requestCount(4).build(),
                  RunOptions.defaults().withTokenizer(tokenizer))
              .summary();
      assertEquals(Map.of("connection_closed", 2L), summary.errorsByKind());
      assertEquals(2, summary.requestCount());
      assertEquals(0, summary.retryCount());
      assertEquals(4, server.pendingRequestCount(), "the server got each request once");
    }
  }

  @Test
  void aServerThatDiedIsBackedOffFromInsteadOfSpendingTheRunInMilliseconds() throws Exception {
    // One answer, then the server is gone: it stops listening before it answers, so every later
    // connection is refused. The refusals are spaced 50, 100 and 200 ms apart rather than burning
    // the count at once.
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> answered =
          CompletableFuture.supplyAsync(() -> answerOnceThenDie(listener));
      long start = System.nanoTime();
      RunSummary summary =
          LoadGenerator.run(
                  profile("127.0.0.1:" + listener.getLocalPort())
                      .concurrency(1)
                      .requestCount(5)
                      .build(),
                  RunOptions.defaults().withTokenizer(tokenizer))
              .summary();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, answered.get(10, TimeUnit.SECONDS));
      assertEquals(1, summary.requestCount());
      assertEquals(Map.of("connection_refused", 4L), summary.errorsByKind(), "all counted");
      assertTrue(
          summary.benchmarkDurationNanos() >= 350_000_000L,
          "benchmark duration " + summary.benchmarkDurationNanos() / 1e6 + " ms");
      assertTrue(elapsedMillis < 3_000, "took " + elapsedMillis + " ms");
    }
  }

  @Test
  void aServerThatWentAwayForTheIdleLimitStopsTheRun() throws Exception {
    // One answer, then every connection refused: backed off, the run would take a refusal every
    // 2 s for its remaining 48 requests; after refusals for the idle limit (400 ms) it stops.
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> answered =
          CompletableFuture.supplyAsync(() -> answerOnceThenDie(listener));
      TargetUnreachableException e =
          assertThrows(
              TargetUnreachableException.class,
              () ->
                  LoadGenerator.run(
                      profile("127.0.0.1:" + listener.getLocalPort())
                          .concurrency(1)
                          .requestCount(50)
                          .requestTimeout(Duration.ofMillis(400))
                          .build(),
                      RunOptions.defaults().withTokenizer(tokenizer)));
      assertEquals(1, answered.get(10, TimeUnit.SECONDS));
      assertEquals(
          "the server went away: every connection was refused for 400 ms after it had answered;"
              + " the run was stopped",
          e.getMessage());
      RunSummary summary = e.measured().orElseThrow().summary();
      assertEquals(1, summary.requestCount());
      long refused = summary.errorsByKind().get("connection_refused");
      assertTrue(refused >= 4 && refused <= 8, "stopped early, not after 49: " + refused);
    }
  }

  /**
   * Accepts until a connection carries a request (the run's reachability check sends none), reads
   * it whole, closes the listener, answers with one chunk and closes; returns the requests served.
   */
  private static int answerOnceThenDie(ServerSocket listener) {
    try {
      while (true) {
        try (Socket socket = listener.accept()) {
          InputStream in = socket.getInputStream();
          String head = readHead(in);
          if (head.isEmpty()) {
            continue;
          }
          java.util.regex.Matcher length =
              java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
          in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
          listener.close();
          String body = ScriptedServer.chatChunk(" one") + "data: [DONE]\n\n";
          socket
              .getOutputStream()
              .write(
                  ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n"
                          + "content-length: "
                          + body.length()
                          + "\r\n\r\n"
                          + body)
                      .getBytes(StandardCharsets.UTF_8));
          return 1;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A request's head up to its blank line, or "" for a connection closed before one. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    for (int b; (b = in.read()) >= 0; ) {
      head.append((char) b);
      if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
        return head.toString();
      }
    }
    return "";
  }

  @Test
  void aRetryAfterOn503HoldsTheNextSendThatLongAndTheRequestCountsAsFailed() {
    AtomicInteger seen = new AtomicInteger();
    long[] arrivals = new long[3];
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              int n = seen.getAndIncrement();
              arrivals[n] = System.nanoTime();
              if (n == 1) {
                request
                    .response()
                    .setStatusCode(503)
                    .putHeader("retry-after", "1")
                    .end("{\"error\":{\"message\":\"loading model\"}}");
              } else {
                streamTwoChunks(request);
              }
            })) {
      RunSummary summary =
          LoadGenerator.run(
                  profile(server).concurrency(1).requestCount(3).build(),
                  RunOptions.defaults().withTokenizer(tokenizer))
              .summary();
      assertEquals(Map.of("http_503", 1L), summary.errorsByKind());
      assertEquals(2, summary.requestCount());
      long waitedMillis = (arrivals[2] - arrivals[1]) / 1_000_000;
      assertTrue(waitedMillis >= 1_000, "the next send came " + waitedMillis + " ms later");
    }
  }

  @Test
  void refusesToStartWhenNothingListensAtTheTarget() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Profile profile = Profile.builder().url("127.0.0.1:" + port).model("m").build();
    TargetUnreachableException e =
        assertThrows(
            TargetUnreachableException.class,
            () -> LoadGenerator.run(profile, RunOptions.defaults().withTokenizer(tokenizer)));
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
  }

  @Test
  void measuresOpenLoopLatencyFromTheIntendedSendSoAStalledServerShows() {
    // The server answers one request at a time, 50 ms each, while requests arrive every 10 ms:
    // the k-th request waits behind k others, so its latency from its intended send is about
    // 50 (k + 1) - 10 k ms. A client that timed from a late send would hide that queue.
    Queue<HttpServerRequest> queue = new ArrayDeque<>();
    boolean[] busy = {false};
    try (ScriptedServer server =
        ScriptedServer.start(
            new io.vertx.core.Handler<>() {
              @Override
              public void handle(HttpServerRequest request) {
                queue.add(request);
                next();
              }

              private void next() {
                if (busy[0] || queue.isEmpty()) {
                  return;
                }
                busy[0] = true;
                HttpServerRequest request = queue.poll();
                io.vertx.core.Vertx.currentContext()
                    .owner()
                    .setTimer(
                        50,
                        id -> {
                          request
                              .response()
                              .putHeader("content-type", "text/event-stream")
                              .end(ScriptedServer.chatChunk(" done") + "data: [DONE]\n\n");
                          busy[0] = false;
                          next();
                        });
              }
            })) {
      ProfileResult result =
          LoadGenerator.run(
              profile(server).requestRate(100, LoadMode.Arrivals.CONSTANT).requestCount(10).build(),
              RunOptions.defaults().withTokenizer(tokenizer));
      // Last request: intended at 90 ms, answered at about 500 ms: latency about 410 ms.
      MetricStats latency = result.stats(Metric.REQUEST_LATENCY);
      assertTrue(latency.max() >= 350, "max latency " + latency.max());
      assertTrue(latency.min() >= 45, "min latency " + latency.min());
    }
  }

  @Test
  void countsAServerThatStopsAnsweringAsTimeouts() {
    try (ScriptedServer server =
        ScriptedServer.start(
            request ->
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .setChunked(true)
                    .write(ScriptedServer.chatChunk(" first")))) {
      ProfileResult result =
          LoadGenerator.run(
              profile(server)
                  .concurrency(2)
                  .requestCount(2)
                  .requestTimeout(java.time.Duration.ofMillis(300))
                  .build(),
              RunOptions.defaults().withTokenizer(tokenizer));
      assertEquals(Map.of("timeout", 2L), result.summary().errorsByKind());
    }
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerThatTricklesKeepAlivesButNoTokensTimesOutAndIsSaidOnce() {
    // A comment and blank lines every 50 ms, six times within the idle limit, and never a token
    // after the first: bytes keep coming, progress does not.
    try (ScriptedServer server = ScriptedServer.start(LoadGeneratorFailuresTest::trickleComments)) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      List<RequestRecord> records = new CopyOnWriteArrayList<>();
      ProfileResult result =
          LoadGenerator.run(
              profile(server)
                  .concurrency(2)
                  .requestCount(2)
                  .eventLoops(1)
                  .requestTimeout(Duration.ofMillis(300))
                  .build(),
              RunOptions.defaults()
                  .withTokenizer(tokenizer)
                  .withWarningListener(warnings::add)
                  .withRecordSink(records::add));
      assertEquals(Map.of("timeout", 2L), result.summary().errorsByKind());
      assertEquals(
          List.of(
              new RunWarning(
                  "requestTimeout",
                  "the server sent no data for 300 ms on 2 requests; they count as timeout")),
          warnings);
      records.forEach(
          r -> assertEquals("no data from the server for 300 ms", r.errorMessage(), r.toString()));
    }
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerThatStoppedAnsweringStopsTheRunAfterAWholeLoadOfSilentRequests() {
    // Two answers, then the server takes every request and never answers it: without the rule the
    // run waits out the idle limit 19 times, two requests at a time.
    AtomicInteger seen = new AtomicInteger();
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              if (seen.incrementAndGet() <= 2) {
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .end(ScriptedServer.chatChunk(" hi") + "data: [DONE]\n\n");
              }
            })) {
      List<RequestRecord> records = new CopyOnWriteArrayList<>();
      TargetUnreachableException e =
          assertThrows(
              TargetUnreachableException.class,
              () ->
                  LoadGenerator.run(
                      profile(server)
                          .concurrency(4)
                          .requestCount(40)
                          .warmupRequestCount(0)
                          .eventLoops(1)
                          .requestTimeout(Duration.ofMillis(300))
                          .build(),
                      RunOptions.defaults().withTokenizer(tokenizer).withRecordSink(records::add)));
      assertTrue(
          e.getMessage().startsWith("the server stopped answering: ")
              && e.getMessage().contains(" requests in a row got no data for 300 ms"),
          e.getMessage());
      RunSummary summary = e.measured().orElseThrow().summary();
      assertEquals(2, summary.requestCount());
      long silent = summary.errorsByKind().get("timeout");
      assertTrue(silent >= 4 && silent <= 8, "one or two waves of four, not 38: " + silent);
      assertTrue(seen.get() < 20, "the run stopped sending: " + seen.get());
      assertEquals(e.getMessage(), summary.abortReason());
    }
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerThatStreamsForEverRunsIntoTheDeadline() {
    // A token every 50 ms, never an end: the idle limit never fires, the deadline does.
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              HttpServerResponse response =
                  request
                      .response()
                      .putHeader("content-type", "text/event-stream")
                      .setChunked(true);
              Vertx vertx = Vertx.currentContext().owner();
              long timer =
                  vertx.setPeriodic(50, id -> response.write(ScriptedServer.chatChunk(" more")));
              response.closeHandler(v -> vertx.cancelTimer(timer));
            })) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      List<RequestRecord> records = new CopyOnWriteArrayList<>();
      ProfileResult result =
          LoadGenerator.run(
              profile(server)
                  .concurrency(1)
                  .requestCount(1)
                  .requestTimeout(Duration.ofMillis(300))
                  .requestDeadline(Duration.ofMillis(700))
                  .build(),
              RunOptions.defaults()
                  .withTokenizer(tokenizer)
                  .withWarningListener(warnings::add)
                  .withRecordSink(records::add));
      assertEquals(Map.of("timeout", 1L), result.summary().errorsByKind());
      assertEquals(
          "not finished within the request deadline of 700 ms", records.get(0).errorMessage());
      assertTrue(
          records.get(0).responseEpochNanos().length > 3,
          "it was streaming: " + records.get(0).responseEpochNanos().length);
      assertEquals(
          List.of(
              new RunWarning(
                  "requestDeadline",
                  "the request deadline of 700 ms ran out on 1 request; it counts as timeout")),
          warnings);
    }
  }

  /** A stream head, one token, then a comment and blank lines every 50 ms until the client goes. */
  private static void trickleComments(HttpServerRequest request) {
    HttpServerResponse response =
        request.response().putHeader("content-type", "text/event-stream").setChunked(true);
    response.write(ScriptedServer.chatChunk(" first"));
    Vertx vertx = Vertx.currentContext().owner();
    long timer = vertx.setPeriodic(50, id -> response.write(": ping\n\n\n"));
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }
}
