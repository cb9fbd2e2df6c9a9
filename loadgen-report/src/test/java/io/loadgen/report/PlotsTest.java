package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.RawResponse;
import io.loadgen.core.RequestRecord;
import io.loadgen.report.internal.plots.PlotData;
import io.loadgen.report.internal.plots.RawExportReader;
import io.loadgen.report.internal.plots.RequestSample;
import io.loadgen.report.internal.plots.Series;
import io.loadgen.report.internal.plots.ServerMetricsReader;
import io.loadgen.report.internal.plots.ServerSeries;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  private static final long MS = 1_000_000;
  private static final long T0 = 1_700_000_000_000L * MS;

  private static final String ROLE = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}";
  private static final String USAGE =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}";
  private static final String DONE = "data: [DONE]";

  private static String token(String text) {
    return "data: {\"choices\":[{\"delta\":{\"content\":\"" + text + "\"}}]}";
  }

  /**
   * A streamed success as the client records it: the role chunk, a content chunk at each of {@code
   * contentMillis} after {@code intended}, the usage chunk and [DONE].
   */
  private static RequestRecord streamed(
      long id, long intended, int inputTokens, long... contentMillis) {
    long send = intended + MS / 2;
    List<RawResponse> raw = new ArrayList<>();
    raw.add(new RawResponse(send + MS / 4, ROLE, false));
    long[] content = new long[contentMillis.length];
    for (int i = 0; i < contentMillis.length; i++) {
      content[i] = intended + contentMillis[i] * MS;
      raw.add(new RawResponse(content[i], token(" t" + i), false));
    }
    long end = content[content.length - 1];
    raw.add(new RawResponse(end + 1, USAGE, false));
    raw.add(new RawResponse(end + 2, DONE, false));
    return new RequestRecord(
        id,
        false,
        intended,
        send,
        content,
        "{}",
        "x".repeat(contentMillis.length),
        inputTokens,
        contentMillis.length,
        5,
        contentMillis.length,
        200,
        null,
        null,
        raw,
        0,
        0);
  }

  private static RequestRecord failed(long id, long intended) {
    return new RequestRecord(
        id,
        false,
        intended,
        intended,
        new long[0],
        "{}",
        "",
        7,
        0,
        -1,
        -1,
        500,
        "http_500",
        "HTTP 500: boom",
        List.of(new RawResponse(intended + MS, "boom", false)),
        0,
        0);
  }

  private static RequestRecord warmup(long id, long intended) {
    RequestRecord r = streamed(id, intended, 9, 3, 4);
    return new RequestRecord(
        r.id(),
        true,
        r.intendedSendEpochNanos(),
        r.sendEpochNanos(),
        r.responseEpochNanos(),
        r.requestBody(),
        r.outputText(),
        r.inputTokens(),
        r.outputTokens(),
        5,
        2,
        200,
        null,
        null,
        r.rawResponses(),
        0,
        0);
  }

  /** Three measured successes (4, 1 and 6 tokens), a failure and a warm-up, through the sink. */
  static Path rawExport(Path dir) {
    Path file = dir.resolve("profile_export.json");
    Profile profile = Profile.builder().url("127.0.0.1:8000").model("m").streaming(true).build();
    try (RawExportSink sink = new RawExportSink(file, profile)) {
      sink.accept(warmup(0, T0));
      sink.accept(streamed(1, T0 + 10 * MS, 100, 20, 25, 31, 38));
      sink.accept(failed(2, T0 + 20 * MS));
      sink.accept(streamed(3, T0 + 30 * MS, 200, 45));
      sink.accept(streamed(4, T0 + 40 * MS, 300, 70, 72, 75, 79, 84, 90));
    }
    return file;
  }

  /** A log of two intervals, as a log of one per second has: the reader must add them. */
  static void histogramLog(Path dir, Metric metric, long... values) throws IOException {
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(dir.resolve(metric.key() + ".hlog")),
            false,
            StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputLogFormatVersion();
      writer.outputStartTime(1000);
      writer.outputLegend();
      for (int half = 0; half < 2; half++) {
        Histogram interval = new Histogram(3);
        for (int i = half; i < values.length; i += 2) {
          interval.recordValue(values[i]);
        }
        interval.setStartTimeStamp(1000 + half * 1000L);
        interval.setEndTimeStamp(2000 + half * 1000L);
        writer.outputIntervalHistogram(interval);
      }
    }
  }

  @Test
  void readsOneSampleForEachMeasuredSuccessWithItsContentArrivalsOnly(@TempDir Path dir)
      throws IOException {
    List<RequestSample> samples = RawExportReader.read(rawExport(dir));
    assertEquals(3, samples.size(), "the warm-up and the failure are left out");
    RequestSample first = samples.get(0);
    assertEquals(100, first.inputTokens());
    assertEquals(4, first.outputTokens());
    assertEquals(T0 + 10 * MS, first.intendedSendEpochNanos());
    long base = T0 + 10 * MS;
    assertArrayEquals(
        new long[] {base + 20 * MS, base + 25 * MS, base + 31 * MS, base + 38 * MS},
        first.contentEpochNanos(),
        "the role chunk, the usage chunk and [DONE] carry no content");
    assertEquals(1, samples.get(1).contentCount());
    assertEquals(6, samples.get(2).contentCount());
  }

  @Test
  void timeToFirstTokenSeriesHasOnePointPerSuccessfulRequestFromItsRecord(@TempDir Path dir)
      throws IOException {
    Series series = PlotData.timeToFirstTokenVsInputLength(RawExportReader.read(rawExport(dir)));
    assertArrayEquals(new double[] {100, 200, 300}, series.x());
    // From the intended send, as the run's metric counts it.
    assertArrayEquals(new double[] {20, 45, 70}, series.y(), 1e-9);
  }

  @Test
  void tokenSeriesHasOnePointPerTokenAfterEachRequestsFirst(@TempDir Path dir) throws IOException {
    Series series = PlotData.tokenToTokenLatencyVsPosition(RawExportReader.read(rawExport(dir)));
    assertEquals((4 - 1) + (1 - 1) + (6 - 1), series.size());
    assertArrayEquals(new double[] {2, 3, 4, 2, 3, 4, 5, 6}, series.x());
    assertArrayEquals(new double[] {5, 6, 7, 2, 3, 4, 5, 6}, series.y(), 1e-9);
  }

  @Test
  void lengthHeatmapCountsEachSuccessfulRequestOnceInTheCellOfItsLengths(@TempDir Path dir)
      throws IOException {
    PlotData.Heatmap cells = PlotData.lengthHeatmap(RawExportReader.read(rawExport(dir)));
    assertEquals(3, cells.total(), "the warm-up and the failure are left out");
    // Inputs 100..300 in whole-token cells, at most 20; outputs 1..6, one token a cell.
    assertEquals(100, cells.xStart());
    assertTrue(cells.columns() <= 20 && cells.columns() * cells.xWidth() > 200, cells.toString());
    assertEquals(1, cells.yStart());
    assertEquals(1, cells.yHeight());
    assertEquals(6, cells.rows());
    long[][] requests = {{100, 4}, {200, 1}, {300, 6}};
    for (long[] request : requests) {
      int column = (int) ((request[0] - cells.xStart()) / cells.xWidth());
      assertEquals(1, cells.count(column, (int) (request[1] - cells.yStart())), request[0] + "");
    }
  }

  @Test
  void lengthHeatmapSpreadsAWideRangeOverTwentyCellsASide() {
    List<RequestSample> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      requests.add(new RequestSample(i, 1000 - i, T0, new long[] {T0 + MS}));
    }
    PlotData.Heatmap cells = PlotData.lengthHeatmap(requests);
    assertEquals(20, cells.columns());
    assertEquals(50, cells.xWidth());
    assertEquals(20, cells.rows());
    assertEquals(1, cells.yStart());
    assertEquals(1000, cells.total());
    // Input i with output 1000 - i: the anti-diagonal, 50 requests in each of its cells.
    for (int column = 0; column < 20; column++) {
      assertEquals(50, cells.count(column, 19 - column), "column " + column);
    }
    assertEquals(50, cells.max());
  }

  @Test
  void percentileCurveReadsEveryIntervalOfTheLogAndPlacesTheNinesOnOneOverOneMinusP(
      @TempDir Path dir) throws IOException {
    long[] values = new long[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i + 1) * MS;
    }
    histogramLog(dir, Metric.REQUEST_LATENCY, values);
    Histogram merged =
        io.loadgen.report.internal.plots.HistogramLogs.readMerged(
            dir.resolve("request_latency.hlog"));
    assertEquals(1000, merged.getTotalCount());
    Series curve = PlotData.percentileCurve("Request Latency", merged, MS);
    boolean sawNinety = false;
    for (int i = 0; i < curve.size(); i++) {
      assertTrue(Double.isFinite(curve.x(i)), "the 100th percentile is left out");
      double percentile = 100 * (1 - 1 / curve.x(i));
      // The value at p of 1..1000 ms is about 10 p ms (3 significant digits).
      assertEquals(Math.max(1, Math.ceil(percentile * 10)), curve.y(i), 1 + curve.y(i) / 500);
      sawNinety |= Math.abs(curve.x(i) - 10) < 1e-6;
    }
    assertTrue(sawNinety, "the 90th percentile sits at x = 10");
  }

  @Test
  void writesEveryChartAsAPngThatDecodesAndShowsItsData(@TempDir Path dir) throws IOException {
    rawExport(dir);
    histogramLog(dir, Metric.TIME_TO_FIRST_TOKEN, 20 * MS, 15 * MS, 40 * MS, 41 * MS);
    histogramLog(dir, Metric.REQUEST_LATENCY, 38 * MS, 15 * MS, 50 * MS, 60 * MS);
    histogramLog(dir, Metric.INTER_TOKEN_LATENCY, 6 * MS, 4 * MS, 5 * MS);
    histogramLog(dir, Metric.OUTPUT_SEQUENCE_LENGTH, 4, 1, 6);

    List<Path> written = Plots.write(dir);

    List<String> names = new ArrayList<>();
    written.forEach(file -> names.add(file.getFileName().toString()));
    assertEquals(
        List.of(
            "time_to_first_token.png",
            "time_to_first_token.html",
            "request_latency.png",
            "request_latency.html",
            "time_to_first_token_vs_input_sequence_lengths.png",
            "time_to_first_token_vs_input_sequence_lengths.html",
            "token-to-token_latency_vs_output_token_position.png",
            "token-to-token_latency_vs_output_token_position.html",
            "distribution_of_input_sequence_lengths_to_output_sequence_lengths.png",
            "distribution_of_input_sequence_lengths_to_output_sequence_lengths.html",
            "time_to_first_token_percentiles.png",
            "time_to_first_token_percentiles.html",
            "request_latency_percentiles.png",
            "request_latency_percentiles.html",
            "inter_token_latency_percentiles.png",
            "inter_token_latency_percentiles.html"),
        names);
    for (Path file : written.stream().filter(f -> f.toString().endsWith(".png")).toList()) {
      assertEquals(dir.resolve("plots"), file.getParent());
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, file + " does not decode as an image");
      assertTrue(
          ChartPixels.coloured(image) > 20, file + " shows no data: only white, grey and black");
    }
  }

  @Test
  void withoutTheRawExportDrawsWhatTheHistogramsHold(@TempDir Path dir) throws IOException {
    histogramLog(dir, Metric.TIME_TO_FIRST_TOKEN, 20 * MS, 15 * MS);
    histogramLog(dir, Metric.REQUEST_LATENCY, 38 * MS, 15 * MS);
    List<Path> written = Plots.write(dir);
    List<String> names = new ArrayList<>();
    written.forEach(file -> names.add(file.getFileName().toString()));
    assertEquals(
        List.of(
            "time_to_first_token.png",
            "time_to_first_token.html",
            "request_latency.png",
            "request_latency.html",
            "time_to_first_token_percentiles.png",
            "time_to_first_token_percentiles.html",
            "request_latency_percentiles.png",
            "request_latency_percentiles.html"),
        names);
  }

  /** A summary export's server_metrics section as ServerMetricsExport writes it, trimmed. */
  static final String SUMMARY =
      """
      {"request_count": {"unit": "requests", "avg": 3},
       "server_metrics": {"kv_metric": "vllm:kv_cache_usage_perc", "problems": [],
        "replicas": [
         {"url": "http://127.0.0.1:8000/metrics", "stats": {}, "series": [
          {"time_ms": 50, "kv_cache_usage": null, "num_requests_running": 1.0,
           "num_requests_waiting": 0.0, "client_requests_in_flight": 2, "client_requests_sent": 2,
           "client_tokens_per_sec": null},
          {"time_ms": 1050, "kv_cache_usage": 12.5, "num_requests_running": 4.0,
           "num_requests_waiting": 2.0, "client_requests_in_flight": 6, "client_requests_sent": 9,
           "client_tokens_per_sec": 300.0},
          {"time_ms": 2050, "kv_cache_usage": 20.0, "num_requests_running": 6.0,
           "num_requests_waiting": 3.0, "client_requests_in_flight": 9, "client_requests_sent": 15,
           "client_tokens_per_sec": 310.0}]},
         {"url": "http://127.0.0.1:8001/metrics", "stats": {}, "series": []}]}}
      """;

  @Test
  void readsEachScrapedReplicasSeriesWithAMissingGaugeAsNaN(@TempDir Path dir) throws IOException {
    Path summary = dir.resolve(Exports.JSON_FILE);
    Files.writeString(summary, SUMMARY);
    List<ServerSeries> replicas = ServerMetricsReader.read(summary);
    assertEquals(1, replicas.size(), "a replica never scraped has no series");
    ServerSeries replica = replicas.get(0);
    assertEquals("http://127.0.0.1:8000/metrics", replica.url());
    assertArrayEquals(new double[] {0.05, 1.05, 2.05}, replica.seconds(), 1e-12);
    assertArrayEquals(new double[] {Double.NaN, 12.5, 20.0}, replica.kvCacheUsagePercent());
    assertArrayEquals(new double[] {1, 4, 6}, replica.running());
    assertArrayEquals(new double[] {0, 2, 3}, replica.waiting());
    assertArrayEquals(new double[] {2, 6, 9}, replica.clientInFlight());
  }

  @Test
  void drawsTheServerMetricsOverTimeWhenTheRunScrapedTheServer(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve(Exports.JSON_FILE), SUMMARY);
    List<Path> written = Plots.write(dir);
    assertEquals(
        List.of(
            dir.resolve("plots").resolve("server_metrics.png"),
            dir.resolve("plots").resolve("server_metrics.html")),
        written);
    BufferedImage image = ImageIO.read(written.get(0).toFile());
    assertNotNull(image);
    assertTrue(ChartPixels.coloured(image) > 20, "the chart shows no line");
  }

  @Test
  void drawsNoServerMetricsWhenNothingWasScraped(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(Exports.JSON_FILE), "{\"request_count\": {\"avg\": 3}}");
    assertEquals(List.of(), Plots.write(dir));
  }
}
