package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Metric;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One workload split over two loadgen processes, as an Indexed Job's two pods run it: both profile
 * one simulated server at once, told the same {@code --start-at}, and {@code loadgen merge} makes
 * one run of their folders. Every figure of the merge is checked against the pods' own files, read
 * here with HdrHistogram's reader and Jackson, not with loadgen's code.
 */
@Tag("e2e")
class LoadFromManyPodsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PODS = 2;
  private static final int CONCURRENCY = 3;
  private static final int REQUESTS = 12;
  private static final int OUTPUT_TOKENS = 12;

  private static SimServer sim;

  private record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void startTheServerBothPodsLoad() {
    sim = SimServer.start(SimConfig.preset("default").build());
  }

  @AfterAll
  static void stopTheServer() {
    sim.close();
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] pod(int index, Path artifacts, Instant startAt, String levels) {
    return new String[] {
      "profile",
      "-m",
      SimConfig.preset("default").build().modelName(),
      "--endpoint-type",
      "chat",
      "--streaming",
      "-u",
      sim.baseUri().toString(),
      "--synthetic-input-tokens-mean",
      "30",
      "--synthetic-input-tokens-stddev",
      "0",
      "--output-tokens-mean",
      String.valueOf(OUTPUT_TOKENS),
      "--extra-inputs",
      "min_tokens:" + OUTPUT_TOKENS,
      "--extra-inputs",
      "ignore_eos:true",
      "--concurrency",
      levels,
      "--request-count",
      String.valueOf(REQUESTS),
      "--random-seed",
      String.valueOf(index),
      "--start-at",
      startAt.toString(),
      "--artifact-dir",
      artifacts.resolve("sweep-" + index).toString()
    };
  }

  /** Both pods at once, each in its folder; returns each pod's run folder. */
  private static List<Path> runPods(Path dir) throws IOException {
    List<Path> runDirs = new ArrayList<>();
    for (Path sweep : runPods(dir, String.valueOf(CONCURRENCY))) {
      try (Stream<Path> listing = Files.list(sweep)) {
        runDirs.add(listing.filter(Files::isDirectory).findFirst().orElseThrow());
      }
      JsonNode config = export(runDirs.get(runDirs.size() - 1)).path("input_config");
      assertTrue(config.path("start_at").isTextual(), config.toString());
    }
    return runDirs;
  }

  /** Both pods at once at {@code levels}; returns each pod's artifact folder. */
  private static List<Path> runPods(Path dir, String levels) {
    // A start just ahead, as a Job's shared value is: both wait for it, then start together.
    Instant startAt = Instant.now().plusMillis(1_500);
    List<CompletableFuture<Run>> pods = new ArrayList<>();
    for (int i = 0; i < PODS; i++) {
      String[] args = pod(i, dir, startAt, levels);
      pods.add(CompletableFuture.supplyAsync(() -> run(args)));
    }
    List<Path> artifacts = new ArrayList<>();
    for (int i = 0; i < PODS; i++) {
      Run pod = pods.get(i).join();
      assertEquals(0, pod.exitCode(), pod.err());
      assertFalse(pod.err().contains("passed"), "the start was still to come: " + pod.err());
      assertTrue(
          pod.err().contains("loadgen: prepared; waiting ") && pod.err().contains("(--start-at)"),
          pod.err());
      artifacts.add(dir.resolve("sweep-" + i));
    }
    return artifacts;
  }

  private static JsonNode export(Path runDir) throws IOException {
    return JSON.readTree(runDir.resolve("profile_export_genai_perf.json").toFile());
  }

  /** Every interval of every log added together, as HdrHistogram's own tools would. */
  private static Histogram added(List<Path> logs) throws IOException {
    Histogram sum = new Histogram(3);
    for (Path log : logs) {
      try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
        EncodableHistogram interval;
        while ((interval = reader.nextIntervalHistogram()) != null) {
          sum.add((Histogram) interval);
        }
      }
    }
    return sum;
  }

  private static long[] window(Path runDir) throws IOException {
    JsonNode bounds =
        JSON.readTree(runDir.resolve("profile_export.json").toFile())
            .path("experiments")
            .get(0)
            .path("window_boundaries");
    return new long[] {bounds.get(0).asLong(), bounds.get(1).asLong()};
  }

  @Test
  void twoPodsMergeIntoOneRunWhosePercentilesAreThoseOfTheAddedHistogramsAndWhoseCountsAddUp(
      @TempDir Path dir) throws IOException {
    List<Path> pods = runPods(dir);
    Path merged = dir.resolve("merged");

    Run merge =
        run(
            "merge",
            pods.get(0).toString(),
            pods.get(1).toString(),
            "--output",
            merged.toString(),
            "--generate-plots");

    assertEquals(0, merge.exitCode(), merge.err());
    assertEquals("", merge.err());
    assertTrue(merge.out().contains("LLM Metrics"), merge.out());
    JsonNode result = export(merged);

    // Percentiles: those of the pods' histograms added, metric by metric.
    for (Metric metric :
        List.of(
            Metric.TIME_TO_FIRST_TOKEN,
            Metric.INTER_TOKEN_LATENCY,
            Metric.REQUEST_LATENCY,
            Metric.OUTPUT_SEQUENCE_LENGTH,
            Metric.SEND_LAG)) {
      String log = metric.key() + ".hlog";
      Histogram expected = added(List.of(pods.get(0).resolve(log), pods.get(1).resolve(log)));
      assertEquals(PODS * REQUESTS, expected.getTotalCount(), metric.key());
      JsonNode stats = result.path(metric.key());
      double scale = metric.scale();
      for (double percentile : new double[] {25, 50, 75, 90, 95, 99}) {
        assertEquals(
            expected.getValueAtPercentile(percentile) / scale,
            stats.path("p" + (int) percentile).asDouble(),
            metric.key() + " p" + percentile);
      }
      assertEquals(expected.getMaxValue() / scale, stats.path("max").asDouble(), metric.key());
      assertEquals(expected.getMinValue() / scale, stats.path("min").asDouble(), metric.key());
      assertEquals(expected.getMean() / scale, stats.path("avg").asDouble(), 1e-9, metric.key());
      // The merged log adds up to the same histogram.
      assertEquals(expected, added(List.of(merged.resolve(log))), metric.key() + " merged log");
    }

    // Counts: requests and output tokens add up, in the summary and in the raw export.
    assertEquals(PODS * REQUESTS, result.path("request_count").path("avg").asLong());
    assertEquals(0, result.path("error_count").path("avg").asLong());
    JsonNode raw = JSON.readTree(merged.resolve("profile_export.json").toFile());
    JsonNode requests = raw.path("experiments").get(0).path("requests");
    assertEquals(PODS * REQUESTS, requests.size());
    long rawTokens = 0;
    for (JsonNode request : requests) {
      rawTokens += request.path("output_tokens").asLong();
    }
    assertEquals((long) PODS * REQUESTS * OUTPUT_TOKENS, rawTokens);

    // Throughput: the total over the union of the pods' windows.
    long[] first = window(pods.get(0));
    long[] second = window(pods.get(1));
    long union = Math.max(first[1], second[1]) - Math.min(first[0], second[0]);
    assertEquals(union / 1e6, result.path("benchmark_duration").path("avg").asDouble(), 1e-6);
    assertEquals(
        rawTokens / (union / 1e9),
        result.path("output_token_throughput").path("avg").asDouble(),
        1e-6);
    assertEquals(
        PODS * REQUESTS / (union / 1e9),
        result.path("request_throughput").path("avg").asDouble(),
        1e-9);
    JsonNode window = raw.path("experiments").get(0).path("window_boundaries");
    assertEquals(Math.min(first[0], second[0]), window.get(0).asLong());
    assertEquals(Math.max(first[1], second[1]), window.get(1).asLong());

    // The settings: the whole load, and where it came from.
    JsonNode config = result.path("input_config");
    assertEquals(PODS * CONCURRENCY, config.path("concurrency").asInt());
    assertEquals(PODS * REQUESTS, config.path("request_count").asInt());
    assertEquals(pods.get(0).toString(), config.path("merged_from").get(0).asText());
    assertEquals(pods.get(1).toString(), config.path("merged_from").get(1).asText());
    // Server metrics kept once: the first pod's replica series, not one per pod; the client's
    // requests in flight at each scrape are both pods'.
    JsonNode replicas = result.path("server_metrics").path("replicas");
    assertEquals(1, replicas.size());
    int inFlight = 0;
    for (JsonNode point : replicas.get(0).path("series")) {
      inFlight = Math.max(inFlight, point.path("client_requests_in_flight").asInt());
    }
    assertEquals(PODS * CONCURRENCY, inFlight, replicas.toString());
    for (String file : List.of("profile_export_genai_perf.csv", "report.html")) {
      assertTrue(Files.isRegularFile(merged.resolve(file)), file);
    }
    String report = Files.readString(merged.resolve("report.html"));
    assertTrue(report.contains("merged_from"), "the report's settings name the runs merged");
    // The charts of --generate-plots, drawn from the merged files, are in plots/ and the report.
    for (String chart : List.of("time_to_first_token.png", "request_latency.png")) {
      assertTrue(Files.isRegularFile(merged.resolve("plots").resolve(chart)), chart);
      assertTrue(report.contains("alt=\"" + chart + "\""), chart);
    }
  }

  @Test
  void sweepFoldersAreMergedLevelByLevelWithTheirSummaryWrittenAgain(@TempDir Path dir)
      throws IOException {
    List<Path> sweeps = runPods(dir, "1,2");
    Path merged = dir.resolve("merged");

    Run merge =
        run("merge", sweeps.get(0).toString(), sweeps.get(1).toString(), "-o", merged.toString());

    assertEquals(0, merge.exitCode(), merge.err());
    String model = SimConfig.preset("default").build().modelName().replace('/', '_');
    JsonNode summary = JSON.readTree(merged.resolve("sweep_summary.json").toFile());
    JsonNode levels = summary.path("levels");
    assertEquals(2, levels.size(), summary.toString());
    for (int level = 1; level <= 2; level++) {
      // Each level folder is the two pods' level of that name, named for the load of both.
      Path levelDir = merged.resolve(model + "-openai-chat-concurrency" + (PODS * level));
      JsonNode export = export(levelDir);
      assertEquals(PODS * REQUESTS, export.path("request_count").path("avg").asLong());
      String log = Metric.TIME_TO_FIRST_TOKEN.key() + ".hlog";
      String name = model + "-openai-chat-concurrency" + level;
      Histogram expected =
          added(
              List.of(
                  sweeps.get(0).resolve(name).resolve(log),
                  sweeps.get(1).resolve(name).resolve(log)));
      assertEquals(
          expected.getValueAtPercentile(99) / 1e6,
          export.path("time_to_first_token").path("p99").asDouble());
      assertEquals(PODS * REQUESTS, levels.get(level - 1).path("requests").asLong());
      assertTrue(Files.isRegularFile(levelDir.resolve("report.html")));
    }
    assertTrue(Files.isRegularFile(merged.resolve("sweep_summary.csv")));
    assertTrue(Files.isRegularFile(merged.resolve("report.html")));
  }
}
