package io.loadgen.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The simulator's /metrics under load that fills its cache, and its fault knobs. */
@Tag("e2e")
class SimMetricsAndFaultsTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static SimOverrides engine(long kvBlocks, double decodeStepMillis) {
    return new SimOverrides(
        null, null, null, null, kvBlocks, 64, null, null, decodeStepMillis, null, null, null);
  }

  private CompletableFuture<HttpResponse<String>> stream(URI base, int i, int maxTokens) {
    return http.sendAsync(
        HttpRequest.newBuilder(base.resolve("/v1/completions"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"prompt\":\"p"
                        + i
                        + "\",\"stream\":true,"
                        + "\"max_tokens\":"
                        + maxTokens
                        + ",\"ignore_eos\":true}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reportsCacheUsageQueueingAndPreemptionUnderTheNamesNimAndVllmUse() throws Exception {
    // 20 blocks of 16 tokens; prompts count 40 tokens; each request ends at 240 tokens (15 blocks),
    // so six of them cannot all stay: the cache fills, requests wait and some are preempted.
    SimConfig config =
        SimConfig.preset("default").overrides(engine(20, 2)).promptTokenCounter(text -> 40).build();
    try (SimServer sim = SimServer.start(config)) {
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        responses.add(stream(sim.baseUri(), i, 200));
      }
      awaitTrue(() -> sim.stats().waiting() > 0, Duration.ofSeconds(20));
      String text =
          http.send(
                  HttpRequest.newBuilder(sim.baseUri().resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String name :
          List.of(
              "gpu_cache_usage_perc",
              "num_requests_running",
              "num_requests_waiting",
              "vllm:gpu_cache_usage_perc",
              "vllm:kv_cache_usage_perc",
              "vllm:num_requests_running",
              "vllm:num_requests_waiting",
              "vllm:num_preemptions_total",
              "vllm:prompt_tokens_total",
              "vllm:generation_tokens_total",
              "vllm:time_to_first_token_seconds_bucket",
              "vllm:inter_token_latency_seconds_bucket",
              "prompt_tokens_total",
              "generation_tokens_total")) {
        assertTrue(
            text.contains("\n" + name + "{model_name=\"loadgen-sim\"")
                || text.startsWith(name + "{"),
            name + " missing from:\n" + text);
      }
      double usage = value(text, "gpu_cache_usage_perc");
      assertTrue(usage > 0 && usage <= 1, "usage " + usage);
      assertEquals(usage, value(text, "vllm:kv_cache_usage_perc"));
      responses.forEach(r -> assertTrue(r.join().body().endsWith("data: [DONE]\n\n")));
      SimStats stats = sim.stats();
      assertTrue(stats.preemptions() > 0, "no preemption");
      assertEquals(6 * 200, stats.tokensSent());
      awaitTrue(() -> sim.stats().kvBlocksUsed() == 0, Duration.ofSeconds(5));
      String after =
          http.send(
                  HttpRequest.newBuilder(sim.baseUri().resolve("/v1/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertEquals(6 * 40, value(after, "vllm:prompt_tokens_total"));
      assertEquals(6 * 200, value(after, "vllm:generation_tokens_total"));
      assertEquals(6, value(after, "vllm:time_to_first_token_seconds_count"));
      assertEquals(6 * 199, value(after, "vllm:inter_token_latency_seconds_count"));
      assertEquals(stats.preemptions(), value(after, "vllm:num_preemptions_total"));
    }
  }

  @Test
  void exposesEverySeriesBeforeAnyRequest() throws Exception {
    try (SimServer sim = SimServer.start(SimConfig.preset("llama3-8b-h100").build())) {
      String text = sim.metricsText();
      assertEquals(0.0, value(text, "vllm:num_preemptions_total"));
      assertEquals(0.0, value(text, "vllm:time_to_first_token_seconds_count"));
      assertEquals(0.0, value(text, "gpu_cache_usage_perc"));
      assertEquals(1024.0, value(text, "num_request_max"));
      assertTrue(text.contains("model_name=\"meta/llama3-8b-instruct\""), text);
    }
  }

  @Test
  void aStreamThatFailsToWriteIsCutAndTheOthersOfItsStepGoOn() throws Exception {
    TokenSendListener failsOnFirstRequest =
        (id, index, scheduled, sent) -> {
          if (id == 0 && index == 1) {
            throw new IllegalStateException("a listener that fails");
          }
        };
    SimConfig config =
        SimConfig.preset("default")
            .overrides(engine(1000, 2))
            .tokenSendListener(failsOnFirstRequest)
            .build();
    try (SimServer sim = SimServer.start(config)) {
      CompletableFuture<HttpResponse<String>> first = stream(sim.baseUri(), 0, 20);
      awaitTrue(() -> sim.stats().requestsReceived() == 1, Duration.ofSeconds(5));
      List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
      for (int i = 1; i < 4; i++) {
        others.add(stream(sim.baseUri(), i, 20));
      }
      others.forEach(r -> assertTrue(r.join().body().endsWith("data: [DONE]\n\n")));
      String cut = first.handle((r, e) -> r == null ? "" : r.body()).join();
      assertFalse(cut.contains("[DONE]"), "the failed stream ended as if complete");
    }
  }

  @Test
  void refusesARequestLargerThanTheWholeCache() throws Exception {
    SimConfig config =
        SimConfig.preset("default").overrides(engine(4, 1)).promptTokenCounter(text -> 40).build();
    try (SimServer sim = SimServer.start(config)) {
      HttpResponse<String> response = stream(sim.baseUri(), 0, 100).join();
      assertEquals(400, response.statusCode());
      assertTrue(response.body().contains("KV cache"), response.body());
    }
  }

  @Test
  void injectsServerErrorsDroppedStreamsAndSlowHeadersWhenAsked() throws Exception {
    SimConfig failing =
        SimConfig.preset("default")
            .overrides(engine(1000, 1))
            .faults(new SimFaults(1.0, 0, 0, 0, 0))
            .build();
    try (SimServer sim = SimServer.start(failing)) {
      assertEquals(500, stream(sim.baseUri(), 0, 10).join().statusCode());
    }
    SimConfig dropping =
        SimConfig.preset("default")
            .overrides(engine(1000, 1))
            .faults(new SimFaults(0, 1.0, 0, 0, 0))
            .build();
    try (SimServer sim = SimServer.start(dropping)) {
      CompletableFuture<HttpResponse<String>> cut = stream(sim.baseUri(), 0, 10);
      String body = cut.handle((r, e) -> r == null ? "" : r.body()).join();
      assertFalse(body.contains("[DONE]"), "a dropped stream ended cleanly");
      awaitTrue(() -> sim.stats().tokensSent() == 5, Duration.ofSeconds(5));
    }
    long slowNanos = 300_000_000;
    SimConfig slow =
        SimConfig.preset("default")
            .overrides(engine(1000, 1))
            .faults(new SimFaults(0, 0, 0, 0, slowNanos))
            .build();
    try (SimServer sim = SimServer.start(slow)) {
      long start = System.nanoTime();
      HttpResponse<String> response = stream(sim.baseUri(), 0, 2).join();
      assertEquals(200, response.statusCode());
      assertTrue(System.nanoTime() - start >= slowNanos, "headers were not held back");
    }
  }

  private static double value(String exposition, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)").matcher(exposition);
    assertTrue(m.find(), name + " not in exposition");
    return Double.parseDouble(m.group(1));
  }

  private static void awaitTrue(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within " + limit);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
