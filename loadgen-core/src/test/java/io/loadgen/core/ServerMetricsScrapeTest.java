package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scraping the server's /metrics during a run, against the simulator and against bad endpoints. */
@Tag("e2e")
class ServerMetricsScrapeTest {
  /**
   * Loaded once, for the runs (which then load none of their own) and for the simulators, which
   * count prompts with it so that the block arithmetic is exact. The simulators' own warm-up is
   * off: each run's client warm-up loads the HTTP path both sides use in this JVM.
   */
  private static Tokenizer tokenizer;

  @BeforeAll
  static void loadTokenizer() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  private static ProfileResult run(Profile.Builder profile) {
    return LoadGenerator.run(profile.build(), RunOptions.defaults().withTokenizer(tokenizer));
  }

  private static Profile.Builder profile(java.net.URI target) {
    return Profile.builder()
        .url(target)
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(100, 0))
        .extraInput("max_tokens", 40)
        .extraInput("ignore_eos", true)
        // A scrape gets twice the interval to answer: 200 ms, which a cold simulator's first
        // /metrics page has overrun at 50 ms on a loaded machine. Every run lasts 0.8 s or more.
        .serverMetricsInterval(Duration.ofMillis(100));
  }

  @Test
  void readsTheSimulatorsKvCacheUsageBesideTheClientsOwnState() {
    try (SimServer sim =
        SimServer.start(
            SimConfig.preset("default")
                .promptTokenCounter(tokenizer::count)
                .warmUp(false)
                .build())) {
      ProfileResult result = run(profile(sim.baseUri()).concurrency(20).requestCount(40));
      ServerMetrics metrics = result.serverMetrics();
      assertEquals(List.of(), metrics.problems());
      assertEquals(1, metrics.replicas().size());
      assertTrue(
          metrics.replicas().get(0).url().endsWith("/metrics"), metrics.replicas().get(0).url());
      assertEquals("vllm:kv_cache_usage_perc", metrics.kvMetric());
      List<ServerSample> samples = metrics.replicas().get(0).samples();
      assertTrue(samples.size() >= 5, samples.size() + " samples");
      assertTrue(samples.stream().anyMatch(s -> s.kvCacheUsage() > 0), "KV usage never above 0");
      for (ServerSample s : samples) {
        assertTrue(s.kvCacheUsage() >= 0 && s.kvCacheUsage() <= 1, "usage " + s.kvCacheUsage());
        assertTrue(s.running() <= 20 && s.clientInFlight() <= 20, s.toString());
      }
      // Twenty requests of 100 + 40 tokens hold at most 20 x ceil(140 / 16) = 180 of 8,192 blocks.
      assertTrue(
          metrics.kvCacheUsagePercent().max() <= 100.0 * 180 / 8192 + 1e-9,
          "max " + metrics.kvCacheUsagePercent().max());
      assertTrue(metrics.running().max() > 0);
    }
  }

  @Test
  void anEndpointThatAnswersGarbageOrHangsIsReportedAndTheRunCompletes() {
    try (SimServer sim = SimServer.start(SimConfig.preset("default").warmUp(false).build());
        ScriptedServer bad =
            ScriptedServer.start(
                request -> {
                  if (request.path().equals("/garbage")) {
                    request
                        .response()
                        .putHeader("content-type", "text/html")
                        .end("<html><body>Not here</body></html>");
                  }
                  // Anything else hangs: no answer at all.
                })) {
      ProfileResult result =
          run(
              profile(sim.baseUri())
                  .concurrency(4)
                  .requestCount(12)
                  .serverMetricsUrl(bad.baseUri() + "/garbage")
                  .serverMetricsUrl(bad.baseUri() + "/hang"));
      assertEquals(12, result.summary().requestCount());
      List<String> problems = result.serverMetrics().problems();
      assertTrue(
          problems.stream()
              .anyMatch(p -> p.contains("/garbage") && p.contains("not Prometheus text")),
          problems.toString());
      assertTrue(
          problems.stream().anyMatch(p -> p.contains("/hang") && p.contains("no answer")),
          problems.toString());
      problems.forEach(p -> assertFalse(p.contains("\n"), p));
    }
  }

  /**
   * A server whose GETs (the scrapes) {@code page} answers, and whose chat completions wait for the
   * second scrape: its request shows that the client has dealt with the first page, so a run of a
   * few requests has always scraped before it ends.
   */
  private static ScriptedServer answeringAfterTheSecondScrape(
      io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> page) {
    AtomicInteger scrapes = new AtomicInteger();
    CompletableFuture<Void> secondScrape = new CompletableFuture<>();
    return ScriptedServer.start(
        request -> {
          if (request.method().name().equals("GET")) {
            if (scrapes.incrementAndGet() == 2) {
              secondScrape.complete(null);
            }
            page.handle(request);
          } else {
            secondScrape.thenRun(
                () ->
                    request
                        .response()
                        .putHeader("content-type", "text/event-stream")
                        .end(
                            ScriptedServer.chatChunk(" a")
                                + ScriptedServer.chatChunk(" b")
                                + "data: [DONE]\n\n"));
          }
        });
  }

  @Test
  void aTargetWhoseOwnMetricsPageIsGarbageIsSaidOnceNotDroppedSilently() {
    try (ScriptedServer server =
        answeringAfterTheSecondScrape(
            request -> request.response().end("<html><body>metrics are elsewhere</body></html>"))) {
      ProfileResult result = run(profile(server.baseUri()).concurrency(1).requestCount(6));
      assertEquals(6, result.summary().requestCount());
      assertTrue(result.serverMetrics().isEmpty());
      List<String> problems = result.serverMetrics().problems();
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(
          problems.get(0).startsWith(server.baseUri() + "/metrics: no server metrics were read")
              && problems.get(0).contains("not Prometheus text"),
          problems.toString());
    }
  }

  @Test
  void aFailureAtTheTargetsMetricsIsSaidThereNotAtTheV1PathTriedAfter() {
    try (ScriptedServer server =
        answeringAfterTheSecondScrape(
            request ->
                request
                    .response()
                    .setStatusCode(request.path().equals("/metrics") ? 500 : 404)
                    .end("no"))) {
      ProfileResult result = run(profile(server.baseUri()).concurrency(1).requestCount(4));
      assertEquals(4, result.summary().requestCount());
      assertEquals(
          List.of(server.baseUri() + "/metrics: no server metrics were read: HTTP 500"),
          result.serverMetrics().problems());
    }
  }

  @Test
  void aPageWithoutAKvGaugeIsSaidWithTheSeriesItHas() {
    StringBuilder page = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      page.append("# TYPE llamacpp:series_").append(i).append(" gauge\n");
      page.append("llamacpp:series_").append(i).append(" 1\n");
    }
    try (ScriptedServer server =
        answeringAfterTheSecondScrape(request -> request.response().end(page.toString()))) {
      ProfileResult result = run(profile(server.baseUri()).concurrency(1).requestCount(4));
      assertEquals(4, result.summary().requestCount());
      assertNull(result.serverMetrics().kvMetric());
      assertEquals(
          List.of(
              server.baseUri()
                  + "/metrics: no KV-cache gauge among 12 series (llamacpp:series_0, "
                  + "llamacpp:series_1, llamacpp:series_2, llamacpp:series_3, llamacpp:series_4, "
                  + "llamacpp:series_5, llamacpp:series_6, llamacpp:series_7, llamacpp:series_8, "
                  + "llamacpp:series_9, and 2 more); name one with kvMetric"),
          result.serverMetrics().problems());
    }
  }

  @Test
  void aPageTooLargeToReadIsCutOffAndSaidNotBuffered() {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; lines.length() <= 9 << 20; i++) {
      lines.append("vllm:num_requests_running{request_id=\"").append(i).append("\"} 1\n");
    }
    String huge = lines.toString();
    try (ScriptedServer server =
        answeringAfterTheSecondScrape(request -> request.response().end(huge))) {
      ProfileResult result =
          run(
              profile(server.baseUri())
                  .concurrency(1)
                  .requestCount(4)
                  .serverMetricsUrl(server.baseUri() + "/metrics"));
      assertEquals(4, result.summary().requestCount());
      List<String> problems = result.serverMetrics().problems();
      assertTrue(
          problems.stream().anyMatch(p -> p.contains("larger than 8 MiB; not read")),
          problems.toString());
    }
  }

  @Test
  void aTargetWithoutMetricsIsScrapedQuietlyForNothing() {
    try (ScriptedServer server =
        ScriptedServer.start(
            request -> {
              if (request.method().name().equals("GET")) {
                request.response().setStatusCode(404).end("no such page");
              } else {
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .end(
                        ScriptedServer.chatChunk(" a")
                            + ScriptedServer.chatChunk(" b")
                            + "data: [DONE]\n\n");
              }
            })) {
      ProfileResult result = run(profile(server.baseUri()).concurrency(2).requestCount(6));
      assertEquals(6, result.summary().requestCount());
      assertTrue(result.serverMetrics().isEmpty());
      assertEquals(List.of(), result.serverMetrics().problems());
    }
  }

  @Test
  void keepsEachReplicasSeriesAndAveragesThemAsAnAutoscalerWould() {
    try (SimServer busy =
            SimServer.start(
                SimConfig.preset("default")
                    .promptTokenCounter(tokenizer::count)
                    .warmUp(false)
                    .build());
        SimServer idle = SimServer.start(SimConfig.preset("default").warmUp(false).build())) {
      ProfileResult result =
          run(
              profile(busy.baseUri())
                  .concurrency(10)
                  .requestCount(20)
                  .serverMetricsUrl(busy.baseUri() + "/metrics")
                  .serverMetricsUrl(idle.baseUri() + "/v1/metrics"));
      ServerMetrics metrics = result.serverMetrics();
      assertEquals(2, metrics.replicas().size());
      List<ServerSample> busySamples = metrics.replicas().get(0).samples();
      List<ServerSample> idleSamples = metrics.replicas().get(1).samples();
      assertTrue(
          idleSamples.stream().allMatch(s -> s.kvCacheUsage() == 0),
          "the idle replica holds nothing");
      double[] average = metrics.average(ServerSample::kvCacheUsage);
      int rounds = Math.min(busySamples.size(), idleSamples.size());
      for (int i = 0; i < rounds; i++) {
        assertEquals(busySamples.get(i).kvCacheUsage() / 2, average[i], 1e-12, "round " + i);
      }
      assertEquals(SeriesStats.of(average).max() * 100, metrics.kvCacheUsagePercent().max(), 1e-9);
    }
  }
}
