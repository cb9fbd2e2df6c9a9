package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.SimStats;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AIPerf's request cancellation against the simulated server: the chosen requests are closed by the
 * client after the delay, counted apart from successes and errors, kept out of the metrics, and the
 * server frees their KV blocks. The simulator's own counters are the truth.
 */
@Tag("e2e")
class RequestCancellationTest {
  @RegisterExtension static final SimTarget target = new SimTarget(11);

  /** 2,000 tokens at the default preset's 10 ms a step: 20 s a request, unless cancelled. */
  private static final int LONG_OUTPUT = 2000;

  private static Profile.Builder profile(int outputTokens) {
    return Profile.builder()
        .url(target.sim().baseUri())
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(100, 0))
        .outputTokens(new TokenLengthDistribution(outputTokens, 0))
        .extraInput("max_tokens", outputTokens)
        .extraInput("min_tokens", outputTokens)
        .extraInput("ignore_eos", true)
        .randomSeed(2);
  }

  private static ProfileResult run(Profile.Builder profile, List<RequestRecord> records) {
    return LoadGenerator.run(
        profile.build(),
        RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
  }

  @Test
  void cancelsEveryChosenRequestAfterItsDelayAndTheServerFreesItsKvBlocks() {
    SimStats before = target.sim().stats();
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(
            profile(LONG_OUTPUT)
                .concurrency(4)
                .requestCount(8)
                .requestCancellation(100, Duration.ofMillis(300)),
            records);
    RunSummary summary = result.summary();
    assertEquals(8, summary.requestCancellationCount());
    assertEquals(0, summary.requestCount(), "no request ran its 20 s");
    assertEquals(0, summary.errorCount(), "a cancellation is not an error");
    assertFalse(summary.interrupted());
    // Each cancelled stream had begun: its partial timings are in the raw export, flagged.
    assertEquals(8, records.size());
    for (RequestRecord record : records) {
      assertTrue(record.cancelled(), record.errorKind());
      assertTrue(
          record.responseCount() > 0 && record.responseCount() < LONG_OUTPUT,
          "partial stream of " + record.responseCount() + " tokens");
    }
    // The server saw every client go away and frees their blocks: the gauge falls to 0 at once,
    // where four 20 s streams would otherwise hold theirs for seconds yet.
    SimStats after = awaitIdle();
    assertEquals(8, after.requestsCancelled() - before.requestsCancelled());
    assertEquals(0, after.kvBlocksUsed());
    assertEquals(0, after.running());
  }

  @Test
  void keepsTheRequestsItDidNotChooseWholeAndInTheMetrics() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        run(
            profile(20).concurrency(4).requestCount(40).requestCancellation(50, Duration.ZERO),
            records);
    RunSummary summary = result.summary();
    long cancelled = records.stream().filter(RequestRecord::cancelled).count();
    assertEquals(cancelled, summary.requestCancellationCount());
    assertEquals(40, summary.requestCount() + summary.requestCancellationCount());
    assertTrue(cancelled > 5 && cancelled < 35, cancelled + " of 40 cancelled at 50%");
    // Only whole requests are measured: every one counted 20 tokens.
    assertEquals(20, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).min(), 1e-9);
    assertEquals(summary.requestCount() * 20, summary.totalOutputTokens());

    List<RequestRecord> again = new CopyOnWriteArrayList<>();
    run(profile(20).concurrency(4).requestCount(40).requestCancellation(50, Duration.ZERO), again);
    assertEquals(cancelledIds(records), cancelledIds(again), "the seed chooses the same requests");
  }

  @Test
  void rejectsARateOver100AndANegativeDelay() {
    ProfileConfigException rate =
        assertThrows(
            ProfileConfigException.class, () -> profile(4).requestCancellation(150, Duration.ZERO));
    assertEquals(
        "requestCancellationRate must be 0 to 100 (percent of requests), got 150.0",
        rate.getMessage());
    assertEquals(
        "requestCancellationDelay",
        assertThrows(
                ProfileConfigException.class,
                () -> profile(4).requestCancellation(10, Duration.ofSeconds(-1)))
            .setting());
  }

  private static List<Long> cancelledIds(List<RequestRecord> records) {
    return records.stream()
        .filter(RequestRecord::cancelled)
        .map(RequestRecord::id)
        .sorted()
        .toList();
  }

  /** The simulator's counters once its engine has taken in the last cancellation. */
  private static SimStats awaitIdle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    SimStats stats = target.sim().stats();
    while ((stats.running() > 0 || stats.streamsOpen() > 0) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      stats = target.sim().stats();
    }
    return stats;
  }
}
