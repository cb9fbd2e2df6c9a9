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

  /** A file's sessions, when the run reads them from one; else null. */
  private final java.util.List<java.util.List<Dataset.FileTurn>> file;

  SessionPlan(Sessions sessions, long seed) {
    this(sessions, seed, null);
  }

  /**
   * The run's sessions: drawn from the seed, or the first {@code sessions.count()} of a file's
   * ({@code file}, null for none), each with its own turns and, where the file gives them, delays.
   */
  SessionPlan(Sessions sessions, long seed, java.util.List<java.util.List<Dataset.FileTurn>> file) {
    this.sessions = sessions;
    this.seed = seed;
    this.file = file == null ? null : file.subList(0, Math.min(file.size(), sessions.count()));
    if (this.file != null) {
      this.turns = new int[this.file.size()];
      for (int i = 0; i < turns.length; i++) {
        turns[i] = this.file.get(i).size();
      }
    } else {
      this.turns = sessions.drawTurns(seed);
    }
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

  /** The run's sessions for {@code profile}, from {@code dataset}'s file where it has one. */
  static SessionPlan of(io.loadgen.core.Profile profile, Dataset dataset) {
    return profile.load().sessions() == null
        ? null
        : new SessionPlan(
            profile.load().sessions(), profile.workload().randomSeed(), dataset.fileSessions());
  }

  /**
   * The messages turn {@code turn} of {@code session} adds to its conversation, from the file; null
   * for a synthetic session, whose turns each add a user message of a synthetic prompt.
   */
  java.util.List<java.util.Map.Entry<String, String>> fileMessages(int session, int turn) {
    return file == null ? null : file.get(session).get(turn).messages();
  }

  /** The delay before turn {@code turn} (from 1) of {@code session}, after its last answer. */
  long delayNanos(int session, int turn) {
    if (file != null && file.get(session).get(turn).delayMillis() != null) {
      return file.get(session).get(turn).delayMillis() * 1_000_000L;
    }
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
