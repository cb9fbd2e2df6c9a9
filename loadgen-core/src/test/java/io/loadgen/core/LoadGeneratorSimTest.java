package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Full runs against the simulated server, whose configured timing is the ground truth. */
@Tag("e2e")
class LoadGeneratorSimTest {
  private static Tokenizer tokenizer;
  private static SimServer sim;
  private static SimConfig config;

  @BeforeAll
  static void startServer() {
    tokenizer = Tokenizer.bundled();
    // One warm-up for the class, of both sides at once: client and server share this JVM, and
    // the timings below hold only once the just-in-time compilers have seen their paths, which a
    // run's own warm-up (a dozen requests, to load classes) does not give them. So the simulator's
    // warm-up is off and no test adds warm-up requests for warmth.
    config =
        SimConfig.preset("default")
            .seed(3)
            .promptTokenCounter(tokenizer::count)
            .warmUp(false)
            .build();
    sim = SimServer.start(config);
    run(profile(4).concurrency(8).requestCount(64).numDatasetEntries(8));
  }

  /** Runs with the tokenizer already loaded, which a run otherwise loads (and closes) itself. */
  private static ProfileResult run(Profile.Builder profile) {
    return run(profile, null);
  }

  /** As {@link #run(Profile.Builder)}, every finished request to {@code sink}. */
  private static ProfileResult run(Profile.Builder profile, RequestRecordSink sink) {
    return LoadGenerator.run(profile.build(), options().withRecordSink(sink));
  }

  private static RunOptions options() {
    return RunOptions.defaults().withTokenizer(tokenizer);
  }

  @AfterAll
  static void stopServer() {
    sim.close();
    tokenizer.close();
  }

  private static Profile.Builder profile(int outputTokens) {
    return Profile.builder()
        .url(sim.baseUri())
        .model("meta/llama-3.1-8b-instruct")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(200, 10))
        .outputTokens(new TokenLengthDistribution(outputTokens, 0))
        .extraInput("max_tokens", outputTokens)
        .extraInput("min_tokens", outputTokens)
        .extraInput("ignore_eos", true)
        .randomSeed(5);
  }

  @Test
  void measuresTheSimulatedServersConfiguredTimingInAStreamingChatRun() {
    ProfileResult result = run(profile(60).concurrency(10));
    RunSummary summary = result.summary();
    assertEquals(20, summary.requestCount(), "default request count is 2 x concurrency");
    assertEquals(0, summary.errorCount());
    assertEquals(60.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 1e-9);
    assertEquals(60.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).min(), 1e-9);
    // The default preset's decode step costs the same whatever the batch, so a request's tokens
    // come one step apart, a little more when a step also prefills a newcomer.
    double configuredItlMillis = config.engine().decodeStepFixedNanos() / 1e6;
    double measuredItl = result.stats(Metric.INTER_TOKEN_LATENCY).avg();
    assertEquals(
        configuredItlMillis,
        measuredItl,
        configuredItlMillis * 0.05,
        "measured ITL " + measuredItl + " ms vs configured " + configuredItlMillis + " ms");
    // TTFT is never below the step that prefills the shortest prompt (about 180 tokens). The ten
    // streams start, and so finish and restart, together: a newcomer waits for the step under way,
    // then for the step that prefills all ten prompts (at most about 230 tokens each).
    long step = config.engine().decodeStepFixedNanos();
    long prefill = config.engine().prefillNanosPerToken();
    double shortestTtftMillis = (step + 170 * prefill) / 1e6;
    double longestTtftMillis = (2 * step + 10 * 230 * prefill) / 1e6;
    MetricStats ttft = result.stats(Metric.TIME_TO_FIRST_TOKEN);
    assertTrue(
        ttft.min() >= shortestTtftMillis,
        "TTFT min " + ttft.min() + " ms vs configured " + shortestTtftMillis);
    assertTrue(
        ttft.p50() < longestTtftMillis + 20,
        "TTFT p50 " + ttft.p50() + " ms vs model " + longestTtftMillis);
    MetricStats isl = result.stats(Metric.INPUT_SEQUENCE_LENGTH);
    assertTrue(isl.avg() > 190 && isl.avg() < 210, "ISL avg " + isl.avg());
    assertTrue(summary.outputTokenThroughput() > 0);
    assertEquals(20 * 60, summary.totalOutputTokens());
  }

  @Test
  void spreadsARunOverSeveralEventLoopsWithExactlyItsCount() {
    java.util.Set<String> recorderThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    long receivedBefore = sim.stats().requestsReceived();
    ProfileResult result =
        run(
            profile(8).concurrency(10).requestCount(40).eventLoops(4),
            record -> {
              recorderThreads.add(Thread.currentThread().getName());
              records.add(record);
            });
    assertEquals(40, result.summary().requestCount());
    assertEquals(0, result.summary().errorCount());
    assertEquals(
        40, sim.stats().requestsReceived() - receivedBefore, "the server saw exactly the count");
    assertEquals(
        java.util.stream.LongStream.range(0, 40).boxed().toList(),
        records.stream().map(RequestRecord::id).sorted().toList(),
        "each position in the run sent once");
    // Each loop records its own requests: four loops, four recorder threads, each with a share.
    assertEquals(4, recorderThreads.size(), recorderThreads.toString());
    assertEquals(40 * 8, result.summary().totalOutputTokens());
    assertEquals(8.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).max(), 1e-9);
  }

  @Test
  void spreadsRequestsOverSeveralReplicasInTurn() {
    try (SimServer second =
        SimServer.start(
            SimConfig.preset("default")
                .seed(3)
                .promptTokenCounter(tokenizer::count)
                .warmUp(false)
                .build())) {
      long firstBefore = sim.stats().requestsReceived();
      ProfileResult result =
          run(
              profile(4)
                  .concurrency(6)
                  .requestCount(20)
                  .eventLoops(2)
                  .urls(List.of(sim.baseUri().toString(), second.baseUri().toString()))
                  .serverMetricsInterval(null));
      assertEquals(20, result.summary().requestCount());
      assertEquals(10, sim.stats().requestsReceived() - firstBefore, "every second request");
      assertEquals(10, second.stats().requestsReceived());
      assertEquals(2, result.profile().endpoint().urls().size());
    }
  }

  @Test
  void keepsTheOneOpenLoopScheduleOverSeveralEventLoops() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(
            profile(3).requestRate(100, LoadMode.Arrivals.CONSTANT).requestCount(30).eventLoops(3),
            records::add);
    assertEquals(30, result.summary().requestCount());
    records.sort(java.util.Comparator.comparingLong(RequestRecord::id));
    long start = records.get(0).intendedSendEpochNanos();
    for (int i = 0; i < records.size(); i++) {
      assertEquals(
          i * 10_000_000L,
          records.get(i).intendedSendEpochNanos() - start,
          1_000,
          "arrival " + i + " keeps its place in the schedule whichever loop sends it");
      assertTrue(
          records.get(i).sendEpochNanos() >= records.get(i).intendedSendEpochNanos(), "sent early");
    }
  }

  @Test
  void recordsTheClientsSendLagForEveryMeasuredRequest() {
    ProfileResult result = run(profile(4).concurrency(4).requestCount(12).warmupRequestCount(4));
    MetricStats lag = result.stats(Metric.SEND_LAG);
    assertEquals(12, lag.count(), "one per measured request, none for the warm-up");
    assertTrue(lag.min() >= 0);
    // A request's last byte is written before its first token can come back: the lag is in TTFT.
    assertTrue(lag.max() <= result.stats(Metric.TIME_TO_FIRST_TOKEN).max(), lag.max() + " ms");
  }

  @Test
  void keepsEachMetricsValuesInOneSecondIntervalsCoveringTheRequestsEnds() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    // 30 requests at 20 a second: their ends span two seconds at least.
    ProfileResult result =
        run(profile(3).requestRate(20, LoadMode.Arrivals.CONSTANT).requestCount(30), records::add);
    assertEquals(30, result.summary().requestCount());
    List<org.HdrHistogram.Histogram> intervals = result.intervalHistograms(Metric.REQUEST_LATENCY);
    assertTrue(intervals.size() >= 2, intervals.size() + " intervals");
    assertEquals(result.startEpochMillis(), intervals.get(0).getStartTimeStamp());
    long total = 0;
    for (int i = 0; i < intervals.size(); i++) {
      org.HdrHistogram.Histogram interval = intervals.get(i);
      total += interval.getTotalCount();
      if (i > 0) {
        assertEquals(intervals.get(i - 1).getEndTimeStamp(), interval.getStartTimeStamp());
        assertEquals(1000, interval.getEndTimeStamp() - interval.getStartTimeStamp());
      }
    }
    assertEquals(30, total);
    long lastEndMillis = intervals.get(intervals.size() - 1).getEndTimeStamp();
    for (RequestRecord r : records) {
      long[] responses = r.responseEpochNanos();
      long endMillis = responses[responses.length - 1] / 1_000_000;
      assertTrue(endMillis >= result.startEpochMillis() && endMillis <= lastEndMillis, r + "");
    }
    for (Metric metric : List.of(Metric.TIME_TO_FIRST_TOKEN, Metric.SEND_LAG)) {
      assertEquals(
          result.histogram(metric).getTotalCount(),
          result.intervalHistograms(metric).stream()
              .mapToLong(org.HdrHistogram.Histogram::getTotalCount)
              .sum(),
          metric.key());
    }
  }

  @Test
  void recordsOnlyNonStreamingMetricsWithoutStreaming() {
    ProfileResult result =
        run(
            profile(10)
                .streaming(false)
                .endpointType(EndpointType.COMPLETIONS)
                .concurrency(4)
                .requestCount(8));
    assertEquals(8, result.summary().requestCount());
    assertEquals(0, result.stats(Metric.TIME_TO_FIRST_TOKEN).count());
    assertEquals(10.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 1e-9);
    // The whole answer arrives once the last token is generated: 10 engine steps at least.
    double minimumMillis = 10 * config.engine().decodeStepFixedNanos() / 1e6;
    assertTrue(result.stats(Metric.REQUEST_LATENCY).min() >= minimumMillis * 0.95);
  }

  @Test
  void streamsEveryRequestToTheRecordSinkWithWarmupMarked() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(profile(5).concurrency(2).warmupRequestCount(3).requestCount(6), records::add);
    assertEquals(9, records.size());
    assertEquals(3, records.stream().filter(RequestRecord::warmup).count());
    assertEquals(6, result.summary().requestCount(), "warm-up requests are not measured");
    for (RequestRecord record : records) {
      assertEquals(5, record.responseEpochNanos().length);
      assertEquals(5, record.outputTokens());
      assertTrue(record.responseEpochNanos()[0] > record.sendEpochNanos());
      assertTrue(record.requestBody().contains("\"ignore_eos\":true"));
    }
  }

  @Test
  void stopEndsTheRunWithWhatWasMeasuredAndCountsTheRestAsCancelled() {
    // The fifth record stops the run, whether it comes before start() has returned the handle or
    // after. Records come from each event loop's recorder thread, so they are counted atomically.
    CompletableFuture<RunHandle> handle = new CompletableFuture<>();
    AtomicInteger seen = new AtomicInteger();
    RequestRecordSink stopAfterFive =
        record -> {
          if (seen.incrementAndGet() == 5) {
            handle.thenAccept(RunHandle::stop);
          }
        };
    Profile profile = profile(30).concurrency(8).requestCount(1000).build();
    handle.complete(LoadGenerator.start(profile, options().withRecordSink(stopAfterFive)));
    ProfileResult result = handle.join().result().toCompletableFuture().join();
    RunSummary summary = result.summary();
    assertTrue(summary.interrupted());
    // Eight streams of 30 steps each, a thousand requests: the stop comes after the fifth and long
    // before the last, and finds the other streams in flight.
    assertTrue(
        summary.requestCount() >= 5 && summary.requestCount() < 1000,
        "completed " + summary.requestCount());
    assertTrue(summary.cancelledCount() > 0);
    assertEquals(0, summary.errorCount(), "cancelled requests are not errors");
  }

  @Test
  void boundsARunByTheMeasurementIntervalInsteadOfACount() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(
            profile(5).concurrency(4).measurementInterval(java.time.Duration.ofMillis(600)),
            records::add);
    long firstSend = records.stream().mapToLong(RequestRecord::sendEpochNanos).min().orElseThrow();
    long lastSend = records.stream().mapToLong(RequestRecord::sendEpochNanos).max().orElseThrow();
    assertTrue(lastSend - firstSend < 600_000_000L, "a request was sent after the window");
    // Each request takes about 60 ms, so four streams fit roughly 40 in 600 ms.
    assertTrue(
        result.summary().requestCount() >= 12,
        "only " + result.summary().requestCount() + " requests");
    assertEquals(records.size(), result.summary().requestCount());
  }

  @Test
  void sendsOpenLoopRequestsOnTheirScheduleAndMeasuresFromIt() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(profile(5).requestRate(50, LoadMode.Arrivals.CONSTANT).requestCount(25), records::add);
    assertEquals(25, result.summary().requestCount());
    long[] intended =
        records.stream().mapToLong(RequestRecord::intendedSendEpochNanos).sorted().toArray();
    for (int i = 1; i < intended.length; i++) {
      assertEquals(
          20_000_000L, intended[i] - intended[i - 1], 1_000, "constant arrivals are 1/rate apart");
    }
    for (RequestRecord record : records) {
      assertTrue(
          record.sendEpochNanos() >= record.intendedSendEpochNanos(), "sent before its time");
    }
    // Latency counts from the intended send, so it is at least the server's time for 5 tokens.
    double minimumMillis = 5 * config.engine().decodeStepFixedNanos() / 1e6;
    assertTrue(result.stats(Metric.REQUEST_LATENCY).min() >= minimumMillis * 0.98);
  }

  @Test
  void replaysATraceOnItsOwnScheduleWithItsLengths(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path trace =
        java.nio.file.Files.writeString(
            dir.resolve("trace.jsonl"),
            String.join(
                "\n",
                "{\"timestamp\": 5000, \"input_length\": 40, \"output_length\": 3}",
                "{\"timestamp\": 5100, \"input_length\": 600, \"output_length\": 4, \"hash_ids\": [1, 2]}",
                "{\"timestamp\": 5100, \"input_length\": 520, \"output_length\": 5, \"hash_ids\": [1, 3]}",
                "{\"timestamp\": 5350, \"text\": \"A line with its own text.\", \"output_length\": 2}"));
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    // The load mode and request count are the trace's: concurrency 1 would serialise it otherwise.
    Profile replay =
        Profile.builder()
            .url(sim.baseUri())
            .model("m")
            .streaming(true)
            .extraInput("ignore_eos", true)
            .concurrency(1)
            .requestCount(100)
            .inputFile(trace, true)
            .build();
    ProfileResult result = LoadGenerator.run(replay, options().withRecordSink(records::add));
    assertEquals(4, result.summary().requestCount());
    records.sort(java.util.Comparator.comparingLong(RequestRecord::id));
    long start = records.get(0).intendedSendEpochNanos();
    long[] offsets = records.stream().mapToLong(r -> r.intendedSendEpochNanos() - start).toArray();
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new long[] {0, 100_000_000L, 100_000_000L, 350_000_000L}, offsets);
    assertEquals(
        List.of(40, 600, 520, tokenizer.count("A line with its own text.")),
        records.stream().map(RequestRecord::inputTokens).toList());
    assertEquals(List.of(3, 4, 5, 2), records.stream().map(RequestRecord::outputTokens).toList());
  }
}
