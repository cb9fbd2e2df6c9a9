package io.loadgen.core.internal.client;

import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.RawResponseLog;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.sse.OutputText;
import io.loadgen.core.internal.sse.SseParser;
import io.loadgen.core.internal.time.NanoClock;
import io.netty.buffer.ByteBuf;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One request and its response, from send to outcome. Lives on the engine's event loop: every
 * method runs there, so it needs no synchronisation.
 *
 * <p>The per-token path (a network buffer arriving) reads the clock once per buffer, so every chunk
 * in a buffer is stamped with the buffer's arrival, feeds the SSE parser, and appends the content.
 *
 * <p>A request that went out on a kept-alive connection which turns out to have been closed by the
 * server (closed or reset before any of the response arrived) is sent once more, on a fresh
 * connection, as curl and OkHttp do: servers such as llama.cpp's close the connection after each
 * streamed response while still announcing keep-alive, and the pool hands out the dying connection
 * before its close is read. The server cannot have acted on a request it answered nothing to, and
 * the request keeps its send and intended times, so its latency still counts from the first send. A
 * request whose response had begun, or that went out on a new connection, is never sent again.
 */
public final class Exchange implements SseParser.Listener {
  private final long id;
  private final boolean warmup;
  private final long intendedNanos;
  private final String requestBody;
  private final Buffer bodyBuffer;
  private final int inputTokens;
  private final boolean streaming;
  private final NanoClock clock;
  private final ChunkDecoder decoder;
  private final Listener onDone;
  private final ResponseCounter received;

  /** Every response as sent, with its arrival; null unless a record sink will read them. */
  private final RawResponseLog rawResponses;

  private long sendNanos;
  private long writtenNanos = -1;
  private final ResponseTimes responseTimes;
  private final OutputText output;
  private OutputText reasoning;
  private long firstOutputNanos = -1;
  private long serverPromptTokens = -1;
  private long serverCompletionTokens = -1;
  private int httpStatus;
  private String errorKind;
  private String errorMessage;
  private String retryAfter;
  private long bufferArrivalNanos;
  private long lastProgressNanos;
  private boolean finished;
  private boolean cancelled;
  private HttpClientRequest request;
  private SseParser parser;
  private HttpClientAgent client;
  private RequestOptions options;
  private ConnectionUses connections;
  private boolean reusedConnection;
  private int retries;
  private HttpClientConnection freshConnection;
  private Runnable onWritten;
  private int retrieval; // 0: a completion; 1: embeddings; 2: rankings

  /**
   * @param responseTimes where content arrivals go; it decides which of them are kept
   * @param rawResponses where every response's bytes and arrival go, or null to keep none
   * @param decoder shared by every exchange on this event loop
   * @param received counts content responses as they arrive
   * @param onDone receives the outcome exactly once, unless the exchange is cancelled
   */
  public Exchange(
      long id,
      boolean warmup,
      long intendedNanos,
      String requestBody,
      Buffer bodyBuffer,
      int inputTokens,
      ResponseTimes responseTimes,
      RawResponseLog rawResponses,
      boolean streaming,
      NanoClock clock,
      ChunkDecoder decoder,
      ResponseCounter received,
      Listener onDone) {
    this.id = id;
    this.warmup = warmup;
    this.intendedNanos = intendedNanos;
    this.requestBody = requestBody;
    this.bodyBuffer = bodyBuffer;
    this.inputTokens = inputTokens;
    this.streaming = streaming;
    this.clock = clock;
    this.decoder = decoder;
    this.onDone = onDone;
    this.received = received;
    this.responseTimes = responseTimes;
    this.rawResponses = rawResponses;
    this.output = new OutputText(256);
  }

  /**
   * Sends the request with {@code options} (method, host, port, URI and headers already set) on a
   * connection of {@code client}'s pool.
   *
   * @param connections the connections of this event loop that have carried a request
   */
  public void send(HttpClientAgent client, RequestOptions options, ConnectionUses connections) {
    this.client = client;
    this.options = options;
    this.connections = connections;
    sendNanos = clock.nanoTime();
    bufferArrivalNanos = sendNanos;
    lastProgressNanos = sendNanos;
    client.request(options).compose(this::write).onComplete(this::onAttempt);
  }

  private void onAttempt(AsyncResult<HttpClientResponse> attempt) {
    if (attempt.succeeded()) {
      onResponse(attempt.result());
    } else {
      failTransport(attempt.cause());
    }
  }

  /**
   * Sends the request again on a connection of its own, outside the pool (which could hand out
   * another connection the server has closed); the connection is closed with the outcome.
   */
  private void retry() {
    retries++;
    request = null;
    client
        .connect(
            new HttpConnectOptions()
                .setHost(options.getHost())
                .setPort(options.getPort())
                .setSsl(options.isSsl()))
        .compose(
            connection -> {
              freshConnection = connection;
              return connection.request(options);
            })
        .compose(this::write)
        .onComplete(this::onAttempt);
  }

  private Future<HttpClientResponse> write(HttpClientRequest request) {
    this.request = request;
    reusedConnection = freshConnection == null && connections.reuse(request.connection());
    if (cancelled) {
      request.reset();
    }
    // The body buffer is shared by every request of a dataset entry; Vert.x writes a slice of it.
    // The end future completes once Netty has written the last byte to the socket: the send lag.
    request
        .end(bodyBuffer.copy())
        .onSuccess(
            v -> {
              boolean first = writtenNanos < 0;
              writtenNanos = clock.nanoTime();
              if (first && onWritten != null) {
                onWritten.run();
              }
              // The server's silence counts from when it has the whole request, not before.
              lastProgressNanos = Math.max(lastProgressNanos, writtenNanos);
            });
    return request.response();
  }

  private void onResponse(HttpClientResponse response) {
    bufferArrivalNanos = clock.nanoTime();
    httpStatus = response.statusCode();
    if (httpStatus / 100 != 2) {
      retryAfter = response.getHeader("retry-after");
      response
          .body()
          .onComplete(
              body -> {
                byte[] bytes = body.succeeded() ? body.result().getBytes() : new byte[0];
                if (rawResponses != null) {
                  rawResponses.addBody(clock.nanoTime(), bytes, bytes.length);
                }
                fail(
                    ErrorKinds.httpStatus(httpStatus),
                    ChunkDecoder.errorSummary(httpStatus, bytes));
              });
      return;
    }
    String contentType = response.getHeader("content-type");
    if (streaming && contentType != null && contentType.startsWith("text/event-stream")) {
      parser = new SseParser(this);
      response.handler(this::onBuffer);
      response.exceptionHandler(this::failTransport);
      response.endHandler(v -> onStreamEnd());
    } else {
      response
          .body()
          .onComplete(
              body -> {
                if (body.failed()) {
                  failTransport(body.cause());
                } else {
                  onWholeBody(body.result(), contentType);
                }
              });
    }
  }

  private void onBuffer(Buffer buffer) {
    if (finished) {
      return; // drained: the outcome is known
    }
    bufferArrivalNanos = clock.nanoTime();
    try {
      // Parsed where Vert.x put it, in the heap buffer of its copy, rather than copied again.
      ByteBuf bytes = ((BufferInternal) buffer).unwrap();
      if (bytes.hasArray()) {
        parser.feed(
            bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
      } else {
        parser.feed(buffer);
      }
    } catch (SseParser.EventTooLargeException e) {
      // Unlike other failures, not drained: the rest of an endless line is not worth reading.
      complete(ErrorKinds.INVALID_RESPONSE, e.getMessage());
      if (request != null) {
        request.reset();
      }
    }
  }

  @Override
  public void onEvent(String eventType, byte[] data, int length) {
    if (finished) {
      return;
    }
    ChunkDecoder.Chunk chunk = decoder.decode(data, length);
    if (!chunk.malformed()) {
      // Progress is an event the server's model made, not bytes: a server that trickles comments
      // (": ping") or blank lines but never a chunk is idle, however much it sends.
      lastProgressNanos = bufferArrivalNanos;
    }
    if (rawResponses != null) {
      keepRaw(chunk, eventType, data, length);
    }
    if (chunk.done()) {
      return;
    }
    if (chunk.malformed()) {
      fail(
          ErrorKinds.INVALID_RESPONSE,
          "a stream event is not an OpenAI chunk: " + chunk.malformedReason());
      return;
    }
    if (chunk.errorMessage() != null || "error".equals(eventType)) {
      fail(
          ErrorKinds.STREAM_ERROR,
          chunk.errorMessage() != null ? chunk.errorMessage() : "error event in the stream");
      return;
    }
    absorb(chunk, bufferArrivalNanos);
  }

  // Apart from onEvent, which runs for every token, so that the JIT inlines that one whole.
  private void keepRaw(ChunkDecoder.Chunk chunk, String eventType, byte[] data, int length) {
    rawResponses.addEvent(bufferArrivalNanos, data, length, endsStream(chunk, eventType));
  }

  /**
   * Whether an event ends the stream or says how it went, so that its text is worth the reserve.
   */
  private static boolean endsStream(ChunkDecoder.Chunk chunk, String eventType) {
    return chunk.done()
        || chunk.malformed()
        || chunk.hasUsage()
        || chunk.finishReason() != null
        || chunk.errorMessage() != null
        || eventType != null;
  }

  private void absorb(ChunkDecoder.Chunk chunk, long arrivalNanos) {
    if (chunk.hasUsage()) {
      serverPromptTokens = chunk.promptTokens();
      serverCompletionTokens = chunk.completionTokens();
    }
    if (chunk.hasReasoning()) {
      // A reasoning model's thinking is a token as its answer is (TTFT and ITL count it, as
      // AIPerf does), but its text is kept apart.
      if (reasoning == null) {
        reasoning = new OutputText(256);
      }
      chunk.appendReasoningTo(reasoning);
      if (!chunk.hasContent()) {
        responseTimes.add(arrivalNanos);
        received.increment();
      }
    }
    if (chunk.hasContent()) {
      if (firstOutputNanos < 0) {
        firstOutputNanos = arrivalNanos;
      }
      responseTimes.add(arrivalNanos);
      chunk.appendContentTo(output);
      received.increment();
    }
  }

  private void onStreamEnd() {
    if (responseTimes.count() == 0) {
      fail(ErrorKinds.EMPTY_RESPONSE, "the stream ended without any content");
    } else {
      complete(null, null);
    }
  }

  private void onWholeBody(Buffer body, String contentType) {
    long arrival = clock.nanoTime();
    byte[] bytes = body.getBytes();
    if (rawResponses != null) {
      rawResponses.addBody(arrival, bytes, bytes.length);
    }
    ChunkDecoder.Chunk chunk = decoder.decode(bytes, bytes.length);
    if (retrieval != 0) {
      onRetrievalBody(chunk, bytes, arrival);
      return;
    }
    if (streaming && chunk.errorMessage() == null) {
      // A server that ignored "stream": its one body would pass for a single token at its end.
      fail(
          ErrorKinds.INVALID_RESPONSE,
          "the server answered a streaming request with a non-stream body ("
              + (contentType == null ? "no content type" : "content type " + contentType)
              + ", not text/event-stream)");
      return;
    }
    if (chunk.malformed()) {
      fail(
          ErrorKinds.INVALID_RESPONSE,
          "the response ("
              + (contentType == null ? "no content type" : contentType)
              + ") is not an OpenAI completion: "
              + chunk.malformedReason());
      return;
    }
    if (chunk.errorMessage() != null) {
      fail(ErrorKinds.STREAM_ERROR, chunk.errorMessage());
      return;
    }
    absorb(chunk, arrival);
    onStreamEnd();
  }

  /** An embeddings or rankings answer: one body, its arrival the request's one response. */
  private void onRetrievalBody(ChunkDecoder.Chunk chunk, byte[] bytes, long arrival) {
    if (chunk.errorMessage() != null) {
      fail(ErrorKinds.STREAM_ERROR, chunk.errorMessage());
      return;
    }
    String problem = RetrievalResponses.problem(bytes, retrieval == 2);
    if (problem != null) {
      fail(ErrorKinds.INVALID_RESPONSE, problem);
      return;
    }
    if (chunk.hasUsage()) {
      serverPromptTokens = chunk.promptTokens();
    }
    responseTimes.add(arrival);
    received.increment();
    complete(null, null);
  }

  private void failTransport(Throwable failure) {
    if (cancelled) {
      finished = true;
      closeFreshConnection();
      return;
    }
    String kind = ErrorKinds.of(failure);
    // No status means no response head: the server sent nothing this request could have caused.
    // (Vert.x hands over nothing before a whole head, so a head cut off part-way would also pass
    // for silence; a server that dies mid-status-line is the one case this cannot tell apart.)
    if (reusedConnection
        && retries == 0
        && httpStatus == 0
        && !finished
        && (kind.equals(ErrorKinds.CONNECTION_CLOSED)
            || kind.equals(ErrorKinds.CONNECTION_RESET))) {
      retry();
      return;
    }
    fail(kind, ErrorKinds.describe(failure));
  }

  private void closeFreshConnection() {
    if (freshConnection != null) {
      freshConnection.close();
    }
  }

  private void fail(String kind, String message) {
    // The rest of a failed stream is drained and ignored rather than reset: on HTTP/1.1 a reset
    // closes the keep-alive connection, and the next request would pay for a new one.
    complete(kind, message);
  }

  private void complete(String kind, String message) {
    if (finished || cancelled) {
      return;
    }
    finished = true;
    errorKind = kind;
    errorMessage = message;
    closeFreshConnection();
    onDone.onOutcome(
        this,
        new Outcome(
            id,
            warmup,
            intendedNanos,
            sendNanos,
            writtenNanos,
            clock.nanoTime(),
            responseTimes,
            output.toString(),
            requestBody,
            inputTokens,
            serverPromptTokens,
            serverCompletionTokens,
            httpStatus,
            errorKind,
            errorMessage,
            rawResponses,
            retries,
            retryAfter,
            reasoning == null ? null : reasoning.toString(),
            firstOutputNanos));
  }

  /** Receives an exchange's outcome, on the event loop. */
  @FunctionalInterface
  public interface Listener {
    void onOutcome(Exchange exchange, Outcome outcome);
  }

  public long id() {
    return id;
  }

  public boolean warmup() {
    return warmup;
  }

  /**
   * Makes the answer expected an embeddings one ({@code ranking} false) or a rankings one: a whole
   * body whose arrival is its one response, not an OpenAI completion. Set before {@link #send}.
   */
  public void expectsRetrieval(boolean ranking) {
    this.retrieval = ranking ? 2 : 1;
  }

  /**
   * Runs {@code action} on the event loop once the request's last byte has first been written to
   * the socket (not again for a retry). Set before {@link #send}.
   */
  public void whenWritten(Runnable action) {
    this.onWritten = action;
  }

  /**
   * Cancels the request as a user who leaves does: its connection is closed and its outcome says
   * {@link io.loadgen.core.RequestCancellation#ERROR_KIND}, with the responses that came before.
   * Returns false if it had already finished.
   */
  public boolean abandon(String message) {
    if (finished) {
      return false;
    }
    complete(io.loadgen.core.RequestCancellation.ERROR_KIND, message);
    if (request != null) {
      request.reset();
    }
    return true;
  }

  /** Abandons the request; no outcome is delivered. Returns false if it had already finished. */
  public boolean cancel() {
    if (finished) {
      return false;
    }
    cancelled = true;
    finished = true;
    if (request != null) {
      request.reset();
    }
    closeFreshConnection();
    return true;
  }

  /**
   * When the server last made progress on this request: the arrival of its last SSE data event that
   * decoded as a chunk (role, content, usage or {@code [DONE]} alike), or, before the first, when
   * the request's last byte was written (when it was sent, until then). Comments, blank keep-alive
   * lines and response headers are not progress; a response that is not streamed has no progress
   * until it ends.
   */
  public long lastProgressNanos() {
    return lastProgressNanos;
  }

  /** When the request should have been sent: open-loop latency, and its deadline, count from it. */
  public long intendedNanos() {
    return intendedNanos;
  }

  /**
   * Fails the request as timed out and resets its stream: the server went quiet, so its connection
   * cannot be trusted for the next request. Returns false if it had already finished.
   */
  public boolean timeOut(String message) {
    if (finished) {
      return false;
    }
    complete(ErrorKinds.TIMEOUT, message);
    if (request != null) {
      request.reset();
    }
    return true;
  }

  public boolean finished() {
    return finished;
  }
}
