package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.ServerSample;
import io.loadgen.core.Transport;
import io.loadgen.core.internal.engine.MeasuredResult;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merge of run folders written by the exports, with figures computed by hand. */
class MergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode config(Profile profile) {
    return JSON.valueToTree(InputConfig.of(profile));
  }

  @Test
  void anInputConfigReadsBackAsTheProfileThatWroteIt() {
    Profile profile =
        Profile.builder()
            .urls(java.util.List.of("http://10.0.0.1:8000", "http://10.0.0.2:8000"))
            .model("meta/llama3-8b-instruct")
            .endpointType(io.loadgen.core.EndpointType.COMPLETIONS)
            .endpointPath("v2/generate")
            .streaming(true)
            .header("X-Team", "secret")
            .apiKey("sk-secret")
            .extraInput("ignore_eos", true)
            .extraInput("max_tokens", 200)
            .requestTimeout(Duration.ofSeconds(30))
            .requestDeadline(null)
            .loadMode(
                new LoadMode.RequestRate(2.5, LoadMode.Arrivals.GAMMA, 0.5).withMaxConcurrency(16))
            .requestCancellation(10, Duration.ofMillis(500))
            .warmupRequestCount(7)
            .measurementInterval(Duration.ofSeconds(90))
            .goodput(Metric.TIME_TO_FIRST_TOKEN, 250)
            .eventLoops(3)
            .transport(Transport.NIO)
            .startAt(Instant.parse("2026-12-02T14:00:00Z"))
            .useServerTokenCount(true)
            .randomSeed(42)
            .inputTokens(new TokenLengthDistribution(300, 20))
            .outputTokens(new TokenLengthDistribution(150, 5))
            .outputTokensDeterministic(true)
            .tokenizer("hf-internal-testing/llama-tokenizer")
            .tokenizerRevision("v1")
            .numDatasetEntries(50)
            .prefixPrompts(4, 64)
            .inputFile(Path.of("/data/prompts.jsonl"), false)
            .serverMetricsUrl("http://dcgm:9400/metrics")
            .serverMetricsInterval(Duration.ofMillis(2500))
            .kvMetric("my_kv_gauge")
            .build();

    JsonNode written = config(profile);

    assertEquals(written, config(InputConfig.read(written).build()));
  }

  @Test
  void aConcurrencyRunWithDefaultsReadsBackToo() {
    Profile profile =
        Profile.builder()
            .url("127.0.0.1:8000")
            .model("m")
            .concurrency(8)
            .requestCount(100)
            .rampUp(Duration.ofSeconds(5))
            .benchmarkDuration(Duration.ofSeconds(30))
            .benchmarkGracePeriod(Duration.ofSeconds(2))
            .build();
    Profile waitsForAll = profile.toBuilder().benchmarkGracePeriod(null).build();
    assertEquals(config(waitsForAll), config(InputConfig.read(config(waitsForAll)).build()));

    JsonNode written = config(profile);

    assertEquals(written, config(InputConfig.read(written).build()));
  }

  private static final long MS = 1_000_000;
  private static final long T0 = 1_796_216_008_000L;

  /**
   * A pod's run folder: 10 requests of 100 output tokens over 2 s from {@code startMillis} after
   * T0, with TTFT {@code ttftMillis} each; a scrape a second that saw {@code inFlight} of its own
   * in flight and, when {@code kv} is not NaN, that KV-cache usage and a GPU.
   */
  private static Path pod(
      Path dir, String name, long startMillis, long ttftMillis, int inFlight, double kv) {
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
    }
    for (int i = 0; i < 10; i++) {
      histograms.get(Metric.TIME_TO_FIRST_TOKEN).recordValue(ttftMillis * MS);
      histograms.get(Metric.OUTPUT_SEQUENCE_LENGTH).recordValue(100);
      histograms.get(Metric.INPUT_SEQUENCE_LENGTH).recordValue(50);
    }
    RunSummary summary =
        new RunSummary(
            10,
            1,
            new LinkedHashMap<>(Map.of("http_500", 1L)),
            2,
            2_000 * MS,
            1_000,
            500,
            500.0,
            5.0,
            OptionalDouble.of(4.0),
            600,
            1_000,
            false,
            3 * MS,
            null,
            1,
            3,
            1,
            0,
            java.util.List.of());
    List<ServerSample> samples = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      samples.add(
          new ServerSample(
              i * 1_000L,
              kv,
              Double.isNaN(kv) ? Double.NaN : 7,
              Double.isNaN(kv) ? Double.NaN : 0,
              Double.isNaN(kv)
                  ? Map.of()
                  : Map.of("0", new ServerSample.GpuTelemetry(80, 1024, 300)),
              inFlight,
              10L * i,
              250));
    }
    Profile profile =
        Profile.builder()
            .url("127.0.0.1:8000")
            .model("m")
            .streaming(true)
            .concurrency(inFlight)
            .goodput(Metric.TIME_TO_FIRST_TOKEN, 100)
            .build();
    Path runDir = dir.resolve(name);
    Exports.write(
        new MeasuredResult(
            profile,
            histograms,
            summary,
            T0 + startMillis,
            new ServerMetrics(
                List.of(new ServerMetrics.Replica("http://server/metrics", samples)),
                Double.isNaN(kv) ? null : "gpu_cache_usage_perc",
                List.of())),
        runDir);
    return runDir;
  }

  @Test
  void twoPodsFiguresAddUpOverTheUnionOfTheirWindows(@TempDir Path dir) throws Exception {
    // Pod 1 starts 500 ms after pod 0: the union of their 2 s windows is 2.5 s.
    Path a = pod(dir, "pod-0", 0, 10, 3, 0.2);
    Path b = pod(dir, "pod-1", 500, 30, 2, 0.2);

    Merge merge = Merge.of(List.of(a, b));
    merge.write(dir.resolve("merged"));

    JsonNode json = JSON.readTree(dir.resolve("merged/profile_export_genai_perf.json").toFile());
    assertEquals(2_500.0, json.path("benchmark_duration").path("avg").asDouble(), 1e-9);
    assertEquals(20, json.path("request_count").path("avg").asLong());
    assertEquals(2, json.path("error_count").path("errors_by_kind").path("http_500").asLong());
    assertEquals(4, json.path("cancelled_count").path("avg").asLong());
    assertEquals(2, json.path("retry_count").path("avg").asLong());
    assertEquals(6, json.path("cut_count").path("avg").asLong());
    assertEquals(2, json.path("request_cancellation_count").path("avg").asLong());
    // 2 x 1,000 tokens over 2.5 s; 20 requests; 2 x 8 good ones (4/s over each pod's 2 s).
    assertEquals(800.0, json.path("output_token_throughput").path("avg").asDouble(), 1e-9);
    assertEquals(8.0, json.path("request_throughput").path("avg").asDouble(), 1e-9);
    assertEquals(6.4, json.path("request_goodput").path("avg").asDouble(), 1e-9);
    assertEquals(2_000, json.path("server_usage").path("completion_tokens").asLong());
    // Half the requests at 10 ms, half at 30 ms: the added histogram's p50 and p99.
    assertEquals(10.0, json.path("time_to_first_token").path("p50").asDouble(), 0.01);
    assertEquals(30.0, json.path("time_to_first_token").path("p99").asDouble(), 0.03);
    assertEquals(5, json.path("input_config").path("concurrency").asInt());
  }

  @Test
  void theServerIsKeptOnceFromTheFirstRunThatHasItWithTheClientsOfEveryRunSummed(@TempDir Path dir)
      throws Exception {
    // Pod 0 scraped but its page had none of the server's gauges; pod 1 read them, 20 ms after
    // each of pod 0's scrapes.
    Path a = pod(dir, "pod-0", 0, 10, 3, Double.NaN);
    Path b = pod(dir, "pod-1", 20, 10, 2, 0.25);

    Merge.of(List.of(a, b)).write(dir.resolve("merged"));

    JsonNode json = JSON.readTree(dir.resolve("merged/profile_export_genai_perf.json").toFile());
    JsonNode replicas = json.path("server_metrics").path("replicas");
    assertEquals(1, replicas.size(), "the server once, not once per pod");
    JsonNode series = replicas.get(0).path("series");
    assertEquals(3, series.size());
    for (int i = 0; i < 3; i++) {
      JsonNode point = series.get(i);
      assertEquals(25.0, point.path("kv_cache_usage").asDouble(), 1e-9);
      assertEquals(5, point.path("client_requests_in_flight").asInt(), "both pods' " + point);
      assertEquals(20L * i, point.path("client_requests_sent").asLong());
      assertEquals(500.0, point.path("client_tokens_per_sec").asDouble(), 1e-9);
    }
    // On the merged run's time: pod 1's scrapes were 20 ms into the merged run.
    assertEquals(20, series.get(0).path("time_ms").asLong());
    assertEquals(25.0, json.path("kv_cache_usage").path("avg").asDouble(), 1e-9);
    // The GPU's statistics, which the exports keep as statistics only, come along as they were.
    JsonNode original = JSON.readTree(b.resolve("profile_export_genai_perf.json").toFile());
    assertEquals(original.path("telemetry_stats"), json.path("telemetry_stats"));
    String csv = Files.readString(dir.resolve("merged/profile_export_genai_perf.csv"));
    assertEquals(1, csv.split("Metric,GPU,", -1).length - 1, csv);
    assertTrue(csv.contains("GPU Utilization (%),gpu0,80.00"), csv);
  }
}
