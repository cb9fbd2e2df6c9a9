package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AIPerf's time-based runs against the simulated server: sending stops at the benchmark duration,
 * and what is still open when the grace period after it runs out is cut, counted apart from the
 * successes and the errors. The simulator's own count of the requests it received is the truth.
 */
@Tag("e2e")
class BenchmarkDurationTest {
  @RegisterExtension static final SimTarget target = new SimTarget(7);

  /** The default preset's decode step: each request below takes about 50 of them, 0.5 s. */
  private static final int OUTPUT_TOKENS = 50;

  private static Profile.Builder profile() {
    return Profile.builder()
        .url(target.sim().baseUri())
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(50, 0))
        .outputTokens(new TokenLengthDistribution(OUTPUT_TOKENS, 0))
        .extraInput("max_tokens", OUTPUT_TOKENS)
        .extraInput("min_tokens", OUTPUT_TOKENS)
        .extraInput("ignore_eos", true)
        .concurrency(3)
        .randomSeed(1);
  }

  private static ProfileResult run(Profile.Builder profile) {
    return LoadGenerator.run(
        profile.build(), RunOptions.defaults().withTokenizer(target.tokenizer()));
  }

  @Test
  void cutsTheRequestsStillOpenWhenTheGracePeriodRunsOut() {
    long receivedBefore = target.sim().stats().requestsReceived();
    ProfileResult result =
        run(
            profile()
                .benchmarkDuration(Duration.ofMillis(1200))
                .benchmarkGracePeriod(Duration.ZERO));
    RunSummary summary = result.summary();
    long sent = target.sim().stats().requestsReceived() - receivedBefore;
    // A closed loop of three keeps three open to the end of sending, and a grace of 0 cuts them.
    assertEquals(3, summary.cutCount());
    assertEquals(0, summary.errorCount());
    assertEquals(0, summary.cancelledCount());
    assertFalse(summary.interrupted(), "a run cut at its grace ran as asked");
    assertEquals(sent, summary.requestCount() + summary.cutCount());
    assertTrue(summary.requestCount() >= 3, "about two rounds of three finish in 1.2 s");
    assertEquals(OUTPUT_TOKENS, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).min(), 1e-9);
  }

  @Test
  void waitsForEveryRequestInFlightWithAGraceWithoutEnd() {
    long receivedBefore = target.sim().stats().requestsReceived();
    ProfileResult result =
        run(profile().benchmarkDuration(Duration.ofMillis(700)).benchmarkGracePeriod(null));
    RunSummary summary = result.summary();
    assertEquals(0, summary.cutCount());
    assertEquals(0, summary.errorCount());
    assertEquals(target.sim().stats().requestsReceived() - receivedBefore, summary.requestCount());
    // The last requests went out before 0.7 s and took about 0.5 s more.
    assertTrue(
        summary.benchmarkDurationNanos() > Duration.ofMillis(700).toNanos(),
        "the run's window includes the grace: " + summary.benchmarkDurationNanos() + " ns");
  }

  @Test
  void endsAtTheRequestCountOrTheDurationWhicheverComesFirst() {
    ProfileResult byCount =
        run(profile().requestCount(4).benchmarkDuration(Duration.ofSeconds(60)));
    assertEquals(4, byCount.summary().requestCount());
    assertEquals(0, byCount.summary().cutCount());

    long receivedBefore = target.sim().stats().requestsReceived();
    ProfileResult byDuration =
        run(profile().requestCount(1000).benchmarkDuration(Duration.ofMillis(600)));
    long sent = target.sim().stats().requestsReceived() - receivedBefore;
    assertTrue(sent < 1000, "sending stopped at the duration, after " + sent + " requests");
    assertEquals(sent, byDuration.summary().requestCount(), "and the 30 s grace let all finish");
  }

  @Test
  void rejectsADurationBesideAMeasurementIntervalAndANegativeGrace() {
    ProfileConfigException both =
        assertThrows(
            ProfileConfigException.class,
            () ->
                profile()
                    .measurementInterval(Duration.ofSeconds(1))
                    .benchmarkDuration(Duration.ofSeconds(1))
                    .build());
    assertEquals("benchmarkDuration", both.setting());
    ProfileConfigException grace =
        assertThrows(
            ProfileConfigException.class,
            () ->
                profile()
                    .benchmarkDuration(Duration.ofSeconds(1))
                    .benchmarkGracePeriod(Duration.ofSeconds(-1))
                    .build());
    assertEquals("benchmarkGracePeriod must be 0 or more, got -1 s", grace.getMessage());
    assertEquals(
        -1, profile().benchmarkDuration(Duration.ofSeconds(5)).build().effectiveRequestCount());
  }
}
