package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Load.startAt}: pods told one instant start their load together, against the simulator. */
@Tag("e2e")
class StartAtTest {
  private static Profile.Builder simulated() {
    return Profile.builder()
        .url("sim://default")
        .model("m")
        .streaming(true)
        .concurrency(2)
        .warmupRequestCount(2)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .outputTokens(new TokenLengthDistribution(3, 0))
        .extraInput("ignore_eos", true)
        .requestCount(4);
  }

  @Test
  @Timeout(60)
  void noRequestWarmUpIncludedIsSentBeforeTheStartInstant() {
    // A start a little ahead of this wall clock: the run waits for it, as a pod waits for the
    // Job's others. The wait is the behaviour under test, not a synchronisation.
    Instant startAt = Instant.now().plusMillis(400);
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    List<RunWarning> warnings = new CopyOnWriteArrayList<>();

    ProfileResult result =
        LoadGenerator.run(
            simulated().startAt(startAt).build(),
            RunOptions.defaults().withRecordSink(records::add).withWarningListener(warnings::add));

    long startNanos = startAt.getEpochSecond() * 1_000_000_000L + startAt.getNano();
    assertEquals(6, records.size(), "2 warm-up and 4 measured requests");
    assertTrue(records.stream().anyMatch(RequestRecord::warmup));
    for (RequestRecord record : records) {
      assertTrue(
          record.sendEpochNanos() >= startNanos,
          "sent " + (startNanos - record.sendEpochNanos()) / 1e6 + " ms before the start");
    }
    assertTrue(result.startEpochMillis() >= startAt.toEpochMilli());
    assertEquals(startAt, result.profile().load().startAt());
    assertTrue(
        warnings.stream().anyMatch(w -> w.message().startsWith("prepared; waiting ")),
        warnings.toString());
  }

  @Test
  @Timeout(60)
  void aStartAlreadyPastOnTheInjectedClockStartsAtOnceWithOneWarning() {
    Instant startAt = Instant.parse("2026-12-02T14:00:00Z");
    // The run's wall clock reads ten seconds after the start: it has passed.
    InstantSource clock = shifted(startAt.plusSeconds(10));
    List<RunWarning> warnings = new CopyOnWriteArrayList<>();

    ProfileResult result =
        LoadGenerator.run(
            simulated().startAt(startAt).build(),
            RunOptions.defaults().withWallClock(clock).withWarningListener(warnings::add));

    assertEquals(4, result.summary().requestCount());
    List<RunWarning> aboutStart =
        warnings.stream().filter(w -> "startAt".equals(w.setting())).toList();
    assertEquals(1, aboutStart.size(), warnings.toString());
    assertTrue(aboutStart.get(0).message().contains("passed 10."), aboutStart.get(0).message());
  }

  @Test
  @Timeout(60)
  void aSweepStoppedWhileWaitingForItsStartEndsWithoutSendingARequest() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    Sweep sweep =
        Sweep.of(
                simulated().startAt(Instant.now().plus(Duration.ofHours(1))).build(),
                List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(2)))
            .withOptions(level -> RunOptions.defaults().withRecordSink(records::add));

    SweepHandle handle = LoadGenerator.start(sweep);
    handle.stop();
    List<ProfileResult> results = handle.results().toCompletableFuture().join();

    assertTrue(results.size() <= 1, "the sweep ends at the level it stopped");
    results.forEach(r -> assertTrue(r.summary().interrupted()));
    assertEquals(0, records.stream().filter(r -> !r.warmup()).count());
  }

  @Test
  void onlyASweepsFirstLevelWaitsForTheStart() {
    Instant startAt = Instant.parse("2026-12-02T14:00:00Z");
    Sweep sweep =
        Sweep.of(
            simulated().startAt(startAt).build(),
            List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(2)));

    assertEquals(startAt, sweep.profiles().get(0).load().startAt());
    assertNull(sweep.profiles().get(1).load().startAt());
  }

  /** A wall clock that reads {@code at} now and runs on from there with the system's. */
  private static InstantSource shifted(Instant at) {
    return InstantSource.offset(InstantSource.system(), Duration.between(Instant.now(), at));
  }
}
