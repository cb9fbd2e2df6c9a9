package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.TargetUnreachableException;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine over two event loops against an in-process server that decides when each request is
 * answered. Every assertion follows from what the server did; the server holds requests, rather
 * than the test waiting for time to pass.
 */
class LoadEngineTest {
  private static final int LOOPS = 2;
  private static final long WAIT_SECONDS = 10;

  private static Tokenizer tokenizer;
  private static Vertx serverVertx;

  @BeforeAll
  static void load() {
    tokenizer = Tokenizer.bundled();
    // One event loop: the server's handlers run one at a time, so its counts need no lock.
    serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterAll
  static void close() throws Exception {
    serverVertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    tokenizer.close();
  }

  @Test
  void aClosedLoopHoldsExactlyItsConcurrencyInFlightAndNeverMore() throws Exception {
    int concurrency = 5;
    int count = 40;
    // The server holds every request until it holds the concurrency, then answers them all. With
    // the engine's own counters read at that moment: everything it sent has arrived.
    List<HttpServerRequest> held = new ArrayList<>();
    int[] received = {0};
    int[] maxHeld = {0};
    List<String> atEachBatch = new ArrayList<>();
    AtomicReference<LoadEngine> engine = new AtomicReference<>();
    try (TestServer server =
        TestServer.start(
            request -> {
              received[0]++;
              held.add(request);
              maxHeld[0] = Math.max(maxHeld[0], held.size());
              if (held.size() == concurrency) {
                atEachBatch.add(
                    "sent " + engine.get().sent() + " in flight " + engine.get().inFlight());
                held.forEach(LoadEngineTest::answerOneToken);
                held.clear();
              }
            })) {
      EngineRun run =
          new EngineRun(profile(server).concurrency(concurrency).requestCount(count).build());
      engine.set(run.engine);
      RunSummary summary = run.result().summary();
      assertEquals(count, summary.requestCount());
      assertEquals(0, summary.errorCount());
      assertEquals(concurrency, server.call(() -> maxHeld[0]));
      List<String> expected = new ArrayList<>();
      for (int batch = 1; batch <= count / concurrency; batch++) {
        expected.add("sent " + batch * concurrency + " in flight " + concurrency);
      }
      assertEquals(expected, server.call(() -> List.copyOf(atEachBatch)));
      assertEquals(count, server.call(() -> received[0]));
    }
  }

  @Test
  void theRequestCountIsHonouredAndTheWarmUpLeftOutOfTheResults() throws Exception {
    // Warm-up requests come first (the measured phase starts once they have all finished): the
    // server answers them with one token and the rest with two, so a warm-up in the figures shows.
    int warmup = 3;
    int count = 10;
    int[] received = {0};
    try (TestServer server =
        TestServer.start(
            request -> {
              received[0]++;
              String content =
                  received[0] <= warmup ? chatChunk(" one") : chatChunk(" one") + chatChunk(" two");
              request
                  .response()
                  .putHeader("content-type", "text/event-stream")
                  .end(content + "data: [DONE]\n\n");
            })) {
      ProfileResult result =
          new EngineRun(
                  profile(server)
                      .concurrency(2)
                      .warmupRequestCount(warmup)
                      .requestCount(count)
                      .build())
              .result();
      assertEquals(count, result.summary().requestCount());
      assertEquals(0, result.summary().errorCount());
      assertEquals(count, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).count());
      assertEquals(2.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).min(), 1e-9);
      assertEquals(warmup + count, server.call(() -> received[0]));
    }
  }

  @Test
  void stopMidRunCountsWhatWasInFlightAsCancelledNotAsErrors() throws Exception {
    int concurrency = 4;
    CompletableFuture<Void> allHeld = new CompletableFuture<>();
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    int[] received = {0};
    try (TestServer server =
        TestServer.start(
            request -> {
              received[0]++;
              CompletableFuture<Void> gone = new CompletableFuture<>();
              request.connection().closeHandler(v -> gone.complete(null));
              closed.add(gone);
              if (received[0] == concurrency) {
                allHeld.complete(null);
              }
            })) {
      EngineRun run =
          new EngineRun(profile(server).concurrency(concurrency).requestCount(100).build());
      CompletableFuture<ProfileResult> result = run.start();
      allHeld.get(WAIT_SECONDS, TimeUnit.SECONDS);
      run.engine.stop();
      RunSummary summary = run.await(result).summary();
      assertEquals(concurrency, summary.cancelledCount());
      assertEquals(0, summary.errorCount());
      assertEquals(Map.of(), summary.errorsByKind());
      assertEquals(0, summary.requestCount());
      assertTrue(summary.interrupted());
      // The client abandoned each request it had sent, and sent no other.
      CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(concurrency, server.call(() -> received[0]));
    }
  }

  @Test
  void aMeasurementIntervalRunStopsAfterThreeIncompatibleAnswersAsALongCountedRunDoes()
      throws Exception {
    for (Profile.Builder profile :
        List.of(
            Profile.builder().measurementInterval(Duration.ofSeconds(60)),
            Profile.builder().requestCount(1000))) {
      int[] received = {0};
      try (TestServer server =
          TestServer.start(
              request -> {
                received[0]++;
                request.response().setStatusCode(404).end("Not Found");
              })) {
        EngineRun run = new EngineRun(target(profile, server).concurrency(1).build());
        TargetUnreachableException e =
            assertInstanceOf(TargetUnreachableException.class, run.failure());
        assertTrue(e.getMessage().contains("http_404"), e.getMessage());
        // The third 404 decides; the fourth request may have been on its way, and was abandoned.
        int seen = server.call(() -> received[0]);
        assertTrue(seen == 3 || seen == 4, "requests " + seen);
      }
    }
  }

  @Test
  void aShortCountedRunStopsWhenAllItsRequestsWereIncompatible() throws Exception {
    try (TestServer server =
        TestServer.start(request -> request.response().setStatusCode(401).end())) {
      EngineRun run = new EngineRun(profile(server).concurrency(2).requestCount(2).build());
      TargetUnreachableException e =
          assertInstanceOf(TargetUnreachableException.class, run.failure());
      assertTrue(
          e.getMessage().contains("http_401") && e.getMessage().contains("OPENAI_API_KEY"),
          e.getMessage());
    }
  }

  @Test
  void aLoopKeptFromRunningIsMeasuredAndFlagsTheRun() throws Exception {
    // As a loop blocked by a slow task or a GC pause would be: when the first request arrives,
    // every client loop is given 300 ms of work it cannot put down; the answer goes once they are
    // free, and the second request's round trip lets each loop's overdue check run before the end.
    long blockMillis = 300;
    AtomicReference<EngineRun> run = new AtomicReference<>();
    int[] received = {0};
    try (TestServer server =
        TestServer.start(
            request -> {
              if (++received[0] > 1) {
                answerOneToken(request);
                return;
              }
              io.vertx.core.Context serverContext = Vertx.currentContext();
              List<CompletableFuture<Void>> blocks = new ArrayList<>();
              for (ContextInternal loop : run.get().contexts) {
                CompletableFuture<Void> block = new CompletableFuture<>();
                blocks.add(block);
                loop.runOnContext(
                    v -> {
                      blockFor(blockMillis);
                      block.complete(null);
                    });
              }
              CompletableFuture.allOf(blocks.toArray(CompletableFuture[]::new))
                  .thenRun(() -> serverContext.runOnContext(v -> answerOneToken(request)));
            })) {
      run.set(new EngineRun(profile(server).concurrency(1).requestCount(2).build()));
      RunSummary summary = run.get().result().summary();
      assertEquals(2, summary.requestCount());
      assertTrue(
          summary.maxLoopDelayNanos()
              >= TimeUnit.MILLISECONDS.toNanos(blockMillis) - LoopDriver.HEARTBEAT_NANOS,
          "delay " + summary.maxLoopDelayNanos());
      assertTrue(summary.loopBlocked());
    }
  }

  /** Keeps the calling thread busy for {@code millis}, as a task that will not yield. */
  private static void blockFor(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aServerHasStoppedAnsweringWhenAWholeLoadsWorthOfRequestsWasSilent() {
    Duration minute = Duration.ofSeconds(60);
    assertEquals(50, LoadEngine.silentToAbort(new LoadMode.Concurrency(50), minute));
    assertEquals(3, LoadEngine.silentToAbort(new LoadMode.Concurrency(1), minute), "at least 3");
    // Open loop: the arrivals of one idle limit.
    LoadMode tenPerSecond = new LoadMode.RequestRate(10, LoadMode.Arrivals.CONSTANT);
    assertEquals(600, LoadEngine.silentToAbort(tenPerSecond, minute));
    assertEquals(5, LoadEngine.silentToAbort(tenPerSecond, Duration.ofMillis(500)));
    LoadMode slow = new LoadMode.RequestRate(0.01, LoadMode.Arrivals.CONSTANT);
    assertEquals(3, LoadEngine.silentToAbort(slow, minute));
    LoadMode fastest = new LoadMode.RequestRate(1e6, LoadMode.Arrivals.CONSTANT);
    assertEquals(Integer.MAX_VALUE, LoadEngine.silentToAbort(fastest, Duration.ofDays(365)));
  }

  @Test
  void theAbortRuleCountsTheWholeRunAndNeedsThreeWithoutACount() {
    LoadMode closed = new LoadMode.Concurrency(1);
    assertEquals(
        3, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 0, -1, 1_000_000_000L, 0)));
    assertEquals(
        3, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 5, -1, 1_000_000_000L, 0)));
    assertEquals(3, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 0, 100, 0, 0)));
    assertEquals(2, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 0, 2, 0, 0)));
    assertEquals(2, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 1, 1, 0, 0)));
    assertEquals(1, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 0, 1, 0, 0)));
    assertEquals(1, LoadEngine.abortThreshold(new Pacer.Plan(closed, null, 0, 0, 0, 0)));
    assertEquals(
        2, LoadEngine.abortThreshold(new Pacer.Plan(closed, new long[] {0, 10}, 0, -1, 0, 0)));
  }

  private static Profile.Builder profile(TestServer server) {
    return target(Profile.builder(), server);
  }

  private static Profile.Builder target(Profile.Builder builder, TestServer server) {
    return builder
        .url(server.baseUri())
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .numDatasetEntries(4)
        .randomSeed(5);
  }

  private static void answerOneToken(HttpServerRequest request) {
    request
        .response()
        .putHeader("content-type", "text/event-stream")
        .end(chatChunk(" one") + "data: [DONE]\n\n");
  }

  private static String chatChunk(String content) {
    return "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}\n\n";
  }

  /**
   * The engine of one profile over {@link #LOOPS} event loops, wired as a run wires it, with
   * connection pools larger than any concurrency here: only the engine limits what is in flight.
   */
  private static final class EngineRun {
    final Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS).setWorkerPoolSize(1));
    final Recording recording;
    final LoadEngine engine;
    final List<ContextInternal> contexts = new ArrayList<>();

    EngineRun(Profile profile) {
      List<HttpClientAgent> clients = new ArrayList<>();
      VertxInternal internal = (VertxInternal) vertx;
      for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
        contexts.add(
            internal.contextBuilder().withEventLoop((io.netty.channel.EventLoop) loop).build());
        clients.add(
            vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64)));
      }
      RequestOptions target =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost(profile.endpoint().url().getHost())
              .setPort(profile.endpoint().url().getPort())
              .setURI("/v1/chat/completions")
              .putHeader("content-type", "application/json");
      recording =
          new Recording(
              profile,
              io.loadgen.core.RunOptions.defaults().withTokenizer(tokenizer),
              LOOPS,
              0,
              System.nanoTime());
      engine =
          new LoadEngine(
              profile,
              contexts,
              clients,
              List.of(target),
              Dataset.of(profile, tokenizer),
              recording);
    }

    CompletableFuture<ProfileResult> start() {
      return engine
          .start()
          .thenCompose(recording::finish)
          .thenApply(Runs::failIfAborted)
          .whenComplete((r, e) -> vertx.close());
    }

    ProfileResult await(CompletableFuture<ProfileResult> result) throws Exception {
      return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    ProfileResult result() throws Exception {
      return await(start());
    }

    /** What the run failed with; it must fail. */
    Throwable failure() throws Exception {
      ExecutionException e = assertThrows(ExecutionException.class, this::result);
      return e.getCause();
    }
  }

  /** An HTTP server on 127.0.0.1 whose requests (body read) go to a handler, on one event loop. */
  private static final class TestServer implements AutoCloseable {
    private final HttpServer server;

    private TestServer(HttpServer server) {
      this.server = server;
    }

    static TestServer start(Handler<HttpServerRequest> handler) throws Exception {
      HttpServer server =
          serverVertx
              .createHttpServer()
              .requestHandler(request -> request.body().onSuccess(body -> handler.handle(request)))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(WAIT_SECONDS, TimeUnit.SECONDS);
      return new TestServer(server);
    }

    String baseUri() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    /** Runs {@code read} on the server's event loop, where its handler's state lives. */
    <T> T call(java.util.concurrent.Callable<T> read) throws Exception {
      CompletableFuture<T> value = new CompletableFuture<>();
      serverVertx.runOnContext(
          v -> {
            try {
              value.complete(read.call());
            } catch (Exception e) {
              value.completeExceptionally(e);
            }
          });
      return value.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      server.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
