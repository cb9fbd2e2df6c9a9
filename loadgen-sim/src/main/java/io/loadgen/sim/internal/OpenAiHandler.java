package io.loadgen.sim.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimFaults;
import io.loadgen.sim.internal.engine.EngineDriver;
import io.loadgen.sim.internal.engine.EngineMetrics;
import io.loadgen.sim.internal.engine.Sequence;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Routes the OpenAI-compatible API of the simulated server. Runs on the server's event loop. */
public final class OpenAiHandler implements Handler<HttpServerRequest> {
  private final Vertx vertx;
  private final SimConfig config;
  private final Counters counters;
  private final EngineDriver driver;
  private final EngineMetrics metrics;
  private final AtomicLong requestIds = new AtomicLong();

  public OpenAiHandler(
      Vertx vertx,
      SimConfig config,
      Counters counters,
      EngineDriver driver,
      EngineMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.counters = counters;
    this.driver = driver;
    this.metrics = metrics;
  }

  /**
   * Runs the request path once off the network before the server listens: class loading and JSON
   * set-up would otherwise land on the first requests' TTFT, which a warm production server does
   * not show.
   */
  public void warmUp() {
    try {
      String prompt = "warm up the simulated server";
      RequestParser.parse(
          true,
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + prompt
              + "\"}],\"stream\":true,\"max_tokens\":2,\"stream_options\":{\"include_usage\":true}}");
      RequestParser.parse(
          false, "{\"model\":\"m\",\"prompt\":\"" + prompt + "\",\"max_tokens\":2}");
      // Loads the counter's classes (a tokenizer's, when one counts); the count is not needed.
      var unused = config.promptTokenCounter().applyAsInt(prompt);
      for (boolean chat : new boolean[] {true, false}) {
        ChunkFormat format = new ChunkFormat(chat, 0, "m", 0);
        format.tokenEventBuffer(Words.TOKEN_BYTES[0], true);
        format.finishEvent("length");
        format.usageEvent(1, 1);
        format.wholeBody(null, " the", "length", 1, 1);
      }
    } catch (RequestParser.InvalidRequest e) {
      throw new IllegalStateException("the warm-up request is invalid", e);
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    long arrivalNanos = System.nanoTime();
    String path = request.path();
    if (request.method() == HttpMethod.POST && path.equals("/v1/chat/completions")) {
      request.body().onSuccess(body -> complete(request, true, body.toString(), arrivalNanos));
    } else if (request.method() == HttpMethod.POST && path.equals("/v1/completions")) {
      request.body().onSuccess(body -> complete(request, false, body.toString(), arrivalNanos));
    } else if (request.method() == HttpMethod.POST && path.equals("/v1/embeddings")) {
      request.body().onSuccess(body -> retrieve(request, false, body.toString(), arrivalNanos));
    } else if (request.method() == HttpMethod.POST && path.equals("/v1/ranking")) {
      request.body().onSuccess(body -> retrieve(request, true, body.toString(), arrivalNanos));
    } else if (request.method() == HttpMethod.GET && path.equals("/v1/models")) {
      json(
          request.response(),
          200,
          "{\"object\":\"list\",\"data\":[{\"id\":\""
              + escape(config.modelName())
              + "\",\"object\":\"model\",\"created\":0,\"owned_by\":\"loadgen-sim\"}]}");
    } else if (request.method() == HttpMethod.GET && path.equals("/health")) {
      request.response().setStatusCode(200).end();
    } else if (request.method() == HttpMethod.GET
        && (path.equals("/metrics") || path.equals("/v1/metrics"))) {
      // NIM serves /v1/metrics, vLLM /metrics: both, so either kind of scraper finds them.
      request
          .response()
          .putHeader("content-type", metrics.contentType())
          .end(io.vertx.core.buffer.Buffer.buffer(metrics.scrape()));
    } else {
      error(
          request.response(),
          404,
          "NotFoundError",
          "no route for " + request.method() + " " + path);
    }
  }

  private void complete(HttpServerRequest http, boolean chat, String body, long arrivalNanos) {
    counters.requestReceived();
    CompletionRequest request;
    try {
      request = RequestParser.parse(chat, body);
    } catch (RequestParser.InvalidRequest e) {
      error(http.response(), 400, "invalid_request_error", e.getMessage());
      return;
    }
    long id = requestIds.getAndIncrement();
    int promptTokens = config.promptTokenCounter().applyAsInt(request.prompt());
    int limit = request.maxTokens() > 0 ? request.maxTokens() : config.defaultMaxTokens();
    // Seeded by the request's content, not its arrival order, so the same request gets the same
    // answer however many others run beside it.
    long seed = mix(config.seed(), request.prompt().hashCode(), limit);
    int length = request.ignoreEos() ? limit : sampledLength(seed, request.minTokens(), limit);
    if (config.engine().blocksFor((long) promptTokens + length) > config.engine().kvBlocksTotal()) {
      error(
          http.response(),
          400,
          "invalid_request_error",
          "this request needs "
              + (promptTokens + length)
              + " tokens of KV cache ("
              + promptTokens
              + " in the prompt, "
              + length
              + " to generate), more than the whole cache holds ("
              + config.engine().kvTokenCapacity()
              + ")");
      return;
    }
    SimFaults faults = config.faults();
    SplittableRandom fault =
        faults.errorRate() > 0 || faults.dropRate() > 0
            ? new SplittableRandom(mix(config.seed(), (int) id, 0x5eed))
            : null;
    if (faults.errorRate() > 0 && fault.nextDouble() < faults.errorRate()) {
      error(
          http.response(),
          500,
          "internal_server_error",
          "injected fault: the simulated engine failed this request");
      return;
    }
    int dropAfter =
        faults.dropRate() > 0 && fault.nextDouble() < faults.dropRate()
            ? Math.max(1, length / 2)
            : -1;
    StreamWriter writer =
        new StreamWriter(
            Vertx.currentContext(),
            http.response(),
            request,
            id,
            promptTokens,
            length,
            length == limit,
            dropAfter,
            seed + 1,
            config.tokenSendListener(),
            counters,
            config.reasoningTokens());
    Sequence sequence = new Sequence(id, promptTokens, length, arrivalNanos, writer);
    if (config.tokenSendListener() != null) {
      config.tokenSendListener().onRequestAccepted(id, request.prompt());
    }
    Runnable begin =
        () -> {
          writer.start(() -> driver.cancel(sequence));
          driver.submit(sequence);
        };
    if (faults.slowHeadersNanos() > 0) {
      vertx.setTimer(Math.max(1, faults.slowHeadersNanos() / 1_000_000), t -> begin.run());
    } else {
      begin.run();
    }
  }

  /**
   * An embeddings or ranking request: its texts (a ranking's query beside each passage, as a
   * cross-encoder reads them) are one prefill through the engine, so its latency grows with the
   * load as an encoder model's does, and it holds KV blocks while it waits and runs.
   */
  private void retrieve(HttpServerRequest http, boolean ranking, String body, long arrivalNanos) {
    counters.requestReceived();
    RetrievalRequest request;
    try {
      request = RetrievalRequest.parse(ranking, body);
    } catch (RequestParser.InvalidRequest e) {
      error(http.response(), 400, "invalid_request_error", e.getMessage());
      return;
    }
    int queryTokens = ranking ? config.promptTokenCounter().applyAsInt(request.query()) : 0;
    long tokens = 0;
    for (String text : request.texts()) {
      tokens += queryTokens + config.promptTokenCounter().applyAsInt(text);
    }
    if (config.engine().blocksFor(tokens + 1) > config.engine().kvBlocksTotal()) {
      error(
          http.response(),
          400,
          "invalid_request_error",
          "this request needs "
              + tokens
              + " tokens of KV cache, more than the whole cache holds ("
              + config.engine().kvTokenCapacity()
              + ")");
      return;
    }
    SimFaults faults = config.faults();
    long id = requestIds.getAndIncrement();
    if (faults.errorRate() > 0
        && new SplittableRandom(mix(config.seed(), (int) id, 0x5eed)).nextDouble()
            < faults.errorRate()) {
      error(
          http.response(),
          500,
          "internal_server_error",
          "injected fault: the simulated engine failed this request");
      return;
    }
    int promptTokens = (int) Math.min(Integer.MAX_VALUE - 1, tokens);
    RetrievalWriter writer =
        new RetrievalWriter(
            Vertx.currentContext(),
            http.response(),
            request,
            promptTokens,
            config.seed(),
            counters);
    // Prefill only: the one generated position stands for the pass that yields the answer.
    Sequence sequence = new Sequence(id, promptTokens, 1, arrivalNanos, writer);
    writer.start(() -> driver.cancel(sequence));
    driver.submit(sequence);
  }

  private int sampledLength(long seed, int minTokens, int limit) {
    SplittableRandom random = new SplittableRandom(seed);
    double drawn = config.outputLengthMean() + config.outputLengthStddev() * random.nextGaussian();
    long length = Math.round(drawn);
    return (int) Math.max(Math.max(1, minTokens), Math.min(limit, length));
  }

  private static long mix(long seed, int a, int b) {
    long h = seed * 0x9E3779B97F4A7C15L + a;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
    return h ^ (h >>> 29);
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    json(
        response,
        status,
        "{\"object\":\"error\",\"error\":{\"message\":\""
            + escape(message)
            + "\",\"type\":\""
            + type
            + "\",\"code\":"
            + status
            + "}}");
  }

  private static String escape(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }
}
