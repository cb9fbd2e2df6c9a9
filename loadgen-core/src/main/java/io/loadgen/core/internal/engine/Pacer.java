package io.loadgen.core.internal.engine;

import io.loadgen.core.LoadMode;
import io.loadgen.core.internal.schedule.ArrivalSchedule;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one event loop sends next, and when: a pure model of a run's load, with no threads, timers
 * or I/O. The loop's adapter ({@link LoopDriver}) tells it the time and each finished request, and
 * asks it for the sends due; tests drive it with a virtual clock.
 *
 * <p>A run's load is shared among its loops so that, together, they make exactly the load of one:
 *
 * <ul>
 *   <li>closed loop: the concurrency is split among the loops (loop {@code i} of {@code n} keeps
 *       {@code c / n} in flight, one more for the first {@code c mod n}), and the phase's request
 *       count is drawn from {@link Tickets} that all loops share, so a loop that finishes early
 *       takes more and the run sends exactly its count, with the whole concurrency in flight until
 *       the count runs out; a send's intended time is the moment it is decided;
 *   <li>open loop: one precomputed schedule, the same arrivals as one loop would make; loop {@code
 *       i} makes the arrivals whose position {@code k} in it has {@code k mod n == i}, each at its
 *       intended time; under a concurrency cap, split among the loops as a concurrency is, an
 *       arrival that finds its loop's slots full waits for one, its intended time kept;
 *   <li>a replayed trace: the same, over the trace's own times.
 * </ul>
 *
 * A send's index is its position in the run, which picks its dataset entry: warm-up sends take 0 up
 * to the warm-up count (from the warm-up's own prompts), measured ones follow. Confined to its
 * loop's thread; only {@link Tickets} are shared.
 *
 * <p>A loop can be held ({@link #holdUntil}, by its {@link Backoff}): nothing is sent before then.
 * A closed-loop slot then waits, its send intended when it goes; open-loop arrivals keep their
 * intended times and go when the hold ends, late, so the hold shows in their latencies and send lag
 * rather than being hidden. A hold never reaches past the end of a phase that runs for a time.
 */
final class Pacer {
  /** No timed send is due: only a finished request can make one. */
  static final long NEVER = Long.MAX_VALUE;

  /** The two phases of a run, each with its own count. */
  enum Phase {
    WARMUP,
    MEASURED
  }

  /** A request to send now: its position in the run, when it was meant to go, and its phase. */
  record Send(long index, long intendedNanos, boolean warmup) {}

  /**
   * The run's load, the same for every loop.
   *
   * @param mode the closed or open loop; ignored for a trace
   * @param traceOffsetsNanos a replayed trace's send times from the start, or null
   * @param warmupCount warm-up requests (never for a trace)
   * @param measuredCount measured requests, or -1 to send for {@code intervalNanos}
   * @param intervalNanos the measurement window when {@code measuredCount} is -1
   * @param seed the run's seed, for Poisson arrivals
   * @param rampNanos above 0, the warm-up is a ramp of this length instead of a count: the
   *     concurrency, or the rate, grows linearly from nothing to the mode's level over it, and the
   *     measured phase begins at its end without waiting for the ramp's requests to finish
   */
  record Plan(
      LoadMode mode,
      long[] traceOffsetsNanos,
      int warmupCount,
      int measuredCount,
      long intervalNanos,
      long seed,
      long rampNanos,
      SessionPlan sessions) {
    Plan(
        LoadMode mode,
        long[] traceOffsetsNanos,
        int warmupCount,
        int measuredCount,
        long intervalNanos,
        long seed,
        long rampNanos) {
      this(
          mode,
          traceOffsetsNanos,
          warmupCount,
          measuredCount,
          intervalNanos,
          seed,
          rampNanos,
          null);
    }

    Plan(
        LoadMode mode,
        long[] traceOffsetsNanos,
        int warmupCount,
        int measuredCount,
        long intervalNanos,
        long seed) {
      this(mode, traceOffsetsNanos, warmupCount, measuredCount, intervalNanos, seed, 0, null);
    }

    int total(Phase phase) {
      if (traceOffsetsNanos != null) {
        return phase == Phase.WARMUP ? 0 : traceOffsetsNanos.length;
      }
      if (phase == Phase.WARMUP) {
        return rampNanos > 0 ? -1 : warmupCount;
      }
      return measuredCount;
    }

    /** How long a phase bounded by time ({@link #total} -1) sends. */
    long windowNanos(Phase phase) {
      return phase == Phase.WARMUP ? rampNanos : intervalNanos;
    }

    boolean ramps(Phase phase) {
      return phase == Phase.WARMUP && rampNanos > 0 && traceOffsetsNanos == null;
    }
  }

  /**
   * Ramp-up sends are numbered from here, apart from the measured ones (numbered from 0 then), so
   * that every request of a run has an id of its own.
   */
  static final long RAMP_ID_BASE = 1L << 40;

  /** The closed loop's request counts, one per phase, drawn from by every loop. Thread-safe. */
  static final class Tickets {
    private final AtomicLong warmup = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();

    /** The next ticket of {@code phase}, or -1 once {@code total} are out (never for -1). */
    long claim(Phase phase, int total) {
      long ticket = (phase == Phase.WARMUP ? warmup : measured).getAndIncrement();
      return total < 0 || ticket < total ? ticket : -1;
    }
  }

  private final Plan plan;
  private final int loop;
  private final int loops;
  private final Tickets tickets;

  private Phase phase;
  private long phaseStartNanos;
  private boolean issuing;
  private boolean stopped;
  private int inFlight;
  private int slots;
  private ArrivalSchedule schedule;

  /**
   * The position in the schedule of this loop's next arrival, and its offset from the phase start.
   */
  private long arrival;

  private long arrivalOffsetNanos;

  private long heldUntilNanos = Backoff.NONE;

  // A sessions run's measured phase: per slot of this loop, its session (-1: none), the turn it is
  // at, when that turn is due, and whether it is in flight.
  private int[] slotSession;
  private int[] slotTurn;
  private long[] slotDueNanos;
  private boolean[] slotBusy;
  private boolean sessionsLeft;

  Pacer(Plan plan, int loop, int loops, Tickets tickets) {
    if (loop < 0 || loop >= loops) {
      throw new IllegalArgumentException("loop " + loop + " of " + loops);
    }
    this.plan = plan;
    this.loop = loop;
    this.loops = loops;
    this.tickets = tickets;
  }

  /** Starts {@code phase} at {@code startNanos}: open-loop offsets count from it. */
  void begin(Phase phase, long startNanos) {
    this.phase = phase;
    this.phaseStartNanos = startNanos;
    this.issuing = !stopped && plan.total(phase) != 0;
    if (plan.traceOffsetsNanos() != null) {
      schedule = ArrivalSchedule.fixed(plan.traceOffsetsNanos());
      slots = Integer.MAX_VALUE; // a trace is replayed on its own times, never held
      firstArrival();
    } else if (plan.mode() instanceof LoadMode.Concurrency c) {
      schedule = null;
      slots = c.concurrency() / loops + (loop < c.concurrency() % loops ? 1 : 0);
      issuing &= slots > 0;
      if (inSessions()) {
        slotSession = new int[slots];
        java.util.Arrays.fill(slotSession, -1);
        slotTurn = new int[slots];
        slotDueNanos = new long[slots];
        slotBusy = new boolean[slots];
        sessionsLeft = true;
      }
    } else {
      // Warm-up arrivals are drawn apart from the measured ones, as one loop draws them.
      LoadMode.RequestRate rate = (LoadMode.RequestRate) plan.mode();
      schedule = new ArrivalSchedule(rate, plan.seed() + (phase == Phase.WARMUP ? 1 : 0));
      // A cap is split among the loops as a concurrency is; without one, slots never run out.
      int cap = rate.maxConcurrency();
      slots = rate.capped() ? cap / loops + (loop < cap % loops ? 1 : 0) : Integer.MAX_VALUE;
      firstArrival();
    }
  }

  /**
   * The next send due at {@code nowNanos}, or null when none is: call it until null after every
   * event. Each send returned counts as in flight until {@link #finished()}.
   */
  Send next(long nowNanos) {
    if (!issuing || nowNanos < heldUntil()) {
      return null;
    }
    int total = plan.total(phase);
    long base = phase == Phase.MEASURED ? plan.warmupCount() : plan.ramps(phase) ? RAMP_ID_BASE : 0;
    if (inSessions()) {
      return nextTurn(nowNanos);
    }
    if (schedule == null) {
      if (inFlight >= slotsAt(nowNanos)) {
        return null;
      }
      if (total < 0 && nowNanos - phaseStartNanos >= plan.windowNanos(phase)) {
        issuing = false;
        return null;
      }
      long ticket = tickets.claim(phase, total);
      if (ticket < 0) {
        issuing = false;
        return null;
      }
      inFlight++;
      return new Send(base + ticket, nowNanos, phase == Phase.WARMUP);
    }
    boolean past = total >= 0 ? arrival >= total : arrivalOffsetNanos >= plan.windowNanos(phase);
    if (past || arrivalOffsetNanos == Long.MAX_VALUE) {
      issuing = false;
      return null;
    }
    long intended = phaseStartNanos + arrivalOffsetNanos;
    if (intended > nowNanos || inFlight >= slots) {
      return null; // not due yet, or due and waiting for a slot under the cap
    }
    Send send = new Send(base + arrival, intended, phase == Phase.WARMUP);
    inFlight++;
    nextArrival();
    return send;
  }

  /**
   * When {@link #next} will next have a send without any request finishing: the intended time of
   * this loop's next open-loop arrival, or {@link #NEVER}.
   */
  long nextDueNanos() {
    if (!issuing) {
      return NEVER;
    }
    long held = heldUntil();
    if (inSessions()) {
      long due = NEVER;
      for (int i = 0; i < slots; i++) {
        if (slotSession[i] >= 0 && !slotBusy[i]) {
          due = Math.min(due, Math.max(slotDueNanos[i], held));
        }
      }
      return due;
    }
    if (schedule == null) {
      if (plan.ramps(phase) && inFlight < slots) {
        // This loop's next slot is the run's slot j = loop + inFlight x loops; it opens once the
        // ramp has passed j / concurrency of its length.
        long j = loop + (long) inFlight * loops;
        long opens = phaseStartNanos + plan.rampNanos() * j / concurrency() + 1;
        return opens < phaseStartNanos + plan.rampNanos() ? Math.max(opens, held) : NEVER;
      }
      // A closed loop sends when a request finishes, or when a hold on a free slot ends.
      return held != Backoff.NONE && inFlight < slots ? held : NEVER;
    }
    int total = plan.total(phase);
    boolean past = total >= 0 ? arrival >= total : arrivalOffsetNanos >= plan.windowNanos(phase);
    // Under a full cap the next arrival goes when a request finishes, not at a time.
    return past || arrivalOffsetNanos == Long.MAX_VALUE || inFlight >= slots
        ? NEVER
        : Math.max(phaseStartNanos + arrivalOffsetNanos, held);
  }

  /**
   * Sends nothing before {@code nanos} ({@link Backoff#NONE}: no hold), in this phase or the next.
   */
  void holdUntil(long nanos) {
    heldUntilNanos = nanos;
  }

  /** The hold, cut at the end of a phase that runs for a time, when the phase must stop anyway. */
  private long heldUntil() {
    if (heldUntilNanos != Backoff.NONE && plan.total(phase) < 0) {
      return Math.min(heldUntilNanos, phaseStartNanos + plan.intervalNanos());
    }
    return heldUntilNanos;
  }

  /** Whether the phase runs chat sessions: a sessions run's measured phase. */
  private boolean inSessions() {
    return plan.sessions() != null && phase == Phase.MEASURED && plan.traceOffsetsNanos() == null;
  }

  /**
   * A sessions run: the next turn due on one of this loop's slots. A free slot takes the run's next
   * session (its first turn due at once); a slot whose session is between turns sends the next when
   * its delay is over, intended for that moment.
   */
  private Send nextTurn(long nowNanos) {
    boolean windowOver =
        plan.total(phase) < 0 && nowNanos - phaseStartNanos >= plan.windowNanos(phase);
    boolean anyAssigned = false;
    for (int i = 0; i < slots; i++) {
      if (slotBusy[i]) {
        anyAssigned = true;
        continue;
      }
      if (slotSession[i] < 0 && sessionsLeft && !windowOver) {
        long ticket = tickets.claim(phase, plan.sessions().count());
        if (ticket < 0) {
          sessionsLeft = false;
        } else {
          slotSession[i] = (int) ticket;
          slotTurn[i] = 0;
          slotDueNanos[i] = nowNanos;
        }
      }
      if (slotSession[i] < 0) {
        continue;
      }
      anyAssigned = true;
      if (slotDueNanos[i] <= nowNanos) {
        slotBusy[i] = true;
        inFlight++;
        return new Send(SessionPlan.sendIndex(slotSession[i], slotTurn[i]), slotDueNanos[i], false);
      }
    }
    if (!anyAssigned && (!sessionsLeft || windowOver)) {
      issuing = false;
    }
    return null;
  }

  /**
   * A sessions run's turn {@code index} has finished at {@code nowNanos}: its session's next turn
   * falls due after its delay, or, after its last, the slot is free for the next session.
   */
  void turnFinished(long index, long nowNanos) {
    int session = SessionPlan.session(index);
    int turn = SessionPlan.turn(index);
    for (int i = 0; i < slots; i++) {
      if (slotBusy[i] && slotSession[i] == session && slotTurn[i] == turn) {
        slotBusy[i] = false;
        inFlight--;
        if (turn + 1 < plan.sessions().turns(session)) {
          slotTurn[i] = turn + 1;
          slotDueNanos[i] = nowNanos + plan.sessions().delayNanos(session, turn + 1);
        } else {
          slotSession[i] = -1;
        }
        return;
      }
    }
    throw new IllegalStateException(
        "turn " + turn + " of session " + session + " is not in flight");
  }

  /** One of this loop's requests finished (or was abandoned): its closed-loop slot is free. */
  void finished() {
    if (inFlight == 0) {
      throw new IllegalStateException("no request of this loop is in flight");
    }
    inFlight--;
  }

  /** Sends nothing more, in this phase or any later one. */
  void stop() {
    stopped = true;
    issuing = false;
  }

  /** True while the phase may still send from this loop. */
  boolean issuing() {
    return issuing;
  }

  /** This loop's requests in flight. */
  int inFlight() {
    return inFlight;
  }

  /** True when this loop has nothing more to send in the phase and nothing in flight. */
  boolean idle() {
    return !issuing && inFlight == 0;
  }

  Phase phase() {
    return phase;
  }

  private void firstArrival() {
    arrival = -1;
    arrivalOffsetNanos = 0;
    for (int k = 0; k <= loop; k++) {
      advanceOne();
    }
  }

  private void nextArrival() {
    for (int k = 0; k < loops; k++) {
      advanceOne();
    }
  }

  private void advanceOne() {
    arrival++;
    long offset = schedule.nextOffsetNanos();
    arrivalOffsetNanos = plan.ramps(phase) ? rampTime(offset, plan.rampNanos()) : offset;
  }

  /**
   * When the arrival at {@code offsetNanos} of the full rate comes on a ramp of {@code rampNanos}:
   * a rate growing linearly from 0 to R over the ramp has made R t^2 / (2 ramp) arrivals by t, as
   * many as the full rate makes by s = t^2 / (2 ramp); so t = sqrt(2 ramp s). The same schedule,
   * constant, Poisson or gamma, is stretched in time; arrivals past half the ramp's length at the
   * full rate fall after its end.
   */
  static long rampTime(long offsetNanos, long rampNanos) {
    if (offsetNanos == Long.MAX_VALUE || offsetNanos >= rampNanos / 2) {
      return offsetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : rampNanos;
    }
    return (long) Math.sqrt(2.0 * rampNanos * (double) offsetNanos);
  }

  /**
   * This loop's slots at {@code nowNanos}: its share of the concurrency or cap; on a closed-loop
   * ramp, its share of the run's open slots. The run opens slot j (from 0) once the ramp has passed
   * j / concurrency of its length, so ceil(concurrency x t / ramp) are open at t, at least the
   * first; loop i of n owns slots i, i + n, ..., as the concurrency's split gives them.
   */
  private int slotsAt(long nowNanos) {
    if (!plan.ramps(phase) || schedule != null) {
      return slots;
    }
    long elapsed = Math.max(0, nowNanos - phaseStartNanos);
    if (elapsed >= plan.rampNanos()) {
      return slots;
    }
    int concurrency = concurrency();
    long open = (concurrency * elapsed + plan.rampNanos() - 1) / plan.rampNanos();
    open = Math.max(1, Math.min(concurrency, open));
    long mine = open > loop ? (open - loop + loops - 1) / loops : 0;
    return (int) Math.min(slots, mine);
  }

  private int concurrency() {
    return ((LoadMode.Concurrency) plan.mode()).concurrency();
  }
}
