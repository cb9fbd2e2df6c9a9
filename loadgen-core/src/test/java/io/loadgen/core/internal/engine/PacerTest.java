package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadMode;
import io.loadgen.core.internal.engine.Pacer.Phase;
import io.loadgen.core.internal.engine.Pacer.Plan;
import io.loadgen.core.internal.engine.Pacer.Send;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The pacer on a virtual clock: every time below is exact, in nanoseconds from the run's start. */
class PacerTest {
  private static final long MS = 1_000_000;

  private static Pacer[] pacers(Plan plan, int loops) {
    Pacer.Tickets tickets = new Pacer.Tickets();
    Pacer[] pacers = new Pacer[loops];
    for (int i = 0; i < loops; i++) {
      pacers[i] = new Pacer(plan, i, loops, tickets);
    }
    return pacers;
  }

  private static List<Send> drain(Pacer pacer, long now) {
    List<Send> sends = new ArrayList<>();
    for (Send send; (send = pacer.next(now)) != null; ) {
      sends.add(send);
    }
    return sends;
  }

  @Test
  void closedLoopSplitsTheConcurrencyAndSendsExactlyTheCountAmongItsLoops() {
    Pacer[] loops = pacers(new Plan(new LoadMode.Concurrency(10), null, 0, 25, 0, 0), 3);
    TreeSet<Long> indexes = new TreeSet<>();
    List<List<Send>> inFlight = new ArrayList<>();
    for (Pacer pacer : loops) {
      pacer.begin(Phase.MEASURED, 0);
      List<Send> sent = drain(pacer, 0);
      sent.forEach(s -> indexes.add(s.index()));
      inFlight.add(sent);
    }
    assertEquals(
        List.of(4, 3, 3),
        List.of(inFlight.get(0).size(), inFlight.get(1).size(), inFlight.get(2).size()));
    // Loop 1 is fast: each of its requests finishes at once and is replaced, and so it takes most
    // of the count, while the whole concurrency stays in flight.
    long now = 0;
    while (loops[1].issuing()) {
      now += MS;
      loops[1].finished();
      List<Send> next = drain(loops[1], now);
      next.forEach(s -> indexes.add(s.index()));
      if (next.isEmpty()) {
        break; // the count has run out
      }
      assertEquals(10, loops[0].inFlight() + loops[1].inFlight() + loops[2].inFlight());
      assertEquals(now, next.get(0).intendedNanos(), "closed loop: intended when decided");
    }
    assertFalse(loops[1].issuing());
    assertTrue(drain(loops[0], now).isEmpty(), "the count is spent");
    assertEquals(25, indexes.size());
    assertEquals(0L, indexes.first());
    assertEquals(24L, indexes.last());
  }

  @Test
  void closedLoopForATimeWindowStopsIssuingAtItsEnd() {
    Pacer pacer = pacers(new Plan(new LoadMode.Concurrency(2), null, 0, -1, 100 * MS, 0), 1)[0];
    pacer.begin(Phase.MEASURED, 50 * MS);
    assertEquals(2, drain(pacer, 50 * MS).size());
    pacer.finished();
    assertEquals(1, drain(pacer, 149 * MS).size(), "inside the window");
    pacer.finished();
    assertTrue(drain(pacer, 150 * MS).isEmpty(), "the window has ended");
    assertFalse(pacer.issuing());
    assertFalse(pacer.idle(), "one still in flight");
    pacer.finished();
    assertTrue(pacer.idle());
  }

  @Test
  void openLoopLoopsTogetherMakeExactlyTheScheduleOfOne() {
    for (LoadMode.Arrivals arrivals : LoadMode.Arrivals.values()) {
      Plan plan = new Plan(new LoadMode.RequestRate(200, arrivals), null, 0, 50, 0, 7);
      List<Send> one = run(pacers(plan, 1));
      List<Send> three = run(pacers(plan, 3));
      assertEquals(50, one.size());
      three.sort(java.util.Comparator.comparingLong(Send::index));
      assertEquals(one, three, arrivals.name());
    }
  }

  /**
   * Runs loops to the end, moving the clock to each next due time and finishing every send at once.
   */
  private static List<Send> run(Pacer[] loops) {
    for (Pacer pacer : loops) {
      pacer.begin(Phase.MEASURED, 0);
    }
    List<Send> sends = new ArrayList<>();
    long now = 0;
    while (true) {
      for (Pacer pacer : loops) {
        for (Send send : drain(pacer, now)) {
          assertTrue(send.intendedNanos() <= now);
          sends.add(send);
          pacer.finished();
        }
      }
      long next = Pacer.NEVER;
      for (Pacer pacer : loops) {
        next = Math.min(next, pacer.nextDueNanos());
      }
      if (next == Pacer.NEVER) {
        return sends;
      }
      now = next;
    }
  }

  @Test
  void openLoopSendsLateArrivalsAtOnceWithTheTimesTheyWereMeantFor() {
    Pacer pacer =
        pacers(
            new Plan(new LoadMode.RequestRate(100, LoadMode.Arrivals.CONSTANT), null, 0, 10, 0, 0),
            1)[0];
    pacer.begin(Phase.MEASURED, 1_000 * MS);
    assertEquals(1_000 * MS, pacer.nextDueNanos());
    assertTrue(drain(pacer, 999 * MS).isEmpty());
    // The loop was busy for 35 ms: four arrivals are due, each with its own intended time.
    List<Send> late = drain(pacer, 1_035 * MS);
    assertEquals(
        List.of(1_000 * MS, 1_010 * MS, 1_020 * MS, 1_030 * MS),
        late.stream().map(Send::intendedNanos).toList());
    assertEquals(1_040 * MS, pacer.nextDueNanos());
  }

  @Test
  void aCappedOpenLoopHoldsDueArrivalsUntilASlotFreesAndKeepsTheirIntendedTimes() {
    LoadMode.RequestRate capped =
        new LoadMode.RequestRate(100, LoadMode.Arrivals.CONSTANT).withMaxConcurrency(2);
    Pacer pacer = pacers(new Plan(capped, null, 0, 10, 0, 0), 1)[0];
    pacer.begin(Phase.MEASURED, 0);
    assertEquals(
        List.of(0L, 10 * MS), drain(pacer, 10 * MS).stream().map(Send::intendedNanos).toList());
    // The third is due at 20 ms, but both slots are taken: it waits, and no timer can send it.
    assertTrue(drain(pacer, 35 * MS).isEmpty());
    assertEquals(Pacer.NEVER, pacer.nextDueNanos());
    pacer.finished();
    // A slot frees at 35 ms: the arrival of 20 ms goes, late, with its own time; the one of 30 ms
    // still waits for the next.
    assertEquals(
        List.of(20 * MS), drain(pacer, 35 * MS).stream().map(Send::intendedNanos).toList());
    pacer.finished();
    pacer.finished();
    assertEquals(
        List.of(30 * MS, 40 * MS),
        drain(pacer, 45 * MS).stream().map(Send::intendedNanos).toList());
  }

  @Test
  void aClosedLoopRampOpensItsSlotsLinearlyOverTheRamp() {
    Plan plan = new Plan(new LoadMode.Concurrency(10), null, 0, 100, 0, 0, 1_000 * MS);
    Pacer pacer = pacers(plan, 1)[0];
    pacer.begin(Phase.WARMUP, 0);
    List<Long> sends = new ArrayList<>();
    for (long now = 0; now != Pacer.NEVER; now = pacer.nextDueNanos()) {
      for (Send send : drain(pacer, now)) {
        assertTrue(send.warmup(), "a ramp is not measured");
        assertEquals(Pacer.RAMP_ID_BASE + sends.size(), send.index());
        sends.add(send.intendedNanos());
      }
    }
    // Nothing finishes here: slot k + 1 opens once ceil(10 t / 1 s) passes k, just after k x 100
    // ms.
    List<Long> expected = new ArrayList<>(List.of(0L));
    for (long k = 1; k < 10; k++) {
      expected.add(k * 100 * MS + 1);
    }
    assertEquals(expected, sends);
    // At the ramp's end the measured phase takes the full concurrency, ramp requests in flight.
    pacer.begin(Phase.MEASURED, 1_000 * MS);
    assertTrue(drain(pacer, 1_000 * MS).isEmpty(), "all ten slots are held by the ramp");
    pacer.finished();
    Send first = drain(pacer, 1_010 * MS).get(0);
    assertEquals(0, first.index());
    assertFalse(first.warmup());
  }

  @Test
  void aRampOverSeveralLoopsOpensTheRunsSlotsOneAtATime() {
    Plan plan = new Plan(new LoadMode.Concurrency(4), null, 0, 100, 0, 0, 800 * MS);
    Pacer[] loops = pacers(plan, 2);
    List<Long> sends = new ArrayList<>();
    for (Pacer pacer : loops) {
      pacer.begin(Phase.WARMUP, 0);
    }
    for (long now = 0; now != Pacer.NEVER; ) {
      long next = Pacer.NEVER;
      for (Pacer pacer : loops) {
        drain(pacer, now).forEach(send -> sends.add(send.intendedNanos()));
        next = Math.min(next, pacer.nextDueNanos());
      }
      now = next;
    }
    // One slot at the start, whichever loop owns it, then one every 200 ms.
    assertEquals(
        List.of(0L, 200 * MS + 1, 400 * MS + 1, 600 * MS + 1), sends.stream().sorted().toList());
  }

  @Test
  void anOpenLoopRampStretchesTheScheduleSoTheRateGrowsLinearly() {
    Plan plan =
        new Plan(
            new LoadMode.RequestRate(100, LoadMode.Arrivals.CONSTANT),
            null,
            0,
            100,
            0,
            0,
            1_000 * MS);
    Pacer pacer = pacers(plan, 1)[0];
    pacer.begin(Phase.WARMUP, 0);
    List<Send> sends = drain(pacer, 2_000 * MS);
    // R T / 2 = 50 arrivals in the ramp; arrival k of the full rate (k x 10 ms) comes at
    // sqrt(2 x 1 s x k x 10 ms).
    assertEquals(50, sends.size());
    for (int k = 0; k < sends.size(); k++) {
      assertEquals(Math.sqrt(2e9 * k * 1e7), sends.get(k).intendedNanos(), 1.0, "arrival " + k);
    }
    assertEquals(Pacer.NEVER, pacer.nextDueNanos());
  }

  @Test
  void aSessionsRunKeepsEachSlotForItsSessionThroughItsTurnsAndDelays() {
    // Three sessions of exactly 2 turns, 100 ms between a session's turns, two at a time.
    SessionPlan sessions = new SessionPlan(new io.loadgen.core.Sessions(3, 2, 2, 0, 100, 0), 0);
    Plan plan = new Plan(new LoadMode.Concurrency(2), null, 0, 6, 0, 0, 0, sessions);
    Pacer pacer = pacers(plan, 1)[0];
    pacer.begin(Phase.MEASURED, 0);
    List<Send> first = drain(pacer, 0);
    assertEquals(
        List.of(SessionPlan.sendIndex(0, 0), SessionPlan.sendIndex(1, 0)),
        first.stream().map(Send::index).toList());
    // Session 0's first turn ends at 30 ms: its second is due 100 ms later, and the slot is its.
    pacer.turnFinished(SessionPlan.sendIndex(0, 0), 30 * MS);
    assertTrue(drain(pacer, 31 * MS).isEmpty(), "no third session while two are under way");
    assertEquals(130 * MS, pacer.nextDueNanos());
    Send second = drain(pacer, 130 * MS).get(0);
    assertEquals(SessionPlan.sendIndex(0, 1), second.index());
    assertEquals(130 * MS, second.intendedNanos(), "measured from the end of the delay");
    // Session 0 is done after its second turn: the slot takes session 2 at once.
    pacer.turnFinished(second.index(), 150 * MS);
    assertEquals(
        List.of(SessionPlan.sendIndex(2, 0)),
        drain(pacer, 150 * MS).stream().map(Send::index).toList());
    pacer.turnFinished(SessionPlan.sendIndex(1, 0), 160 * MS);
    pacer.turnFinished(SessionPlan.sendIndex(2, 0), 170 * MS);
    assertEquals(2, drain(pacer, 300 * MS).size(), "the last turns of sessions 1 and 2");
    pacer.turnFinished(SessionPlan.sendIndex(1, 1), 310 * MS);
    pacer.turnFinished(SessionPlan.sendIndex(2, 1), 320 * MS);
    assertTrue(drain(pacer, 400 * MS).isEmpty());
    assertTrue(pacer.idle(), "every session done");
  }

  @Test
  void splitsACapAmongTheLoopsAsAConcurrencyIs() {
    LoadMode.RequestRate capped =
        new LoadMode.RequestRate(1000, LoadMode.Arrivals.CONSTANT).withMaxConcurrency(3);
    Pacer[] loops = pacers(new Plan(capped, null, 0, 100, 0, 0), 2);
    int inFlight = 0;
    for (Pacer pacer : loops) {
      pacer.begin(Phase.MEASURED, 0);
      inFlight += drain(pacer, 50 * MS).size();
    }
    assertEquals(3, inFlight, "2 + 1: never more than the cap");
  }

  @Test
  void openLoopForATimeWindowMakesTheArrivalsInsideIt() {
    Pacer pacer =
        pacers(
            new Plan(
                new LoadMode.RequestRate(10, LoadMode.Arrivals.CONSTANT),
                null,
                0,
                -1,
                1_000 * MS,
                0),
            1)[0];
    pacer.begin(Phase.MEASURED, 0);
    List<Send> sends = drain(pacer, 5_000 * MS);
    assertEquals(10, sends.size(), "0, 100, ..., 900 ms");
    assertEquals(Pacer.NEVER, pacer.nextDueNanos());
  }

  @Test
  void measuredSendsFollowTheWarmUpInTheRunsOrder() {
    Pacer pacer = pacers(new Plan(new LoadMode.Concurrency(4), null, 3, 5, 0, 0), 1)[0];
    pacer.begin(Phase.WARMUP, 0);
    List<Send> warmup = drain(pacer, 0);
    assertEquals(List.of(0L, 1L, 2L), warmup.stream().map(Send::index).toList());
    assertTrue(warmup.stream().allMatch(Send::warmup));
    warmup.forEach(s -> pacer.finished());
    assertTrue(pacer.idle());
    pacer.begin(Phase.MEASURED, 10 * MS);
    List<Send> measured = drain(pacer, 10 * MS);
    assertEquals(List.of(3L, 4L, 5L, 6L), measured.stream().map(Send::index).toList());
    assertFalse(measured.get(0).warmup());
  }

  @Test
  void aTraceIsReplayedOnItsOwnTimesSharedAmongTheLoops() {
    long[] trace = {0, 5 * MS, 5 * MS, 40 * MS};
    Pacer[] loops = pacers(new Plan(new LoadMode.Concurrency(1), trace, 0, 0, 0, 0), 2);
    List<Send> sends = run(loops);
    sends.sort(java.util.Comparator.comparingLong(Send::index));
    assertEquals(
        List.of(0L, 5 * MS, 5 * MS, 40 * MS), sends.stream().map(Send::intendedNanos).toList());
    assertEquals(List.of(0L, 1L, 2L, 3L), sends.stream().map(Send::index).toList());
  }

  @Test
  void aStoppedPacerSendsNothingMoreInAnyPhase() {
    Pacer pacer = pacers(new Plan(new LoadMode.Concurrency(2), null, 2, 5, 0, 0), 1)[0];
    pacer.begin(Phase.WARMUP, 0);
    assertEquals(2, drain(pacer, 0).size());
    pacer.stop();
    pacer.finished();
    assertNull(pacer.next(0));
    pacer.begin(Phase.MEASURED, 0);
    assertNull(pacer.next(0));
    pacer.finished();
    assertTrue(pacer.idle());
  }

  @Test
  void aLoopWithNoShareOfTheConcurrencyIsIdleAtOnce() {
    Pacer[] loops = pacers(new Plan(new LoadMode.Concurrency(2), null, 0, 10, 0, 0), 4);
    loops[3].begin(Phase.MEASURED, 0);
    assertNull(loops[3].next(0));
    assertTrue(loops[3].idle());
  }

  @Test
  void aHeldClosedLoopSlotWaitsAndIsIntendedWhenItGoes() {
    Pacer pacer = pacers(new Plan(new LoadMode.Concurrency(2), null, 0, 10, 0, 0), 1)[0];
    pacer.begin(Phase.MEASURED, 0);
    assertEquals(2, drain(pacer, 0).size());
    pacer.holdUntil(50 * MS);
    pacer.finished();
    assertTrue(drain(pacer, 10 * MS).isEmpty(), "held");
    assertEquals(50 * MS, pacer.nextDueNanos(), "a free slot wakes the loop at the hold's end");
    List<Send> sent = drain(pacer, 50 * MS);
    assertEquals(1, sent.size());
    assertEquals(50 * MS, sent.get(0).intendedNanos());
    assertEquals(Pacer.NEVER, pacer.nextDueNanos(), "no free slot: only a finish sends");
    pacer.holdUntil(Backoff.NONE);
    pacer.finished();
    assertEquals(1, drain(pacer, 51 * MS).size(), "released");
  }

  @Test
  void aHeldOpenLoopSendsLateKeepingTheIntendedTimesSoTheHoldShows() {
    Pacer pacer =
        pacers(
            new Plan(new LoadMode.RequestRate(100, LoadMode.Arrivals.CONSTANT), null, 0, 10, 0, 0),
            1)[0];
    pacer.begin(Phase.MEASURED, 0);
    assertEquals(1, drain(pacer, 0).size());
    pacer.holdUntil(35 * MS);
    assertTrue(drain(pacer, 20 * MS).isEmpty(), "held");
    assertEquals(35 * MS, pacer.nextDueNanos());
    List<Send> late = drain(pacer, 35 * MS);
    assertEquals(
        List.of(10 * MS, 20 * MS, 30 * MS), late.stream().map(Send::intendedNanos).toList());
    assertEquals(40 * MS, pacer.nextDueNanos(), "then on schedule again");
  }

  @Test
  void aHoldNeverReachesPastTheEndOfATimedPhase() {
    Pacer pacer = pacers(new Plan(new LoadMode.Concurrency(1), null, 0, -1, 100 * MS, 0), 1)[0];
    pacer.begin(Phase.MEASURED, 0);
    assertEquals(1, drain(pacer, 0).size());
    pacer.holdUntil(60_000 * MS);
    pacer.finished();
    assertEquals(100 * MS, pacer.nextDueNanos(), "woken at the window's end");
    assertTrue(drain(pacer, 100 * MS).isEmpty());
    assertFalse(pacer.issuing(), "and the phase ends");
    assertTrue(pacer.idle());
  }
}
