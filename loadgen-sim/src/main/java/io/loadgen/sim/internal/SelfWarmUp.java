package io.loadgen.sim.internal;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.internal.engine.Engine;
import io.loadgen.sim.internal.engine.EngineDriver;
import io.loadgen.sim.internal.engine.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Streams a few requests through a throwaway copy of the server (its own engine, on a fast step,
 * with its own counters and metrics, on a free port of 127.0.0.1) before the real one listens, so
 * that the first real requests do not wait on the server's class loading: a cold JVM adds tens of
 * milliseconds to their TTFT, which a warm production server does not show. Nothing of the real
 * server (counters, metrics, listeners, faults) sees these requests.
 */
public final class SelfWarmUp {
  private static final int REQUESTS = 8;
  private static final long TIMEOUT_SECONDS = 10;
  private static final String BODY =
      "{\"model\":\"warm-up\",\"stream\":true,\"max_tokens\":6,\"ignore_eos\":true,"
          + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":"
          + "\"warm up the simulated server before it listens\"}]}";

  private SelfWarmUp() {}

  /** Best effort: a warm-up that fails (no loopback, say) only leaves the server cold. */
  public static void run(Vertx vertx, SimConfig config) {
    SimConfig throwaway =
        SimConfig.preset(config.preset().name())
            .overrides(
                new SimOverrides(
                    null, null, null, null, null, null, null, null, 0.5, 0.0, 0.0, null))
            .promptTokenCounter(config.promptTokenCounter())
            .host("127.0.0.1")
            .port(0)
            .build();
    Counters counters = new Counters();
    EngineMetrics metrics =
        new EngineMetrics(
            throwaway.modelName(),
            throwaway.engine().maxRunningSequences(),
            throwaway.engine().kvBlocksTotal());
    EngineDriver driver =
        new EngineDriver(new Engine(throwaway.engine(), metrics), new StepDispatcher());
    HttpServer server = null;
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(REQUESTS));
    try {
      driver.start();
      server =
          vertx
              .createHttpServer()
              .requestHandler(new OpenAiHandler(vertx, throwaway, counters, driver, metrics))
              .listen(0, "127.0.0.1")
              .await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost("127.0.0.1")
              .setPort(server.actualPort())
              .setURI("/v1/chat/completions")
              .putHeader("content-type", "application/json");
      List<Future<Buffer>> bodies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        bodies.add(
            client
                .request(options)
                .compose(request -> request.send(Buffer.buffer(BODY)))
                .compose(HttpClientResponse::body));
      }
      Future.all(bodies).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Cold, then.
    } finally {
      client.close();
      if (server != null) {
        server.close();
      }
      driver.close();
    }
  }
}
