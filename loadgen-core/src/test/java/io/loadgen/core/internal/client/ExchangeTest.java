package io.loadgen.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.time.NanoClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link Exchange} against a server each test answers by hand, step by step, on a clock the
 * test sets: the server writes one piece, the test waits until the client has read the clock for
 * it, and only then sets the clock and writes the next. So every piece arrives in a buffer of its
 * own and every time in the outcome is one the test chose.
 *
 * <p>The exchange reads the clock when it sends, when the request's last byte is written, when the
 * response's head arrives, once per buffer of the body, and when the outcome is known; nowhere
 * else.
 */
class ExchangeTest {
  private static final long WAIT_SECONDS = 5;
  private static final String BODY = "{\"model\":\"m\",\"stream\":true}";

  private static Vertx serverVertx;
  private static HttpServer server;
  private static Vertx clientVertx;
  private static HttpClientAgent client;
  private static final BlockingQueue<Received> REQUESTS = new LinkedBlockingQueue<>();

  private final ScriptedClock clock = new ScriptedClock();

  /** Used on this test's context only, as a loop's are. */
  private final ConnectionUses connections = new ConnectionUses();

  private final ResponseCounter received = new ResponseCounter();
  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private Context clientContext;

  /** A request the server has read whole, and the context its answer is written on. */
  private record Received(HttpServerRequest request, Buffer body, Context context) {
    /** Runs {@code step} on the server's context and waits for it to have run. */
    void answer(Consumer<HttpServerResponse> step) throws Exception {
      CompletableFuture<Void> done = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            step.accept(request.response());
            done.complete(null);
          });
      done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Time the test sets; every reading is queued, so the test can wait for the next one. */
  private static final class ScriptedClock implements NanoClock {
    private volatile long now;
    private final BlockingQueue<Long> readings = new LinkedBlockingQueue<>();

    @Override
    public long nanoTime() {
      long t = now;
      readings.add(t);
      return t;
    }

    void set(long nanos) {
      now = nanos;
    }

    /** Waits for the client's next reading of the clock. */
    void awaitReading() throws InterruptedException {
      assertNotNull(
          readings.poll(WAIT_SECONDS, TimeUnit.SECONDS), "the client never read the clock");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    serverVertx = Vertx.vertx();
    server =
        serverVertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  Context context = Vertx.currentContext();
                  request
                      .body()
                      .onSuccess(body -> REQUESTS.add(new Received(request, body, context)));
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = clientVertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    serverVertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @BeforeEach
  void context() {
    REQUESTS.clear();
    clientContext = clientVertx.getOrCreateContext();
  }

  @Test
  void aStreamStampsEachBufferWithItsArrivalAndCountsItsContent() throws Exception {
    clock.set(1_000);
    Exchange exchange = exchange(7, true, ResponseTimes.every(4));
    Received r = send(exchange);
    assertEquals(BODY, r.body().toString());
    assertEquals("/v1/chat/completions", r.request().path());
    clock.awaitReading(); // sent
    clock.awaitReading(); // written

    clock.set(2_000);
    r.answer(
        response ->
            response.setChunked(true).putHeader("content-type", "text/event-stream").writeHead());
    clock.awaitReading(); // the head
    clock.set(3_000);
    r.answer(response -> response.write(chatChunk(" one")));
    clock.awaitReading();
    assertEquals(1, onClient(received::count), "content is counted as it arrives");
    assertEquals(3_000, onClient(exchange::lastProgressNanos));
    // Two events in one buffer: both arrive when it does.
    clock.set(4_000);
    r.answer(response -> response.write(chatChunk(" two") + chatChunk(" three")));
    clock.awaitReading();
    clock.set(5_000);
    r.answer(
        response ->
            response.end(
                "data: {\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":3}}\n\n"
                    + "data: [DONE]\n\n"));

    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNull(done.errorKind(), done.errorMessage());
    assertEquals(200, done.httpStatus());
    assertEquals(7, done.id());
    assertEquals(500, done.intendedNanos());
    assertEquals(1_000, done.sendNanos());
    assertEquals(1_000, done.writtenNanos());
    assertArrayEquals(new long[] {3_000, 4_000, 4_000}, done.responseTimes().toArray());
    assertEquals(5_000, done.endNanos());
    assertEquals(" one two three", done.outputText());
    assertEquals(6, done.serverPromptTokens());
    assertEquals(3, done.serverCompletionTokens());
    assertEquals(3, received.count());
    assertTrue(exchange.finished());
    assertFalse(exchange.cancel(), "a finished exchange cannot be cancelled");
    assertEquals(List.of(done), outcomes);
  }

  @Test
  void aWholeBodyIsOneResponseAtItsArrival() throws Exception {
    clock.set(1_000);
    Exchange exchange = exchange(1, false, ResponseTimes.firstSecondAndLast());
    Received r = send(exchange);
    clock.awaitReading();
    clock.awaitReading();
    clock.set(2_000);
    r.answer(
        response ->
            response
                .putHeader("content-type", "application/json")
                .end(
                    "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"all at once\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":3}}"));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNull(done.errorKind(), done.errorMessage());
    assertEquals(1, done.responseTimes().count());
    assertEquals(2_000, done.responseTimes().first());
    assertEquals("all at once", done.outputText());
    assertEquals(3, done.serverCompletionTokens());
    assertEquals(1, received.count());
  }

  @Test
  void aStatusThatIsNotSuccessFailsWithItsKindAndTheServersMessage() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.firstSecondAndLast());
    Received r = send(exchange);
    r.answer(
        response ->
            response
                .setStatusCode(429)
                .putHeader("content-type", "application/json")
                .end(
                    "{\"error\":{\"message\":\"rate limit reached\",\"type\":\"rate_limit_error\",\"code\":429}}"));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals("http_429", done.errorKind());
    assertEquals(429, done.httpStatus());
    assertTrue(
        done.errorMessage().startsWith("HTTP 429: ")
            && done.errorMessage().contains("rate limit reached"),
        done.errorMessage());
    assertEquals(0, done.responseTimes().count());
    assertEquals(0, received.count());
  }

  @Test
  void aConnectionClosedMidStreamFailsAsClosedKeepingWhatArrived() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.every(4));
    Received r = send(exchange);
    clock.awaitReading();
    clock.awaitReading();
    r.answer(
        response ->
            response.setChunked(true).putHeader("content-type", "text/event-stream").writeHead());
    clock.awaitReading();
    clock.set(3_000);
    r.answer(response -> response.write(chatChunk(" one")));
    clock.awaitReading();
    clock.set(4_000);
    r.answer(response -> r.request().connection().close());
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ErrorKinds.CONNECTION_CLOSED, done.errorKind(), done.errorMessage());
    assertEquals(200, done.httpStatus());
    assertArrayEquals(new long[] {3_000}, done.responseTimes().toArray());
    assertEquals(" one", done.outputText());
    assertEquals(4_000, done.endNanos());
  }

  @Test
  void aTimeoutFailsTheStreamOnceAndResetsItsConnection() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.every(4));
    Received r = send(exchange);
    CompletableFuture<Void> serverSawClose = streamOneChunkAt(3_000, r);
    assertEquals(3_000, onClient(exchange::lastProgressNanos), "what the idle watcher reads");
    clock.set(9_000);
    assertTrue(onClient(() -> exchange.timeOut("no data from the server for 300 ms")));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ErrorKinds.TIMEOUT, done.errorKind());
    assertEquals("no data from the server for 300 ms", done.errorMessage());
    assertEquals(9_000, done.endNanos());
    assertEquals(" one", done.outputText());
    serverSawClose.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertFalse(onClient(() -> exchange.timeOut("again")), "an exchange times out once");
    assertEquals(List.of(done), outcomes, "the reset delivers no second outcome");
  }

  @Test
  void progressIsADataEventNotTheHeadACommentOrABlankLine() throws Exception {
    // A server that trickles keep-alives but never a token must look idle to the watcher.
    clock.set(1_000);
    Exchange exchange = exchange(1, true, ResponseTimes.every(4));
    Received r = send(exchange);
    clock.awaitReading(); // sent
    clock.awaitReading(); // written
    assertEquals(1_000, onClient(exchange::lastProgressNanos), "from the write, before any event");
    clock.set(2_000);
    r.answer(
        response ->
            response.setChunked(true).putHeader("content-type", "text/event-stream").writeHead());
    clock.awaitReading();
    assertEquals(1_000, onClient(exchange::lastProgressNanos), "the head is not progress");
    clock.set(3_000);
    r.answer(response -> response.write(chatChunk(" one")));
    clock.awaitReading();
    assertEquals(3_000, onClient(exchange::lastProgressNanos));
    clock.set(4_000);
    r.answer(response -> response.write(": ping\n\n"));
    clock.awaitReading();
    clock.set(5_000);
    r.answer(response -> response.write("\n\n\n"));
    clock.awaitReading();
    clock.set(6_000);
    r.answer(response -> response.write("event: ping\n\n"));
    clock.awaitReading();
    assertEquals(
        3_000,
        onClient(exchange::lastProgressNanos),
        "a comment, blank lines and an event without data are not progress");
    clock.set(7_000);
    r.answer(
        response ->
            response.write(
                "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"));
    clock.awaitReading();
    assertEquals(7_000, onClient(exchange::lastProgressNanos), "a chunk without content is");
    assertEquals(1, onClient(received::count));
    assertTrue(onClient(() -> exchange.timeOut("done here")));
  }

  @Test
  void aCancelledStreamDeliversNoOutcomeAndResetsItsConnection() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.every(4));
    Received r = send(exchange);
    CompletableFuture<Void> serverSawClose = streamOneChunkAt(3_000, r);
    assertTrue(onClient(exchange::cancel));
    serverSawClose.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertFalse(onClient(exchange::cancel), "cancelled once");
    assertFalse(
        onClient(() -> exchange.timeOut("too late")), "a cancelled exchange does not time out");
    assertTrue(outcomes.isEmpty(), outcomes.toString());
  }

  @Test
  void aStreamWithNoContentIsAnEmptyResponse() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.firstSecondAndLast());
    Received r = send(exchange);
    r.answer(
        response ->
            response.putHeader("content-type", "text/event-stream").end("data: [DONE]\n\n"));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ErrorKinds.EMPTY_RESPONSE, done.errorKind());
    assertEquals(200, done.httpStatus());
  }

  @Test
  void aWholeJsonBodyToAStreamingRequestIsAnInvalidResponseNamingItsContentType() throws Exception {
    // A server that ignored "stream": true: its one body would pass for a single token at the end.
    Exchange exchange = exchange(1, true, ResponseTimes.firstSecondAndLast());
    Received r = send(exchange);
    r.answer(
        response ->
            response
                .putHeader("content-type", "application/json; charset=utf-8")
                .end(
                    "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"all at once\"}}]}"));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ErrorKinds.INVALID_RESPONSE, done.errorKind(), done.errorMessage());
    assertEquals(
        "the server answered a streaming request with a non-stream body"
            + " (content type application/json; charset=utf-8, not text/event-stream)",
        done.errorMessage());
    assertEquals(200, done.httpStatus());
    assertEquals(0, received.count());
  }

  @Test
  void aStreamingRequestAnsweredWithAJsonBodyWithNoContentIsNotAnEmptyResponse() throws Exception {
    Exchange exchange = exchange(1, true, ResponseTimes.firstSecondAndLast());
    Received r = send(exchange);
    r.answer(
        response ->
            response
                .putHeader("content-type", "application/json")
                .end("{\"content\":\"llama.cpp's own format\",\"stop\":true}"));
    Outcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ErrorKinds.INVALID_RESPONSE, done.errorKind(), done.errorMessage());
    assertTrue(done.errorMessage().contains("non-stream body"), done.errorMessage());
  }

  @Test
  void aRequestOnAKeptAliveConnectionTheServerClosedGoesAgainTimedFromItsFirstSend()
      throws Exception {
    // A client of its own, whose pool holds no connection an earlier test left: a first exchange
    // leaves its connection there, kept alive, and the second is sure to get it.
    HttpClientAgent own = clientVertx.createHttpClient();
    Exchange first = exchange(1, true, ResponseTimes.every(4));
    Received r1 = send(first, own);
    r1.answer(
        response ->
            response
                .putHeader("content-type", "text/event-stream")
                .end(chatChunk(" one") + "data: [DONE]\n\n"));
    assertNull(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).errorKind());
    CompletableFuture<Outcome> second = new CompletableFuture<>();
    clock.set(10_000);
    Exchange again =
        new Exchange(
            2,
            false,
            9_000,
            BODY,
            Buffer.buffer(BODY),
            6,
            ResponseTimes.every(4),
            null,
            true,
            clock,
            new ChunkDecoder(),
            received,
            (exchange, result) -> second.complete(result));
    Received stale = send(again, own);
    assertTrue(
        stale.request().connection() == r1.request().connection(),
        "the pool reused the connection");
    clock.set(11_000);
    stale.answer(response -> stale.request().connection().close());
    Received fresh = REQUESTS.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(fresh, "the request was not sent again");
    assertEquals(BODY, fresh.body().toString());
    assertFalse(fresh.request().connection() == r1.request().connection());
    clock.set(12_000);
    fresh.answer(
        response ->
            response
                .putHeader("content-type", "text/event-stream")
                .end(chatChunk(" two") + "data: [DONE]\n\n"));
    Outcome done = second.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNull(done.errorKind(), done.errorMessage());
    assertEquals(1, done.retries());
    assertEquals(9_000, done.intendedNanos());
    assertEquals(10_000, done.sendNanos(), "timed from the first send, not the retry");
    assertArrayEquals(new long[] {12_000}, done.responseTimes().toArray());
    assertEquals(" two", done.outputText());
    own.close().await();
  }

  /**
   * Answers {@code r} with a stream's head and one chunk arriving at {@code arrivalNanos}, once the
   * client has read the clock for its send and write; returns when the server sees its connection
   * close.
   */
  private CompletableFuture<Void> streamOneChunkAt(long arrivalNanos, Received r) throws Exception {
    clock.awaitReading();
    clock.awaitReading();
    CompletableFuture<Void> serverSawClose = new CompletableFuture<>();
    r.answer(
        response -> {
          r.request().connection().closeHandler(v -> serverSawClose.complete(null));
          response.setChunked(true).putHeader("content-type", "text/event-stream").writeHead();
        });
    clock.awaitReading();
    clock.set(arrivalNanos);
    r.answer(response -> response.write(chatChunk(" one")));
    clock.awaitReading();
    assertEquals(1, onClient(received::count));
    return serverSawClose;
  }

  private Exchange exchange(long id, boolean streaming, ResponseTimes times) {
    return new Exchange(
        id,
        false,
        500,
        BODY,
        Buffer.buffer(BODY),
        6,
        times,
        null,
        streaming,
        clock,
        new ChunkDecoder(),
        received,
        (exchange, result) -> {
          outcomes.add(result);
          outcome.complete(result);
        });
  }

  /**
   * Sends on the client's event loop, as the engine does, and returns the request as the server
   * read it.
   */
  private Received send(Exchange exchange) throws Exception {
    return send(exchange, client);
  }

  /** Sends on the client's event loop with {@code via}, and returns the request as received. */
  private Received send(Exchange exchange, HttpClientAgent via) throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(server.actualPort())
            .setURI("/v1/chat/completions")
            .putHeader("content-type", "application/json");
    clientContext.runOnContext(v -> exchange.send(via, options, connections));
    Received r = REQUESTS.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(r, "the server got no request");
    return r;
  }

  /**
   * Runs {@code call} on the client's event loop, where an exchange lives, and returns its answer.
   */
  private <T> T onClient(java.util.function.Supplier<T> call) throws Exception {
    CompletableFuture<T> answer = new CompletableFuture<>();
    clientContext.runOnContext(v -> answer.complete(call.get()));
    return answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static String chatChunk(String content) {
    return "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}\n\n";
  }
}
