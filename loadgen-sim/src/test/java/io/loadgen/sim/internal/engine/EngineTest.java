package io.loadgen.sim.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.EngineSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine model under a virtual clock: every time here is exact. */
class EngineTest {
  private static final long MS = 1_000_000;

  /** Blocks of 4 tokens; steps cost 10 ms + 1 ms per prompt token prefilled, nothing else. */
  private static EngineSpec spec(long blocks, int maxRunning, int maxBatchedTokens) {
    return new EngineSpec(4, blocks, maxRunning, maxBatchedTokens, 1 * MS, 10 * MS, 0, 0);
  }

  /** Records every token and finish a sequence sees. */
  private static final class Recorder implements TokenSink {
    final List<long[]> tokens = new ArrayList<>();
    long finishedAt = -1;

    @Override
    public void onToken(int index, long dueNanos) {
      tokens.add(new long[] {index, dueNanos});
    }

    @Override
    public void onFinish(long dueNanos) {
      finishedAt = dueNanos;
    }
  }

  /** Runs steps back to back from {@code start}, delivering tokens as the driver would. */
  private static long runUntilIdle(Engine engine, long start) {
    long now = start;
    for (Step step; (step = engine.step(now)) != null; now = step.endNanos()) {
      deliver(step);
    }
    return now;
  }

  private static void deliver(Step step) {
    for (int i = 0; i < step.count(); i++) {
      step.tokens()[i].sink().onToken(step.tokenIndexes()[i], step.endNanos());
      if (step.finished()[i]) {
        step.tokens()[i].sink().onFinish(step.endNanos());
      }
    }
  }

  @Test
  void prefillsThenDecodesOneTokenPerStepOnTheStepCostSchedule() {
    Engine engine = new Engine(spec(100, 8, 64), EngineObserver.NONE);
    Recorder out = new Recorder();
    engine.submit(new Sequence(1, 6, 3, 0, out));
    runUntilIdle(engine, 0);
    // Step 1: 10 ms + 6 prompt tokens x 1 ms = 16 ms, then the first token; then 10 ms a token.
    assertEquals(List.of(0L, 16 * MS), List.of(out.tokens.get(0)[0], out.tokens.get(0)[1]));
    assertEquals(26 * MS, out.tokens.get(1)[1]);
    assertEquals(36 * MS, out.tokens.get(2)[1]);
    assertEquals(36 * MS, out.finishedAt);
    assertEquals(3, out.tokens.size());
  }

  @Test
  void holdsCeilOfPromptPlusGeneratedOverBlockSizeAndFreesAtTheEnd() {
    Engine engine = new Engine(spec(100, 8, 64), EngineObserver.NONE);
    Sequence s = new Sequence(1, 6, 5, 0, TokenSink.NONE);
    engine.submit(s);
    long now = 0;
    // After each step the sequence holds ceil((6 + generated) / 4) blocks.
    long[] expected = {2, 2, 3, 3, 3};
    for (int generated = 1; generated <= 4; generated++) {
      now = engine.step(now).endNanos();
      assertEquals(generated, s.generated());
      assertEquals(expected[generated - 1], s.blocksHeld(), "after " + generated + " tokens");
      assertEquals(s.blocksHeld(), engine.cache().usedBlocks());
    }
    engine.step(now);
    assertEquals(Sequence.State.FINISHED, s.state());
    assertEquals(0, s.blocksHeld());
    assertEquals(0, engine.cache().usedBlocks());
    assertFalse(engine.hasWork());
  }

  @Test
  void cacheUsageIsTheSumOfEachSequencesBlocks() {
    Engine engine = new Engine(spec(1000, 64, 4096), EngineObserver.NONE);
    List<Sequence> sequences = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Sequence s = new Sequence(i, 10 + i, 50, 0, TokenSink.NONE);
      sequences.add(s);
      engine.submit(s);
    }
    long now = 0;
    for (int k = 0; k < 7; k++) {
      now = engine.step(now).endNanos();
    }
    long expected = 0;
    for (Sequence s : sequences) {
      assertEquals((s.promptTokens() + s.generated() + 3) / 4, s.blocksHeld());
      expected += s.blocksHeld();
    }
    assertEquals(expected, engine.cache().usedBlocks());
    assertEquals(expected / 1000.0, engine.cache().usage(), 1e-12);
  }

  @Test
  void queuesRequestsWhenTheCacheIsFullAndAdmitsThemAsBlocksFree() {
    // 10 blocks = 40 tokens. Each request: 8 prompt + 4 output = 12 tokens = 3 blocks at most.
    Engine engine = new Engine(spec(10, 64, 4096), EngineObserver.NONE);
    List<Sequence> sequences = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Sequence s = new Sequence(i, 8, 4, 0, TokenSink.NONE);
      sequences.add(s);
      engine.submit(s);
    }
    long now = engine.step(0).endNanos();
    // Admission needs blocks for prompt + first token, ceil(9 / 4) = 3: three fit in 10 blocks.
    assertEquals(3, engine.runningCount());
    assertEquals(3, engine.waitingCount());
    assertEquals(9, engine.cache().usedBlocks());
    runUntilIdle(engine, now);
    for (Sequence s : sequences) {
      assertEquals(Sequence.State.FINISHED, s.state());
      assertEquals(4, s.generated());
    }
    assertEquals(0, engine.cache().usedBlocks());
  }

  @Test
  void preemptsTheNewestRunningSequenceWhenDecodeRunsOutOfBlocksAndRecomputesIt() {
    // 6 blocks = 24 tokens. Two sequences of 7 prompt tokens are admitted holding 2 blocks each;
    // as they grow past 8 tokens each needs a third, then past 12 a fourth: 8 > 6 blocks.
    List<Integer> preemptions = new ArrayList<>();
    EngineObserver observer =
        new EngineObserver() {
          @Override
          public void onPreemption() {
            preemptions.add(1);
          }
        };
    Engine engine = new Engine(spec(6, 8, 4096), observer);
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Sequence older = new Sequence(1, 7, 10, 0, first);
    Sequence newer = new Sequence(2, 7, 10, 0, second);
    engine.submit(older);
    engine.submit(newer);
    long now = 0;
    while (preemptions.isEmpty()) {
      Step step = engine.step(now);
      deliver(step);
      now = step.endNanos();
      assertTrue(engine.cache().usedBlocks() <= 6);
    }
    assertEquals(Sequence.State.WAITING, newer.state(), "the newest is preempted");
    assertEquals(0, newer.blocksHeld());
    assertEquals(1, newer.preemptions());
    assertEquals(Sequence.State.RUNNING, older.state());
    int generatedBefore = newer.generated();
    runUntilIdle(engine, now);
    // Both finish with every token exactly once, in order; the preempted one resumes where it was.
    for (Recorder r : List.of(first, second)) {
      assertEquals(10, r.tokens.size());
      for (int i = 0; i < 10; i++) {
        assertEquals(i, r.tokens.get(i)[0]);
      }
    }
    assertTrue(generatedBefore > 0 && generatedBefore < 10);
    assertEquals(0, engine.cache().usedBlocks());
  }

  @Test
  void aRecomputedSequencePrefillsItsPromptAndOutputAgain() {
    Engine engine = new Engine(spec(6, 8, 4096), EngineObserver.NONE);
    Sequence older = new Sequence(1, 7, 10, 0, TokenSink.NONE);
    Recorder out = new Recorder();
    Sequence newer = new Sequence(2, 7, 10, 0, out);
    engine.submit(older);
    engine.submit(newer);
    long now = 0;
    while (newer.preemptions() == 0) {
      Step step = engine.step(now);
      deliver(step);
      now = step.endNanos();
    }
    int done = newer.generated();
    runUntilIdle(engine, now);
    // Its next token came from a step that prefilled 7 + done tokens: at least 10 ms + that.
    long resumedGap = out.tokens.get(done)[1] - out.tokens.get(done - 1)[1];
    assertTrue(resumedGap >= (10 + 7 + done) * MS, "resumed after " + resumedGap / MS + " ms");
  }

  @Test
  void cancellingFreesTheBlocksAtOnce() {
    Engine engine = new Engine(spec(100, 8, 64), EngineObserver.NONE);
    Sequence running = new Sequence(1, 10, 100, 0, TokenSink.NONE);
    engine.submit(running);
    long now = engine.step(0).endNanos();
    now = engine.step(now).endNanos();
    assertTrue(engine.cache().usedBlocks() > 0);
    engine.cancel(running);
    assertEquals(0, engine.cache().usedBlocks());
    assertEquals(Sequence.State.CANCELLED, running.state());
    assertNull(engine.step(now));
  }

  @Test
  void theKvGaugeFallsWhenTheLastClientLeavesAnIdleEngine() {
    EngineMetrics metrics = new EngineMetrics("m", 8, 100);
    Engine engine = new Engine(spec(100, 8, 64), metrics);
    Sequence running = new Sequence(1, 10, 100, 0, TokenSink.NONE);
    engine.submit(running);
    long now = engine.step(0).endNanos();
    engine.step(now);
    assertTrue(metrics.usedBlocks() > 0);
    assertEquals(1, metrics.running());
    // No step follows (nothing is left to run), yet /metrics must show the freed blocks.
    engine.cancel(running);
    assertEquals(0, metrics.usedBlocks());
    assertEquals(0, metrics.running());
  }

  @Test
  void limitsTheBatchToMaxRunningSequences() {
    Engine engine = new Engine(spec(1000, 3, 4096), EngineObserver.NONE);
    for (int i = 0; i < 5; i++) {
      engine.submit(new Sequence(i, 4, 5, 0, TokenSink.NONE));
    }
    engine.step(0);
    assertEquals(3, engine.runningCount());
    assertEquals(2, engine.waitingCount());
  }

  @Test
  void prefillsALongPromptInChunksOfTheStepBudget() {
    Engine engine = new Engine(spec(1000, 8, 100), EngineObserver.NONE);
    Recorder out = new Recorder();
    engine.submit(new Sequence(1, 250, 1, 0, out));
    runUntilIdle(engine, 0);
    // 100 + 100 + 50 prompt tokens over three steps: 3 x 10 ms + 250 ms.
    assertEquals(280 * MS, out.tokens.get(0)[1]);
  }

  @Test
  void stepTimeGrowsWithTheBatchAndItsCachedTokens() {
    EngineSpec costly = new EngineSpec(16, 10_000, 256, 20_000, 0, 5 * MS, 100_000, 50);
    assertEquals(5 * MS + 10 * 100_000 + 50 * 2000, costly.stepNanos(10, 2000, 0));
    Engine small = new Engine(costly, EngineObserver.NONE);
    Engine large = new Engine(costly, EngineObserver.NONE);
    small.submit(new Sequence(0, 100, 50, 0, TokenSink.NONE));
    for (int i = 0; i < 100; i++) {
      large.submit(new Sequence(i, 100, 50, 0, TokenSink.NONE));
    }
    long smallEnd = small.step(0).endNanos();
    long largeEnd = large.step(0).endNanos();
    long smallDecode = small.step(smallEnd).endNanos() - smallEnd;
    long largeDecode = large.step(largeEnd).endNanos() - largeEnd;
    assertEquals(5 * MS + 100_000 + 50 * 101, smallDecode);
    assertEquals(5 * MS + 100 * 100_000 + 50 * 101 * 100, largeDecode);
  }

  @Test
  void theSameArrivalsGiveTheSameStepsEveryTime() {
    assertEquals(trace(), trace());
  }

  private static List<Long> trace() {
    EngineSpec spec = new EngineSpec(16, 300, 32, 512, 30_000, 7 * MS, 20_000, 60);
    Engine engine = new Engine(spec, EngineObserver.NONE);
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    List<Long> ends = new ArrayList<>();
    long now = 0;
    int submitted = 0;
    while (submitted < 200 || engine.hasWork()) {
      if (submitted < 200 && random.nextInt(3) == 0) {
        engine.submit(
            new Sequence(
                submitted++,
                50 + random.nextInt(200),
                1 + random.nextInt(100),
                now,
                TokenSink.NONE));
      }
      Step step = engine.step(now);
      now = step == null ? now + MS : step.endNanos();
      if (step != null) {
        ends.add(step.endNanos() * 1000 + step.count());
      }
    }
    return ends;
  }

  @Test
  void stallsTheWholeEngineWhenAStallFallsDue() {
    Engine engine = new Engine(spec(100, 8, 64), EngineObserver.NONE);
    engine.stalls(50 * MS, 200 * MS);
    Recorder out = new Recorder();
    engine.submit(new Sequence(1, 0, 10, 0, out));
    runUntilIdle(engine, 0);
    // Steps of 10 ms; the step due to start at 50 ms starts at 250 ms instead.
    assertEquals(50 * MS, out.tokens.get(4)[1]);
    assertEquals(260 * MS, out.tokens.get(5)[1]);
  }

  @Test
  void refusesASequenceTheWholeCacheCouldNeverHold() {
    Engine engine = new Engine(spec(10, 8, 64), EngineObserver.NONE);
    assertThrows(
        IllegalArgumentException.class,
        () -> engine.submit(new Sequence(1, 30, 20, 0, TokenSink.NONE)));
    assertTrue(engine.couldEverHold(40));
    assertFalse(engine.couldEverHold(41));
  }
}
