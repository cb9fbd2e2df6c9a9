package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What {@link Progress} says while a run is still going: the percentiles of the requests finished
 * so far, as the record sink saw them, and the KV-cache usage of the latest scrape.
 */
@Tag("e2e")
class LiveProgressTest {
  private static final int ANSWERED = 8;
  private static final long TAKE_SECONDS = 10;

  /** A progress snapshot, with how many records the sink had when the listener got it. */
  private record Seen(Progress progress, int recordsAtDelivery) {}

  @Test
  void progressCarriesTheTtftAndItlPercentilesOfTheRequestsFinishedSoFar() throws Exception {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    List<Runnable> held = new CopyOnWriteArrayList<>();
    AtomicInteger received = new AtomicInteger();
    try (Tokenizer tokenizer = Tokenizer.bundled();
        ScriptedServer server =
            ScriptedServer.start(
                request -> {
                  int n = received.incrementAndGet();
                  // Answers of different lengths, so that requests differ in ITL as well.
                  Runnable answer = () -> stream(request, 2 + n % 3, 1 + n % 4);
                  if (n <= ANSWERED) {
                    answer.run();
                  } else {
                    Context context = Vertx.currentContext();
                    held.add(() -> context.runOnContext(v -> answer.run()));
                  }
                })) {
      RequestRecordSink sink =
          new RequestRecordSink() {
            @Override
            public void accept(RequestRecord record) {
              records.add(record);
            }

            @Override
            public void close() {}
          };
      RunHandle run =
          LoadGenerator.start(
              Profile.builder()
                  .url(server.baseUri().toString())
                  .model("test-model")
                  .streaming(true)
                  .inputTokens(new TokenLengthDistribution(20, 0))
                  .numDatasetEntries(4)
                  .serverMetricsInterval(null)
                  .concurrency(2)
                  .requestCount(ANSWERED + 2)
                  .build(),
              RunOptions.defaults()
                  .withTokenizer(tokenizer)
                  .withRecordSink(sink)
                  .withProgressListener(p -> seen.add(new Seen(p, records.size()))));
      // The snapshot after one whose delivery found every answered request in the sink: the sink
      // takes a record after its latencies are recorded, so that snapshot has them all.
      Seen all;
      do {
        all = take(seen);
      } while (all.recordsAtDelivery() < ANSWERED);
      Progress progress = take(seen).progress();

      assertEquals(ANSWERED, progress.completed());
      assertEquals(2, progress.inFlight());
      Histogram ttft = new Histogram(3);
      Histogram itl = new Histogram(3);
      for (RequestRecord record : records) {
        long[] times = record.responseEpochNanos();
        long first = times[0] - record.intendedSendEpochNanos();
        long latency = times[times.length - 1] - record.intendedSendEpochNanos();
        ttft.recordValue(first);
        itl.recordValue(Math.round((double) (latency - first) / (record.outputTokens() - 1)));
      }
      assertEquals(ttft.getValueAtPercentile(50), progress.timeToFirstTokenP50Nanos());
      assertEquals(ttft.getValueAtPercentile(99), progress.timeToFirstTokenP99Nanos());
      assertEquals(itl.getValueAtPercentile(50), progress.interTokenLatencyP50Nanos());
      assertEquals(itl.getValueAtPercentile(99), progress.interTokenLatencyP99Nanos());
      assertTrue(
          progress.timeToFirstTokenP50Nanos() < progress.timeToFirstTokenP99Nanos()
              || ttft.getMinValue() == ttft.getMaxValue(),
          "the two percentiles are read apart");
      assertTrue(Double.isNaN(progress.kvCacheUsage()), "nothing was scraped");

      held.forEach(Runnable::run);
      ProfileResult result = run.result().toCompletableFuture().get(TAKE_SECONDS, TimeUnit.SECONDS);
      assertEquals(ANSWERED + 2, result.summary().requestCount());
    }
  }

  @Test
  void progressCarriesTheLatestKvCacheUsageAveragedOverTheReplicas() throws Exception {
    List<Runnable> held = new CopyOnWriteArrayList<>();
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    try (Tokenizer tokenizer = Tokenizer.bundled();
        ScriptedServer quarter = metricsOr(0.25, held);
        ScriptedServer half = metricsOr(0.5, held)) {
      RunHandle run =
          LoadGenerator.start(
              Profile.builder()
                  .url(quarter.baseUri().toString())
                  .model("test-model")
                  .streaming(true)
                  .inputTokens(new TokenLengthDistribution(20, 0))
                  .numDatasetEntries(4)
                  .serverMetricsInterval(java.time.Duration.ofMillis(100))
                  .serverMetricsUrl(quarter.baseUri() + "/metrics")
                  .serverMetricsUrl(half.baseUri() + "/metrics")
                  .concurrency(1)
                  .requestCount(1)
                  .build(),
              RunOptions.defaults()
                  .withTokenizer(tokenizer)
                  .withProgressListener(p -> seen.add(new Seen(p, 0))));
      // Before both pages are read a snapshot has none, or one replica's; never anything else.
      // Scraped every 100 ms, the pages are in hand long before the snapshots run out.
      double usage;
      int snapshots = 0;
      do {
        assertTrue(++snapshots <= 10, "no snapshot averaged both pages");
        usage = take(seen).progress().kvCacheUsage();
        assertTrue(
            Double.isNaN(usage) || usage == 0.25 || usage == 0.5 || usage == 0.375,
            "usage " + usage);
      } while (usage != 0.375);

      held.forEach(Runnable::run);
      ProfileResult result = run.result().toCompletableFuture().get(TAKE_SECONDS, TimeUnit.SECONDS);
      assertEquals(1, result.summary().requestCount());
    }
  }

  /**
   * A server whose /metrics page says KV-cache usage {@code usage}, and which holds every other
   * request in {@code held} until the test answers it.
   */
  private static ScriptedServer metricsOr(double usage, List<Runnable> held) {
    return ScriptedServer.start(
        request -> {
          if (request.path().endsWith("/metrics")) {
            request
                .response()
                .putHeader("content-type", "text/plain; version=0.0.4")
                .end(
                    "# TYPE vllm:kv_cache_usage_perc gauge\n"
                        + "vllm:kv_cache_usage_perc{model_name=\"test-model\"} "
                        + usage
                        + "\n");
          } else {
            Context context = Vertx.currentContext();
            held.add(() -> context.runOnContext(v -> stream(request, 2, 1)));
          }
        });
  }

  private static Seen take(BlockingQueue<Seen> seen) throws InterruptedException {
    Seen next = seen.poll(TAKE_SECONDS, TimeUnit.SECONDS);
    assertNotNull(next, "no progress within " + TAKE_SECONDS + " s");
    return next;
  }

  /** Streams {@code chunks} chunks {@code gapMillis} apart, so that ITL is not 0. */
  private static void stream(HttpServerRequest request, int chunks, long gapMillis) {
    request.response().putHeader("content-type", "text/event-stream").setChunked(true);
    next(request, 0, chunks, gapMillis);
  }

  private static void next(HttpServerRequest request, int sent, int chunks, long gapMillis) {
    if (sent == chunks) {
      request.response().end("data: [DONE]\n\n");
      return;
    }
    request.response().write(ScriptedServer.chatChunk(" word" + sent));
    Vertx.currentContext()
        .owner()
        .setTimer(gapMillis, id -> next(request, sent + 1, chunks, gapMillis));
  }
}
