package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.EndpointType;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RawResponse;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RunSummary;
import io.loadgen.core.internal.engine.MeasuredResult;
import io.loadgen.core.internal.record.MetricsRecorder;
import io.loadgen.core.internal.record.RequestTimings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000_000;

  static Profile.Builder profile() {
    return Profile.builder()
        .url("127.0.0.1:8000")
        .model("meta/llama-3.1-8b-instruct")
        .streaming(true)
        .concurrency(10)
        .header("X-Secret", "s3cr3t-header")
        .apiKey("sk-abc-key");
  }

  /** TTFT 10..100 ms in steps of 10; ITL 5 ms; lengths 200; 10 requests over 2 s. */
  static MeasuredResult result(Profile profile, long errors, OptionalDouble goodput) {
    return result(profile, errors, goodput, 2 * MS, 0);
  }

  private static MeasuredResult result(
      Profile profile, long errors, OptionalDouble goodput, long maxLoopDelayNanos, long retries) {
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      histograms.put(metric, new Histogram(3));
    }
    for (int i = 1; i <= 10; i++) {
      histograms.get(Metric.TIME_TO_FIRST_TOKEN).recordValue(i * 10 * MS);
      histograms.get(Metric.TIME_TO_SECOND_TOKEN).recordValue(5 * MS);
      histograms.get(Metric.REQUEST_LATENCY).recordValue(1000 * MS + i * 10 * MS);
      histograms.get(Metric.INTER_TOKEN_LATENCY).recordValue(5 * MS);
      histograms.get(Metric.OUTPUT_TOKEN_THROUGHPUT_PER_USER).recordValue(200_000);
      histograms.get(Metric.OUTPUT_SEQUENCE_LENGTH).recordValue(200);
      histograms.get(Metric.INPUT_SEQUENCE_LENGTH).recordValue(100 + i);
    }
    Map<String, Long> kinds = new LinkedHashMap<>();
    if (errors > 0) {
      kinds.put("http_500", errors - 1);
      kinds.put("connection_reset", 1L);
    }
    RunSummary summary =
        new RunSummary(
            10,
            errors,
            kinds,
            0,
            2000 * MS,
            2000,
            1055,
            1000.0,
            5.0,
            goodput,
            -1,
            -1,
            false,
            maxLoopDelayNanos,
            null,
            retries,
            0,
            0,
            0,
            java.util.List.of());
    return new MeasuredResult(
        profile, histograms, summary, 1_700_000_000_000L, io.loadgen.core.ServerMetrics.NONE);
  }

  @Test
  void rendersGenaiPerfsTableWithHandComputedFigures() {
    String table = ConsoleTable.render(result(profile().build(), 0, OptionalDouble.empty()));
    assertTrue(table.contains("LLM Metrics"));
    assertTrue(
        table
            .lines()
            .anyMatch(l -> l.contains("Statistic") && l.contains("avg") && l.contains("p75")));
    // TTFT: avg 55, min 10, max 100 (3 significant digits).
    String ttft =
        table.lines().filter(l -> l.contains("Time To First Token (ms)")).findFirst().orElseThrow();
    // Values are exact to 3 significant digits: 10 ms may show as 9.99, 100 ms as 100.01.
    String[] cells = ttft.split("│");
    assertEquals(55.0, Double.parseDouble(cells[2].trim()), 0.06, ttft);
    assertEquals(10.0, Double.parseDouble(cells[3].trim()), 0.01, ttft);
    assertEquals(100.0, Double.parseDouble(cells[4].trim()), 0.1, ttft);
    assertTrue(table.contains("Request Latency (ms)") && table.contains("1,0"), table);
    String count =
        table.lines().filter(l -> l.contains("Request Count (count)")).findFirst().orElseThrow();
    assertTrue(count.matches(".*│\\s+10 │\\s+N/A │.*"), count);
    assertTrue(table.contains("Output Token Throughput (tokens/sec) │ 1,000.00"), table);
    assertFalse(table.contains("Request Goodput"));
    assertFalse(table.contains("Errors:"));
    assertTrue(table.startsWith(" "), "the title is centred");
  }

  @Test
  void hidesStreamingOnlyRowsWithoutStreaming() {
    String table =
        ConsoleTable.render(result(profile().streaming(false).build(), 0, OptionalDouble.empty()));
    assertFalse(table.contains("Time To First Token"));
    assertFalse(table.contains("Inter Token Latency"));
    assertTrue(table.contains("Request Latency (ms)"));
    assertTrue(table.contains("Output Sequence Length (tokens)"));
  }

  @Test
  void showsGoodputWhenObjectivesWereSetAndStatesFailures() {
    String table = ConsoleTable.render(result(profile().build(), 3, OptionalDouble.of(2.5)));
    assertTrue(table.contains("Request Goodput (per sec) │     2.50"), table);
    assertTrue(
        table.contains("Errors: 3 of 13 requests failed (http_500: 2, connection_reset: 1)"),
        table);
  }

  @Test
  void flagsARunWhoseEventLoopWasBlocked(@TempDir Path dir) throws IOException {
    // 4.6 s, as a loop carrying 15,000 streams was once kept from its sockets.
    MeasuredResult blocked = result(profile().build(), 0, OptionalDouble.empty(), 4_600 * MS, 0);
    String table = ConsoleTable.render(blocked);
    assertTrue(
        table.contains(
            "Warning: a client event loop was blocked for 4,600.00 ms (over 100 ms): tokens that"
                + " arrived meanwhile were timed late"),
        table);
    Exports.write(blocked, dir.resolve("blocked"));
    JsonNode delay =
        JSON.readTree(dir.resolve("blocked").resolve(Exports.JSON_FILE).toFile())
            .path("event_loop_delay");
    assertEquals("ms", delay.path("unit").asText());
    assertEquals(4600.0, delay.path("max").asDouble(), 1e-9);
    assertEquals(100.0, delay.path("blocked_threshold").asDouble(), 1e-9);
    assertTrue(delay.path("blocked").asBoolean());

    MeasuredResult healthy = result(profile().build(), 0, OptionalDouble.empty(), 100 * MS, 0);
    assertFalse(ConsoleTable.render(healthy).contains("event loop"));
    Exports.write(healthy, dir.resolve("healthy"));
    JsonNode fine =
        JSON.readTree(dir.resolve("healthy").resolve(Exports.JSON_FILE).toFile())
            .path("event_loop_delay");
    assertEquals(100.0, fine.path("max").asDouble(), 1e-9);
    assertFalse(fine.path("blocked").asBoolean(), "100 ms is the limit, not past it");
  }

  @Test
  void namesArtifactFoldersAsGenaiPerfDoes() {
    assertEquals(
        "meta_llama-3.1-8b-instruct-openai-chat-concurrency10",
        ArtifactNames.directoryName(profile().build()));
    assertEquals(
        "gpt2-openai-completions-request_rate5.0",
        ArtifactNames.directoryName(
            profile()
                .model("gpt2")
                .endpointType(EndpointType.COMPLETIONS)
                .requestRate(5, LoadMode.Arrivals.CONSTANT)
                .build()));
    assertEquals(
        "a_b_c-openai-chat-request_rate2.5",
        ArtifactNames.directoryName(
            profile().model("a/b/c").requestRate(2.5, LoadMode.Arrivals.POISSON).build()));
  }

  @Test
  void writesTheJsonExportInGenaiPerfsLayout(@TempDir Path dir) throws IOException {
    Exports.write(result(profile().build(), 3, OptionalDouble.of(2.5)), dir);
    JsonNode json = JSON.readTree(dir.resolve(Exports.JSON_FILE).toFile());
    JsonNode ttft = json.path("time_to_first_token");
    assertEquals("ms", ttft.path("unit").asText());
    for (String statistic :
        List.of(
            "avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max",
            "std")) {
      assertTrue(ttft.has(statistic), statistic);
    }
    assertEquals(55.0, ttft.path("avg").asDouble(), 0.1);
    assertEquals(10.0, ttft.path("min").asDouble(), 0.01);
    assertEquals(50.0, ttft.path("p50").asDouble(), 0.1);
    assertEquals(
        "tokens/sec/user", json.path("output_token_throughput_per_user").path("unit").asText());
    assertEquals(200.0, json.path("output_token_throughput_per_user").path("avg").asDouble(), 0.5);
    assertEquals(1000.0, json.path("output_token_throughput").path("avg").asDouble(), 1e-9);
    assertEquals("requests/sec", json.path("request_throughput").path("unit").asText());
    assertEquals(10, json.path("request_count").path("avg").asInt());
    assertEquals(2.5, json.path("request_goodput").path("avg").asDouble(), 1e-9);
    assertEquals(3, json.path("error_count").path("avg").asInt());
    assertEquals(2, json.path("error_count").path("errors_by_kind").path("http_500").asInt());
    assertEquals(2000.0, json.path("benchmark_duration").path("avg").asDouble(), 1e-9);
    assertEquals("chat", json.path("input_config").path("endpoint_type").asText());
    // The limits that made any timeout: a streamed profile's defaults.
    assertEquals(60.0, json.path("input_config").path("request_timeout").asDouble(), 1e-9);
    assertEquals(600.0, json.path("input_config").path("request_deadline").asDouble(), 1e-9);
    assertEquals(10, json.path("input_config").path("concurrency").asInt());
  }

  @Test
  void writesTheCsvExportInGenaiPerfsTwoSections(@TempDir Path dir) throws IOException {
    Exports.write(result(profile().build(), 0, OptionalDouble.empty()), dir);
    List<String> lines = Files.readAllLines(dir.resolve(Exports.CSV_FILE));
    assertEquals("Metric,avg,min,max,p99,p95,p90,p75,p50,p25", lines.get(0));
    assertTrue(lines.get(1).startsWith("Time To First Token (ms),55.0"), lines.get(1));
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("Request Latency (ms),\"1,0")),
        String.join("\n", lines));
    int blank = lines.indexOf("");
    assertEquals(
        9, blank, "seven of genai-perf's distributions and the send lag, then a blank line");
    assertEquals("Metric,Value", lines.get(blank + 1));
    assertEquals("Output Token Throughput (tokens/sec),1000.00", lines.get(blank + 2));
    assertEquals("Request Throughput (per sec),5.00", lines.get(blank + 3));
    assertEquals("Request Count (count),10.00", lines.get(blank + 4));
  }

  @Test
  void countsRetriesInTheJsonAndCsvAlwaysAndInTheTableOnlyWhenThereWereAny(@TempDir Path dir)
      throws IOException {
    Path none = dir.resolve("none");
    Exports.write(result(profile().build(), 0, OptionalDouble.empty()), none);
    assertEquals(
        0,
        JSON.readTree(none.resolve(Exports.JSON_FILE).toFile())
            .path("retry_count")
            .path("avg")
            .asInt(-1));
    assertTrue(
        Files.readAllLines(none.resolve(Exports.CSV_FILE)).contains("Retry Count (count),0"));
    assertFalse(
        ConsoleTable.render(result(profile().build(), 0, OptionalDouble.empty()))
            .contains("Retries"));

    Path some = dir.resolve("some");
    MeasuredResult retried = result(profile().build(), 0, OptionalDouble.empty(), 2 * MS, 19);
    Exports.write(retried, some);
    JsonNode count = JSON.readTree(some.resolve(Exports.JSON_FILE).toFile()).path("retry_count");
    assertEquals("count", count.path("unit").asText());
    assertEquals(19, count.path("avg").asInt());
    assertTrue(
        Files.readAllLines(some.resolve(Exports.CSV_FILE)).contains("Retry Count (count),19"));
    String table = ConsoleTable.render(retried);
    assertTrue(
        table.contains(
            "Retries: 19 requests were sent again on a fresh connection (the server had closed the"
                + " kept-alive one before answering); their latencies count from the first send."),
        table);
  }

  @Test
  void writesAnHdrHistogramLogPerMetricThatReadsBack(@TempDir Path dir) throws IOException {
    ProfileResult result = result(profile().build(), 0, OptionalDouble.empty());
    Exports.write(result, dir);
    for (Metric metric : Metric.values()) {
      HistogramLogReader reader =
          new HistogramLogReader(dir.resolve(metric.key() + ".hlog").toFile());
      EncodableHistogram read = reader.nextIntervalHistogram();
      assertTrue(read instanceof Histogram, metric.key());
      Histogram histogram = (Histogram) read;
      assertEquals(
          result.histogram(metric).getTotalCount(), histogram.getTotalCount(), metric.key());
      assertEquals(result.histogram(metric).getMean(), histogram.getMean(), 1e-6, metric.key());
    }
  }

  @Test
  void writesEachMetricsIntervalsAsAnHdrHistogramLogThatReadsBackSecondBySecond(@TempDir Path dir)
      throws IOException {
    // Requests end in seconds 0, 0, 1 and 3 of the run (none in 2), on a clock whose origin is 7 s.
    long origin = 7_000 * MS;
    long epochMillis = 1_700_000_000_000L;
    MetricsRecorder recorder = new MetricsRecorder(true, Map.of(), origin);
    long[] ends = {origin + 200 * MS, origin + 900 * MS, origin + 1_500 * MS, origin + 3_100 * MS};
    for (int i = 0; i < ends.length; i++) {
      long start = ends[i] - (100 + i) * MS;
      recorder.recordSuccess(
          start,
          new RequestTimings(10 * MS, 5 * MS, (100 + i) * MS, 3 * MS, 333_333),
          7,
          31,
          ends[i]);
      recorder.recordSendLag(start, start + MS, ends[i]);
      recorder.recordSlotWait(start, start + 2 * MS, ends[i]);
      recorder.recordReasoning(10, 21, 20 * MS, ends[i]);
    }
    Map<Metric, List<Histogram>> intervals = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      intervals.put(metric, recorder.intervals(metric, epochMillis * 1_000_000, origin));
    }
    ProfileResult result =
        new MeasuredResult(
            profile().build(),
            recorder.histograms(),
            intervals,
            recorder.summary(0, 0, false, 0, null),
            epochMillis,
            io.loadgen.core.ServerMetrics.NONE);
    Exports.write(result, dir);
    for (Metric metric : Metric.values()) {
      HistogramLogReader reader =
          new HistogramLogReader(dir.resolve(metric.key() + ".hlog").toFile());
      List<Long> counts = new java.util.ArrayList<>();
      Histogram sum = new Histogram(3);
      for (int second = 0; ; second++) {
        EncodableHistogram read = reader.nextIntervalHistogram();
        if (read == null) {
          break;
        }
        assertEquals(epochMillis + second * 1000L, read.getStartTimeStamp(), metric.key());
        assertEquals(epochMillis + (second + 1) * 1000L, read.getEndTimeStamp(), metric.key());
        counts.add(((Histogram) read).getTotalCount());
        sum.add((Histogram) read);
      }
      assertEquals(List.of(2L, 1L, 0L, 1L), counts, metric.key());
      assertEquals(result.histogram(metric).getTotalCount(), sum.getTotalCount(), metric.key());
      assertEquals(result.histogram(metric).getMean(), sum.getMean(), 1e-6, metric.key());
    }
  }

  @Test
  void streamsTheRawExportInPerfAnalyzersLayout(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("profile_export.json");
    Profile profile = profile().build();
    try (RawExportSink sink = new RawExportSink(file, profile)) {
      sink.accept(
          new RequestRecord(
              0,
              true,
              100,
              100,
              new long[] {150},
              "{\"warm\":1}",
              " a",
              5,
              1,
              -1,
              -1,
              200,
              null,
              null,
              java.util.List.of(),
              0,
              0));
      sink.accept(
          new RequestRecord(
              1,
              false,
              200,
              201,
              new long[] {250, 260, 270},
              "{\"model\":\"m\"}",
              " a b c",
              5,
              3,
              5,
              3,
              200,
              null,
              null,
              java.util.List.of(),
              1,
              0));
      sink.accept(
          new RequestRecord(
              2,
              false,
              300,
              301,
              new long[0],
              "{\"model\":\"m\"}",
              "",
              5,
              0,
              -1,
              -1,
              500,
              "http_500",
              "HTTP 500: boom",
              java.util.List.of(),
              0,
              0));
    }
    JsonNode json = JSON.readTree(file.toFile());
    JsonNode experiment = json.path("experiments").get(0);
    assertEquals("concurrency", experiment.path("experiment").path("mode").asText());
    assertEquals(10, experiment.path("experiment").path("value").asInt());
    JsonNode requests = experiment.path("requests");
    assertEquals(3, requests.size());
    assertTrue(requests.get(0).path("warmup").asBoolean());
    JsonNode second = requests.get(1);
    assertEquals(201, second.path("timestamp").asLong());
    assertEquals(200, second.path("intended_timestamp").asLong());
    assertEquals("{\"model\":\"m\"}", second.path("request_inputs").path("payload").asText());
    assertEquals(3, second.path("response_timestamps").size());
    assertEquals(" a b c", second.path("response_outputs").get(0).path("response").asText());
    assertEquals(3, second.path("server_usage").path("completion_tokens").asInt());
    assertEquals("http_500", requests.get(2).path("error").path("kind").asText());
    // Written only for a request sent again, as warmup only for warm-up ones.
    assertEquals(1, second.path("retries").asInt());
    assertTrue(requests.get(2).path("retries").isMissingNode());
    assertEquals(200, experiment.path("window_boundaries").get(0).asLong());
    assertEquals(301, experiment.path("window_boundaries").get(1).asLong());
    assertEquals("v1/chat/completions", json.path("endpoint").asText());
    assertEquals("openai", json.path("service_kind").asText());
  }

  @Test
  void writesEveryRawResponseBesideItsArrivalAndSaysWhichWasCut(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("profile_export.json");
    List<RawResponse> raw =
        List.of(
            new RawResponse(250, "data: {\"choices\":[{\"delta\":{\"content\":\" a\"}}]}", false),
            new RawResponse(260, "data: {\"choi", true),
            new RawResponse(
                270, "data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}", false),
            new RawResponse(271, "data: [DONE]", false));
    try (RawExportSink sink = new RawExportSink(file, profile().build())) {
      sink.accept(
          new RequestRecord(
              1,
              false,
              200,
              201,
              new long[] {250, 260},
              "{}",
              " a b",
              5,
              2,
              -1,
              2,
              200,
              null,
              null,
              raw,
              0,
              0));
    }
    JsonNode request =
        JSON.readTree(file.toFile()).path("experiments").get(0).path("requests").get(0);
    JsonNode timestamps = request.path("response_timestamps");
    JsonNode outputs = request.path("response_outputs");
    assertEquals(4, timestamps.size());
    assertEquals(4, outputs.size());
    for (int i = 0; i < raw.size(); i++) {
      assertEquals(raw.get(i).epochNanos(), timestamps.get(i).asLong());
      assertEquals(raw.get(i).text(), outputs.get(i).path("response").asText());
      assertEquals(raw.get(i).cut(), outputs.get(i).path("cut").asBoolean());
    }
    assertTrue(request.path("responses_cut").asBoolean());
    assertEquals(" a b", request.path("output_text").asText());
  }

  @Test
  void theCsvAddsErrorsByKindCancelledRetriedAndInterruptedAfterGenaiPerfsRows(@TempDir Path dir)
      throws IOException {
    Exports.write(result(profile().build(), 3, OptionalDouble.empty()), dir);
    List<String> lines = Files.readAllLines(dir.resolve(Exports.CSV_FILE));
    int count = lines.indexOf("Request Count (count),10.00");
    assertEquals(
        List.of(
            "Error Count (count),3",
            "Errors: http_500 (count),2",
            "Errors: connection_reset (count),1",
            "Cancelled Count (count),0",
            "Cut Count (count),0",
            "Request Cancellation Count (count),0",
            "Retry Count (count),0",
            "Interrupted,false",
            "Aborted,false"),
        lines.subList(count + 1, count + 10),
        String.join("\n", lines));
  }

  @Test
  void anAbortedRunSaysWhyInEveryExport(@TempDir Path dir) throws IOException {
    MeasuredResult ok = result(profile().build(), 3, OptionalDouble.empty());
    RunSummary s = ok.summary();
    RunSummary aborted =
        new RunSummary(
            0,
            3,
            Map.of("http_404", 3L),
            1,
            s.benchmarkDurationNanos(),
            0,
            0,
            0,
            0,
            OptionalDouble.empty(),
            -1,
            -1,
            false,
            0,
            "POST x failed (http_404: HTTP 404: Not Found); is it an OpenAI-compatible server?",
            0,
            0,
            0,
            0,
            java.util.List.of());
    Map<Metric, Histogram> histograms = new EnumMap<>(Metric.class);
    ProfileResult result =
        new MeasuredResult(
            ok.profile(), histograms, aborted, 1L, io.loadgen.core.ServerMetrics.NONE);
    Exports.write(result, dir);
    JsonNode json = JSON.readTree(dir.resolve(Exports.JSON_FILE).toFile());
    assertTrue(json.path("aborted").asBoolean());
    assertEquals(aborted.abortReason(), json.path("abort_reason").asText());
    assertEquals(3, json.path("error_count").path("avg").asInt());
    String csv = Files.readString(dir.resolve(Exports.CSV_FILE));
    assertTrue(csv.contains("\r\nAborted,true\r\nAbort Reason,POST x failed"), csv);
    assertTrue(ConsoleTable.render(result).contains("Stopped: POST x failed"));
  }

  @Test
  void anInterruptedSweepIsSummarisedOverTheLevelsThatRanAndNamesTheLevelCut(@TempDir Path dir)
      throws IOException {
    MeasuredResult first = result(profile().concurrency(1).build(), 0, OptionalDouble.empty());
    RunSummary s = first.summary();
    RunSummary cut =
        new RunSummary(
            4,
            0,
            Map.of(),
            2,
            s.benchmarkDurationNanos(),
            s.totalOutputTokens(),
            s.totalInputTokens(),
            1,
            1,
            OptionalDouble.empty(),
            -1,
            -1,
            true,
            0,
            null,
            0,
            0,
            0,
            0,
            java.util.List.of());
    ProfileResult second =
        new MeasuredResult(
            profile().concurrency(2).build(),
            new EnumMap<>(Metric.class),
            cut,
            1L,
            io.loadgen.core.ServerMetrics.NONE);
    List<LoadMode> planned =
        List.of(
            new LoadMode.Concurrency(1), new LoadMode.Concurrency(2), new LoadMode.Concurrency(4));
    SweepSummary sweep = SweepSummary.of(List.of(first, second), planned, 90);
    assertTrue(sweep.interrupted());
    assertEquals("concurrency 2", sweep.interruptedLevel());
    assertEquals(List.of("concurrency 4"), sweep.levelsNotRun());
    assertTrue(sweep.render().contains("Interrupted at concurrency 2; not run: concurrency 4"));
    sweep.write(dir);
    JsonNode json = JSON.readTree(dir.resolve("sweep_summary.json").toFile());
    assertTrue(json.path("interrupted").asBoolean());
    assertEquals("concurrency 2", json.path("interrupted_level").asText());
    assertFalse(json.path("levels").get(0).path("interrupted").asBoolean());
    assertTrue(json.path("levels").get(1).path("interrupted").asBoolean());
    // The CSV marks the level cut in its column; what is about the sweep is in the JSON only.
    List<List<String>> csv = StrictCsv.table(Files.readString(dir.resolve("sweep_summary.csv")));
    assertEquals(3, csv.size());
    int interrupted = csv.get(0).indexOf("interrupted");
    assertEquals("false", csv.get(1).get(interrupted));
    assertEquals("true", csv.get(2).get(interrupted));
    // Stopped between levels: the first level that never started is the one cut.
    SweepSummary between = SweepSummary.of(List.of(first), planned, 90);
    assertEquals("concurrency 2", between.interruptedLevel());
    assertFalse(SweepSummary.of(List.of(first), planned.subList(0, 1), 90).interrupted());
  }

  @Test
  void writesNoSecretIntoAnyExport(@TempDir Path dir) throws IOException {
    Profile profile = profile().build();
    Exports.write(result(profile, 1, OptionalDouble.empty()), dir);
    try (RawExportSink sink = new RawExportSink(dir.resolve("profile_export.json"), profile)) {
      sink.accept(
          new RequestRecord(
              0,
              false,
              1,
              1,
              new long[] {2},
              "{}",
              " a",
              1,
              1,
              -1,
              -1,
              200,
              null,
              null,
              java.util.List.of(),
              0,
              0));
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String content = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("s3cr3t-header"), file.toString());
        assertFalse(content.contains("sk-abc-key"), file.toString());
      }
    }
  }

  @Test
  void reportsAnUnwritableFolderInOneLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    ArtifactWriteException e =
        assertThrows(
            ArtifactWriteException.class,
            () ->
                Exports.write(
                    result(profile().build(), 0, OptionalDouble.empty()), file.resolve("run")));
    assertTrue(e.getMessage().contains("--artifact-dir"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void writesEveryOtherExportWhenOneCannotBeWrittenAndSaysSoInOneLine(@TempDir Path dir)
      throws IOException {
    // A folder where the JSON export goes: that file cannot be written, the others can.
    Files.createDirectories(dir.resolve(Exports.JSON_FILE));
    Files.writeString(dir.resolve(Exports.JSON_FILE).resolve("keep"), "x");
    ArtifactWriteException e =
        assertThrows(
            ArtifactWriteException.class,
            () -> Exports.write(result(profile().build(), 0, OptionalDouble.empty()), dir));
    assertTrue(
        e.getMessage().startsWith("cannot write " + dir.resolve(Exports.JSON_FILE)),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(Files.size(dir.resolve(Exports.CSV_FILE)) > 0);
    for (Metric metric : Metric.values()) {
      assertTrue(Files.size(dir.resolve(metric.key() + ".hlog")) > 0, metric.key());
    }
  }

  @Test
  void blamesTheOpenFileLimitNotTheFolderWhenTheProcessIsOutOfFiles() {
    Path file = Path.of("artifacts", "run", Exports.CSV_FILE);
    ArtifactWriteException e =
        ArtifactWriteException.outOfOpenFiles(
            file, new java.nio.file.FileSystemException(file.toString() + ": Too many open files"));
    assertTrue(ArtifactWriteException.outOfOpenFiles(new IOException("x: Too many open files")));
    assertEquals(
        "cannot write "
            + file.toAbsolutePath()
            + ": the process has run out of open files; raise the limit (ulimit -n) or lower the"
            + " concurrency",
        e.getMessage());
  }

  /**
   * A level whose server said the KV cache was {@code kvPercent[i]} at scrape i, with {@code
   * inFlight} in flight.
   */
  static ProfileResult level(int concurrency, double... kvFractions) {
    List<io.loadgen.core.ServerSample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < kvFractions.length; i++) {
      samples.add(
          new io.loadgen.core.ServerSample(
              i * 1000L,
              kvFractions[i],
              concurrency,
              0,
              Map.of("0", new io.loadgen.core.ServerSample.GpuTelemetry(50 + i, 40_000, 300)),
              concurrency,
              i,
              100));
    }
    io.loadgen.core.ServerMetrics metrics =
        new io.loadgen.core.ServerMetrics(
            List.of(new io.loadgen.core.ServerMetrics.Replica("http://pod:8000/metrics", samples)),
            "gpu_cache_usage_perc",
            List.of());
    return result(profile().concurrency(concurrency).build(), 0, OptionalDouble.empty())
        .withServerMetrics(metrics);
  }

  @Test
  void theSweepFitsKvUsagePerRequestThroughTheOriginAndFindsTheTargetConcurrency(@TempDir Path dir)
      throws Exception {
    // KV avg: 10% at 100, 20% at 200, 30% at 300: exactly 0.1% a request, so 100% at 1,000.
    SweepSummary sweep =
        SweepSummary.of(
            List.of(level(100, 0.08, 0.12), level(200, 0.2, 0.2), level(300, 0.25, 0.35)), 100);
    assertEquals(0.1, sweep.kvPercentPerRequest(), 1e-9);
    assertEquals(0.1, sweep.kvPercentPerRunningRequest(), 1e-9);
    assertEquals(1000, sweep.concurrencyAtKvTarget(), 1e-6);
    assertEquals(SweepSummary.of(List.of(level(100, 0.1)), 50).concurrencyAtKvTarget(), 500, 1e-6);
    String table = sweep.render();
    assertTrue(table.contains("concurrency 300") && table.contains("100% at about 1000"), table);
    sweep.write(dir);
    List<List<String>> csv = StrictCsv.table(Files.readString(dir.resolve("sweep_summary.csv")));
    assertEquals(List.of("level", "requests_in_flight", "ttft_p50_ms"), csv.get(0).subList(0, 3));
    assertEquals(4, csv.size(), "a header and a row per level, nothing after: " + csv);
    assertEquals(List.of("concurrency 200", "200.0000"), csv.get(2).subList(0, 2));
    JsonNode json = JSON.readTree(dir.resolve("sweep_summary.json").toFile());
    assertEquals(1000.0, json.path("fit").path("requests_in_flight_at_kv_target").asDouble(), 1e-6);
    assertEquals(3, json.path("levels").size());
    assertEquals(30.0, json.path("levels").get(2).path("kv_cache_usage_avg_pct").asDouble(), 1e-9);
    assertEquals(35.0, json.path("levels").get(2).path("kv_cache_usage_max_pct").asDouble(), 1e-9);
  }

  @Test
  void exportsServerMetricsKvUsageAndTelemetryBesideTheLatencyMetrics(@TempDir Path dir)
      throws Exception {
    Exports.write(level(100, 0.1, 0.3), dir);
    JsonNode json = JSON.readTree(dir.resolve("profile_export_genai_perf.json").toFile());
    assertEquals("%", json.path("kv_cache_usage").path("unit").asText());
    assertEquals(20.0, json.path("kv_cache_usage").path("avg").asDouble(), 1e-9);
    assertEquals(30.0, json.path("kv_cache_usage").path("max").asDouble(), 1e-9);
    assertEquals("gpu_cache_usage_perc", json.path("kv_cache_usage").path("metric").asText());
    JsonNode series = json.path("server_metrics").path("replicas").get(0).path("series");
    assertEquals(2, series.size());
    assertEquals(30.0, series.get(1).path("kv_cache_usage").asDouble(), 1e-9);
    assertEquals(100, series.get(1).path("client_requests_in_flight").asInt());
    assertEquals(
        50.5,
        json.path("telemetry_stats").path("gpu_utilization").path("gpu0").path("avg").asDouble(),
        1e-9);
    assertEquals(
        40_000 * 1024.0 * 1024 / 1e9,
        json.path("telemetry_stats").path("gpu_memory_used").path("gpu0").path("max").asDouble(),
        1e-9);
    String csv = Files.readString(dir.resolve("profile_export_genai_perf.csv"));
    assertTrue(
        csv.contains(
            "\r\nServer Metric,avg,min,max,p50,p90,p99\r\nKV Cache Usage (%),20.00,10.00,30.00"),
        csv);
    assertTrue(csv.contains("GPU Power Usage (W),gpu0,300.00"), csv);
    String table = ConsoleTable.render(level(100, 0.1, 0.3));
    assertTrue(
        table.contains("KV cache usage avg 20.00%, max 30.00% (gpu_cache_usage_perc)"), table);
  }

  @Test
  void quotesAGpuLabelHoldingACommaOrQuoteInTheCsvExport(@TempDir Path dir) throws Exception {
    // The GPU's name is the server's label value: DCGM-exporter's page could carry anything there.
    List<io.loadgen.core.ServerSample> samples =
        List.of(
            new io.loadgen.core.ServerSample(
                0,
                0.5,
                1,
                0,
                Map.of("0,\"a\"", new io.loadgen.core.ServerSample.GpuTelemetry(40, 1000, 200)),
                1,
                1,
                10));
    io.loadgen.core.ServerMetrics metrics =
        new io.loadgen.core.ServerMetrics(
            List.of(new io.loadgen.core.ServerMetrics.Replica("http://dcgm:9400/metrics", samples)),
            null,
            List.of());
    Exports.write(
        result(profile().build(), 0, OptionalDouble.empty()).withServerMetrics(metrics), dir);
    String csv = Files.readString(dir.resolve(Exports.CSV_FILE));
    assertTrue(
        csv.contains(
            "\r\nGPU Utilization (%),\"gpu0,\"\"a\"\"\",40.00,40.00,40.00,40.00,40.00,40.00\r\n"),
        csv);
    assertTrue(csv.contains("\r\nGPU Power Usage (W),\"gpu0,\"\"a\"\"\",200.00,"), csv);
  }
}
