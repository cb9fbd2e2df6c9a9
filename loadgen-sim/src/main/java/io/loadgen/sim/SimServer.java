package io.loadgen.sim;

import io.loadgen.sim.internal.Counters;
import io.loadgen.sim.internal.OpenAiHandler;
import io.loadgen.sim.internal.SelfWarmUp;
import io.loadgen.sim.internal.StepDispatcher;
import io.loadgen.sim.internal.engine.Engine;
import io.loadgen.sim.internal.engine.EngineDriver;
import io.loadgen.sim.internal.engine.EngineMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A simulated OpenAI-compatible inference server: {@code POST /v1/chat/completions} and {@code
 * /v1/completions} (streaming and not), {@code POST /v1/embeddings} and NIM's {@code POST
 * /v1/ranking} (each a prefill through the engine, answered in one body), {@code GET /v1/models},
 * {@code /health} and Prometheus {@code /metrics} (also at {@code /v1/metrics}), answered by a
 * model of a continuous-batching engine with a paged KV cache (see {@link SimPreset} and {@link
 * EngineSpec}), paced onto the wall clock. Start it, point a client at {@link #baseUri()}, close
 * it.
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
  private final List<HttpServer> moreServers;
  private final SimConfig config;
  private final Counters counters;
  private final EngineDriver driver;
  private final EngineMetrics metrics;

  private SimServer(
      Vertx vertx,
      boolean ownsVertx,
      HttpServer server,
      List<HttpServer> moreServers,
      SimConfig config,
      Counters counters,
      EngineDriver driver,
      EngineMetrics metrics) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.server = server;
    this.moreServers = moreServers;
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
    // Native epoll or io_uring where Netty's Linux files load: fewer system calls per token
    // written.
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(config.ioThreads())
                .setWorkerPoolSize(1)
                .setPreferNativeTransport(true));
    try {
      return start(vertx, true, config);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * Starts a server on an existing Vert.x instance, which closing the server leaves running. Must
   * not be called from an event loop: it waits for the server to listen.
   */
  public static SimServer start(Vertx vertx, SimConfig config) {
    return start(vertx, false, config);
  }

  private static SimServer start(Vertx vertx, boolean ownsVertx, SimConfig config) {
    Counters counters = new Counters();
    HttpServerOptions options = new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0);
    EngineMetrics metrics =
        new EngineMetrics(
            config.modelName(),
            config.engine().maxRunningSequences(),
            config.engine().kvBlocksTotal());
    Engine engine = new Engine(config.engine(), metrics);
    engine.stalls(config.faults().stallEveryNanos(), config.faults().stallNanos());
    EngineDriver driver = new EngineDriver(engine, new StepDispatcher());
    try {
      OpenAiHandler handler = new OpenAiHandler(vertx, config, counters, driver, metrics);
      handler.warmUp();
      if (config.warmUp()) {
        SelfWarmUp.run(vertx, config);
      }
      // More servers on the same port, each on an event loop of its own: Vert.x hands new
      // connections to them in turn, so a step's writes are spread over several threads. Vert.x
      // shares a port only between servers asking for the same number, and two asking for 0 get
      // two ports, so several servers need the free port found first.
      int port =
          config.port() == 0 && config.ioThreads() > 1 ? freePort(config.host()) : config.port();
      // One context per event loop, named explicitly: a thread outside Vert.x gets the same
      // ("sticky") context from getOrCreateContext every time, which would put every server on one
      // loop.
      List<Context> loops = new ArrayList<>();
      io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) vertx;
      for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
        loops.add(
            internal.contextBuilder().withEventLoop((io.netty.channel.EventLoop) loop).build());
      }
      HttpServer server = listen(vertx, loops.get(0), options, handler, port, config.host());
      List<HttpServer> more = new ArrayList<>();
      for (int i = 1; i < config.ioThreads(); i++) {
        more.add(listen(vertx, loops.get(i % loops.size()), options, handler, port, config.host()));
      }
      driver.start();
      return new SimServer(vertx, ownsVertx, server, more, config, counters, driver, metrics);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why =
          cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
              ? "the port is in use: pick another (0 picks a free one)"
              : String.valueOf(cause.getMessage());
      throw new SimServerException(
          "the simulated server cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + why,
          cause);
    } catch (TimeoutException e) {
      throw new SimServerException(
          "the simulated server did not start within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimServerException("interrupted while the simulated server was starting", e);
    }
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new SimServerException(
          "the simulated server found no free port on " + host + ": " + e.getMessage(), e);
    }
  }

  private static HttpServer listen(
      Vertx vertx,
      Context context,
      HttpServerOptions options,
      OpenAiHandler handler,
      int port,
      String host)
      throws ExecutionException, InterruptedException, TimeoutException {
    CompletableFuture<HttpServer> listening = new CompletableFuture<>();
    context.runOnContext(
        v ->
            vertx
                .createHttpServer(options)
                .requestHandler(handler)
                .listen(port, host)
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        listening.complete(ar.result());
                      } else {
                        listening.completeExceptionally(ar.cause());
                      }
                    }));
    return listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
      for (HttpServer other : moreServers) {
        other
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      server
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new SimServerException(
          "the simulated server did not stop cleanly: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
