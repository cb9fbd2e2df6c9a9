package io.loadgen.core.internal.engine;

import io.loadgen.core.Sessions;
import java.util.SplittableRandom;

/**
 * A run's chat sessions, drawn from its seed before it starts: how many turns each has, and the
 * delay before each of its turns after the first. A turn's send is numbered {@code session <<
 * TURN_BITS | turn}, so its number says which session and turn it is.
 */
final class SessionPlan {
  /** Bits of a send's number that hold its turn: more than {@link Sessions#MAX_TURNS} needs. */
  static final int TURN_BITS = 20;

  private static final long TURN_MASK = (1L << TURN_BITS) - 1;

  private final Sessions sessions;
  private final long seed;
  private final int[] turns;
  private final long totalTurns;

  SessionPlan(Sessions sessions, long seed) {
    this.sessions = sessions;
    this.seed = seed;
    this.turns = sessions.drawTurns(seed);
    long total = 0;
    for (int t : turns) {
      total += t;
    }
    this.totalTurns = total;
  }

  int count() {
    return turns.length;
  }

  int turns(int session) {
    return turns[session];
  }

  /** Every turn of every session: the run's measured requests. */
  long totalTurns() {
    return totalTurns;
  }

  /** The delay before turn {@code turn} (from 1) of {@code session}, after its last answer. */
  long delayNanos(int session, int turn) {
    return sessions.sampleDelayNanos(
        new SplittableRandom(seed * 31 + ((long) session << 20) + turn));
  }

  static long sendIndex(int session, int turn) {
    return ((long) session << TURN_BITS) | turn;
  }

  static int session(long index) {
    return (int) (index >>> TURN_BITS);
  }

  static int turn(long index) {
    return (int) (index & TURN_MASK);
  }
}
