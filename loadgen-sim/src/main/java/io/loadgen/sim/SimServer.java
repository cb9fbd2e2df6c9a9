package io.loadgen.sim;

import io.loadgen.sim.internal.Counters;
import io.loadgen.sim.internal.OpenAiHandler;
import io.loadgen.sim.internal.StepDispatcher;
import io.loadgen.sim.internal.engine.Engine;
import io.loadgen.sim.internal.engine.EngineDriver;
import io.loadgen.sim.internal.engine.EngineMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.BindException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A simulated OpenAI-compatible inference server: {@code POST /v1/chat/completions} and
 * {@code /v1/completions} (streaming and not), {@code GET /v1/models}, {@code /health} and
 * Prometheus {@code /metrics} (also at {@code /v1/metrics}), answered by a model of a
 * continuous-batching engine with a paged KV cache (see {@link SimPreset} and {@link EngineSpec}),
 * paced onto the wall clock. Start it, point a client at {@link #baseUri()}, close it.
 *
 * <pre>{@code
 * try (SimServer sim = SimServer.start(SimConfig.preset("default").build())) {
 *   URI target = sim.baseUri();
 * }
 * }</pre>
 */
public final class SimServer implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpServer server;
  private final SimConfig config;
  private final Counters counters;
  private final EngineDriver driver;
  private final EngineMetrics metrics;

  private SimServer(Vertx vertx, boolean ownsVertx, HttpServer server, SimConfig config, Counters counters,
      EngineDriver driver, EngineMetrics metrics) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.server = server;
    this.config = config;
    this.counters = counters;
    this.driver = driver;
    this.metrics = metrics;
  }

  /**
   * Starts a server on its own event loop and returns once it listens.
   *
   * @throws SimServerException when it cannot listen (for example, the port is taken)
   */
  public static SimServer start(SimConfig config) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      return start(vertx, true, config);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * Starts a server on an existing Vert.x instance, which closing the server leaves running. Must not
   * be called from an event loop: it waits for the server to listen.
   */
  public static SimServer start(Vertx vertx, SimConfig config) {
    return start(vertx, false, config);
  }

  private static SimServer start(Vertx vertx, boolean ownsVertx, SimConfig config) {
    Counters counters = new Counters();
    HttpServerOptions options = new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0);
    EngineMetrics metrics = new EngineMetrics(config.modelName(), config.engine().maxRunningSequences(),
        config.engine().kvBlocksTotal());
    Engine engine = new Engine(config.engine(), metrics);
    engine.stalls(config.faults().stallEveryNanos(), config.faults().stallNanos());
    EngineDriver driver = new EngineDriver(engine, new StepDispatcher());
    try {
      OpenAiHandler handler = new OpenAiHandler(vertx, config, counters, driver, metrics);
      handler.warmUp();
      HttpServer server = vertx.createHttpServer(options)
          .requestHandler(handler)
          .listen(config.port(), config.host())
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      driver.start();
      return new SimServer(vertx, ownsVertx, server, config, counters, driver, metrics);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
          ? "the port is in use: pick another (0 picks a free one)"
          : String.valueOf(cause.getMessage());
      throw new SimServerException(
          "the simulated server cannot listen on " + config.host() + ":" + config.port() + ": " + why, cause);
    } catch (TimeoutException e) {
      throw new SimServerException("the simulated server did not start within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimServerException("interrupted while the simulated server was starting", e);
    }
  }

  /** The port it listens on (the real one when the config asked for 0). */
  public int port() {
    return server.actualPort();
  }

  public String host() {
    return config.host();
  }

  /** {@code http://host:port}, with 127.0.0.1 for a server listening on every address. */
  public URI baseUri() {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    return URI.create("http://" + host + ":" + port());
  }

  public SimConfig config() {
    return config;
  }

  /** Counters since start. */
  public SimStats stats() {
    return counters.snapshot(metrics);
  }

  /** The Prometheus exposition {@code /metrics} serves, as text. */
  public String metricsText() {
    return new String(metrics.scrape(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Stops listening, drops open streams and releases the event loop it owns. */
  @Override
  public void close() {
    try {
      driver.close();
      server.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new SimServerException("the simulated server did not stop cleanly: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
