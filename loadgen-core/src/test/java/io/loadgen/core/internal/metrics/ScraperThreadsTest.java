package io.loadgen.core.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Profile;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.Transport;
import io.loadgen.core.internal.client.Transports;
import io.loadgen.core.internal.secret.SecretScrubber;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where the scraper works: never on the event loops that time the client's tokens. */
class ScraperThreadsTest {
  private static final String PAGE =
      "# TYPE vllm:kv_cache_usage_perc gauge\nvllm:kv_cache_usage_perc 0.25\n";

  @Test
  void readsAndParsesEveryPageOffTheLoopsThatTimeTokens() throws Exception {
    // The client's loops, made as a run makes them, and a server on a Vert.x of its own.
    Vertx timing = Transports.vertx(Transport.NIO, 2);
    Vertx serving = Vertx.vertx();
    try {
      Set<Thread> timingThreads = ConcurrentHashMap.newKeySet();
      for (EventExecutor loop : ((VertxInternal) timing).nettyEventLoopGroup()) {
        timingThreads.add(loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
      }
      HttpServer server =
          serving
              .createHttpServer()
              .requestHandler(request -> request.response().end(PAGE))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      Profile profile =
          Profile.builder()
              .url("http://127.0.0.1:" + server.actualPort())
              .model("m")
              .serverMetricsUrl("http://127.0.0.1:" + server.actualPort() + "/metrics")
              .serverMetricsInterval(Duration.ofMillis(10))
              .build();

      Set<Thread> stateReaders = ConcurrentHashMap.newKeySet();
      Set<Thread> parsers = ConcurrentHashMap.newKeySet();
      AtomicInteger parsed = new AtomicInteger();
      CompletableFuture<Void> threePages = new CompletableFuture<>();
      Scraper.ClientState state =
          new Scraper.ClientState() {
            @Override
            public int inFlight() {
              stateReaders.add(Thread.currentThread());
              return 0;
            }

            @Override
            public long sent() {
              return 0;
            }

            @Override
            public long responses() {
              return 0;
            }
          };
      Scraper scraper =
          new Scraper(
              profile,
              state,
              SecretScrubber.of(profile.endpoint(), Map.of()),
              page -> {
                parsers.add(Thread.currentThread());
                if (parsed.incrementAndGet() == 3) {
                  threePages.complete(null);
                }
                return PrometheusText.parse(page);
              });
      scraper.start();
      threePages.get(10, TimeUnit.SECONDS);
      ServerMetrics metrics = scraper.stop().get(10, TimeUnit.SECONDS);

      assertEquals("vllm:kv_cache_usage_perc", metrics.kvMetric());
      assertTrue(metrics.replicas().get(0).samples().size() >= 3, metrics.toString());
      assertFalse(stateReaders.isEmpty());
      assertFalse(parsers.isEmpty());
      for (Thread t : stateReaders) {
        assertFalse(timingThreads.contains(t), "client state read on a timing loop: " + t);
      }
      for (Thread t : parsers) {
        assertFalse(timingThreads.contains(t), "page parsed on a timing loop: " + t);
        // Nor on the loop that reads pages: parsing a large one would hold up the next scrape.
        assertFalse(stateReaders.contains(t), "page parsed on the scraper's loop: " + t);
      }
      // And they end with it: its Vert.x is its own, so nothing else would close it.
      for (Thread t : stateReaders) {
        t.join(10_000);
        assertFalse(t.isAlive(), t + " outlived the scraper");
      }
      for (Thread t : parsers) {
        t.join(10_000);
        assertFalse(t.isAlive(), t + " outlived the scraper");
      }
    } finally {
      timing.close();
      serving.close();
    }
  }
}
