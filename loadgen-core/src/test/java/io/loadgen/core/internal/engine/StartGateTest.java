package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.RunWarning;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start gate on a wall clock the test moves: no test here waits for real time. */
class StartGateTest {
  private static final Instant START = Instant.parse("2026-12-02T14:00:00Z");

  /** A wall clock that moves only when the gate sleeps on it, by as long as it sleeps. */
  private static final class ManualClock implements InstantSource {
    Instant now;
    final List<Duration> sleeps = new ArrayList<>();

    ManualClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    boolean sleep(long nanos) {
      sleeps.add(Duration.ofNanos(nanos));
      now = now.plusNanos(nanos);
      return false;
    }
  }

  @Test
  void waitsUntilTheClockReadsTheStartInSlicesOfASecondAtMostHavingSaidHowLong() {
    ManualClock clock = new ManualClock(START.minusMillis(2_500));
    List<RunWarning> warnings = new ArrayList<>();

    StartGate.Outcome outcome = new StartGate(clock::sleep).await(START, clock, warnings::add);

    assertEquals(StartGate.Outcome.STARTED, outcome);
    assertEquals(START, clock.now);
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500)),
        clock.sleeps);
    assertEquals(
        List.of(
            new RunWarning(
                "startAt", "prepared; waiting 2.5 s for the start time 2026-12-02T14:00:00Z")),
        warnings);
  }

  @Test
  void aClockSteppedForwardWhileWaitingEndsTheWaitAtTheNewReading() {
    ManualClock clock = new ManualClock(START.minusSeconds(60));
    StartGate gate =
        new StartGate(
            nanos -> {
              // NTP steps the clock 59 s ahead during the first slice.
              clock.sleep(nanos);
              clock.now = clock.now.plusSeconds(59);
              return false;
            });

    assertEquals(StartGate.Outcome.STARTED, gate.await(START, clock, null));
    assertEquals(List.of(Duration.ofSeconds(1)), clock.sleeps);
  }

  @Test
  void aStartAlreadyPastStartsAtOnceAndSaysSoOnce() {
    ManualClock clock = new ManualClock(START.plusMillis(12_340));
    List<RunWarning> warnings = new ArrayList<>();

    StartGate.Outcome outcome = new StartGate(clock::sleep).await(START, clock, warnings::add);

    assertEquals(StartGate.Outcome.ALREADY_PAST, outcome);
    assertEquals(List.of(), clock.sleeps);
    assertEquals(1, warnings.size());
    assertEquals("startAt", warnings.get(0).setting());
    assertEquals(
        "the start time 2026-12-02T14:00:00Z passed 12.3 s ago: starting now",
        warnings.get(0).message());
  }

  @Test
  void theStartInstantItselfIsNotWaitedForNorWarnedAbout() {
    ManualClock clock = new ManualClock(START);
    List<RunWarning> warnings = new ArrayList<>();

    assertEquals(
        StartGate.Outcome.STARTED, new StartGate(clock::sleep).await(START, clock, warnings::add));
    assertEquals(List.of(), clock.sleeps);
    assertEquals(List.of(), warnings);
  }

  @Test
  void noStartInstantMeansNoWait() {
    ManualClock clock = new ManualClock(START);
    assertEquals(StartGate.Outcome.STARTED, new StartGate(clock::sleep).await(null, clock, null));
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  void releaseEndsTheWaitThatIsRunningAndAnyLater() {
    ManualClock clock = new ManualClock(START.minusSeconds(3_600));
    StartGate[] gate = new StartGate[1];
    gate[0] =
        new StartGate(
            nanos -> {
              clock.sleep(nanos);
              gate[0].release(); // a stop arrives during the first slice
              return true;
            });

    assertEquals(StartGate.Outcome.RELEASED, gate[0].await(START, clock, null));
    assertEquals(1, clock.sleeps.size());
    assertEquals(StartGate.Outcome.RELEASED, gate[0].await(START, clock, null));
    assertEquals(1, clock.sleeps.size(), "a released gate does not wait again");
  }

  @Test
  void theProductionGateReturnsAsSoonAsItIsReleased() {
    StartGate gate = new StartGate();
    gate.release();
    long before = System.nanoTime();
    assertEquals(
        StartGate.Outcome.RELEASED,
        gate.await(Instant.now().plusSeconds(3_600), InstantSource.system(), null));
    assertTrue(System.nanoTime() - before < Duration.ofSeconds(5).toNanos());
  }
}
