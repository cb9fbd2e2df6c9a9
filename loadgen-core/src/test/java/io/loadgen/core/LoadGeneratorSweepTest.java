package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sweeps and embedded simulated targets through the Java API alone, as a JUnit user runs them. */
@Tag("e2e")
class LoadGeneratorSweepTest {

  private static Profile.Builder simulated() {
    return Profile.builder()
        .url("sim://default")
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(40, 0))
        .outputTokens(new TokenLengthDistribution(4, 0))
        .extraInput("ignore_eos", true)
        .requestCount(8);
  }

  @Test
  void sweepsTheLevelsInOrderAgainstOneEmbeddedSimulator() {
    List<LoadMode> reported = new CopyOnWriteArrayList<>();
    Sweep sweep =
        Sweep.of(
                simulated().build(),
                List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(4)))
            .onEachLevel(result -> reported.add(result.profile().load().mode()));

    List<ProfileResult> results = LoadGenerator.run(sweep);

    assertEquals(List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(4)), reported);
    assertEquals(2, results.size());
    for (ProfileResult result : results) {
      assertEquals(8, result.summary().requestCount());
      assertEquals(0, result.summary().errorCount());
      assertEquals(4.0, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg());
      assertEquals("http", result.profile().endpoint().url().getScheme());
    }
    // The simulator was started once for the whole sweep.
    assertEquals(
        results.get(0).profile().endpoint().url(), results.get(1).profile().endpoint().url());
  }

  @Test
  void eachLevelSendsPromptsOfItsOwnSoNoLevelIsServedFromTheCacheOfTheOneBefore() {
    java.util.Map<LoadMode, List<String>> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    Sweep sweep =
        Sweep.of(
                simulated().build(),
                List.of(new LoadMode.Concurrency(1), new LoadMode.Concurrency(2)))
            .withOptions(
                level -> {
                  List<String> sent = new CopyOnWriteArrayList<>();
                  bodies.put(level.load().mode(), sent);
                  return RunOptions.defaults()
                      .withRecordSink(record -> sent.add(record.requestBody()));
                });

    List<ProfileResult> results = LoadGenerator.run(sweep);

    List<String> first = bodies.get(new LoadMode.Concurrency(1));
    List<String> second = bodies.get(new LoadMode.Concurrency(2));
    assertEquals(8, first.size());
    assertEquals(8, second.size());
    assertTrue(
        second.stream().noneMatch(first::contains),
        "a prompt of level 1 came again at level 2: " + first + " / " + second);
    // The lengths are the same at every level: only the words differ.
    assertEquals(
        results.get(0).stats(Metric.INPUT_SEQUENCE_LENGTH).avg(),
        results.get(1).stats(Metric.INPUT_SEQUENCE_LENGTH).avg());
  }

  @Test
  void theWarmUpSendsPromptsOfItsOwnSoNoMeasuredPromptIsCachedByIt() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    // Eight entries, eight warm-up and eight measured requests: sent from the one dataset, the
    // measured requests would repeat the warm-up's prompts.
    LoadGenerator.run(
        simulated().numDatasetEntries(8).warmupRequestCount(8).concurrency(2).build(),
        RunOptions.defaults().withRecordSink(records::add));

    List<String> warmup =
        records.stream().filter(RequestRecord::warmup).map(RequestRecord::requestBody).toList();
    List<String> measured =
        records.stream().filter(r -> !r.warmup()).map(RequestRecord::requestBody).toList();
    assertEquals(8, warmup.size());
    assertEquals(8, measured.size());
    assertTrue(measured.stream().noneMatch(warmup::contains), "a warm-up prompt was measured");
  }

  @Test
  void aRunStartsItsEmbeddedSimulatorAndClosesItAfter() {
    ProfileResult result = LoadGenerator.run(simulated().concurrency(2).build());

    assertEquals(8, result.summary().requestCount());
    URI served = result.profile().endpoint().url();
    assertEquals("127.0.0.1", served.getHost());
    assertThrows(
        ConnectException.class,
        () -> {
          try (Socket socket = new Socket(served.getHost(), served.getPort())) {
            // connected: the simulator outlived its run
          }
        });
  }

  @Test
  void stoppingASweepKeepsTheLevelThatRanAndStartsNoOther() {
    AtomicReference<SweepHandle> handle = new AtomicReference<>();
    CountDownLatch handleSet = new CountDownLatch(1);
    Sweep sweep =
        Sweep.of(
                simulated().build(),
                List.of(
                    new LoadMode.Concurrency(1),
                    new LoadMode.Concurrency(2),
                    new LoadMode.Concurrency(3)))
            .onEachLevel(
                result -> {
                  awaitQuietly(handleSet);
                  handle.get().stop();
                });
    handle.set(LoadGenerator.start(sweep));
    handleSet.countDown();

    List<ProfileResult> results = handle.get().results().toCompletableFuture().join();

    assertEquals(1, results.size());
    assertEquals(8, results.get(0).summary().requestCount());
  }

  @Test
  @Timeout(60)
  void aSweepWhoseLevelCannotBePreparedFailsWithWhatWentWrong() {
    Sweep sweep =
        Sweep.of(simulated().build())
            .withOptions(
                level -> {
                  throw new IllegalStateException("no room for the export");
                });

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LoadGenerator.run(sweep));

    assertEquals("no room for the export", e.getMessage());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
