package io.loadgen.core;

import java.util.random.RandomGenerator;

/**
 * genai-perf's multi-turn chat sessions: {@code count} sessions, {@code concurrency} of them under
 * way at once, each of a number of turns drawn from a normal of {@code turnsMean} and {@code
 * turnsStddev}, rounded, at least 1. A turn sends the whole conversation so far, the server's
 * earlier answers included, and one new user message (a synthetic prompt of the input length), so
 * the prompt grows turn by turn as a chat's does, and as a prefix cache sees it. After each answer
 * the session waits a delay drawn from {@code turnDelayMeanMillis} and {@code
 * turnDelayStddevMillis} (never below 0) before its next turn; that turn's latency counts from the
 * end of its delay. The concurrency counts sessions, not requests: a session waiting out its delay
 * keeps its slot. Every draw follows from the run's seed.
 *
 * @param count the sessions of the run; each of their turns is a measured request
 * @param concurrency sessions under way at once (genai-perf's {@code --session-concurrency})
 */
public record Sessions(
    int count,
    int concurrency,
    double turnsMean,
    double turnsStddev,
    double turnDelayMeanMillis,
    double turnDelayStddevMillis) {
  /** The most sessions a run holds, and the most turns of one. */
  public static final int MAX_SESSIONS = 1_000_000;

  public static final int MAX_TURNS = 10_000;

  /**
   * @throws ProfileConfigException for a count, concurrency, turn count or delay out of range
   */
  public Sessions {
    if (count < 1 || count > MAX_SESSIONS) {
      throw new ProfileConfigException(
          "numSessions", "must be 1 to " + MAX_SESSIONS + ", got " + count);
    }
    if (concurrency < 1 || concurrency > LoadMode.Concurrency.MAX_CONCURRENCY) {
      throw new ProfileConfigException(
          "sessionConcurrency",
          "must be 1 to " + LoadMode.Concurrency.MAX_CONCURRENCY + ", got " + concurrency);
    }
    if (!(turnsMean >= 1 && turnsMean <= MAX_TURNS)
        || !(turnsStddev >= 0 && turnsStddev <= MAX_TURNS)) {
      throw new ProfileConfigException(
          "sessionTurns",
          "mean must be 1 to "
              + MAX_TURNS
              + " and stddev 0 to "
              + MAX_TURNS
              + " turns, got "
              + turnsMean
              + " and "
              + turnsStddev);
    }
    if (!(turnDelayMeanMillis >= 0)
        || !(turnDelayStddevMillis >= 0)
        || Double.isInfinite(turnDelayMeanMillis)
        || Double.isInfinite(turnDelayStddevMillis)) {
      throw new ProfileConfigException(
          "sessionTurnDelay",
          "mean and stddev must be 0 or more ms, got "
              + turnDelayMeanMillis
              + " and "
              + turnDelayStddevMillis);
    }
  }

  /** The turns of every session, drawn from the run's {@code seed}: the same seed, the same. */
  public int[] drawTurns(long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ 0x5E55_10A5L);
    int[] turns = new int[count];
    for (int i = 0; i < count; i++) {
      turns[i] = sampleTurns(random);
    }
    return turns;
  }

  /** Every turn of every session for the run's {@code seed}: its measured requests. */
  public long totalTurns(long seed) {
    long total = 0;
    for (int turns : drawTurns(seed)) {
      total += turns;
    }
    return total;
  }

  /** One session's turns: a draw of the normal, rounded, 1 to {@link #MAX_TURNS}. */
  public int sampleTurns(RandomGenerator random) {
    double drawn = turnsStddev == 0 ? turnsMean : turnsMean + turnsStddev * random.nextGaussian();
    return (int) Math.max(1, Math.min(MAX_TURNS, Math.round(drawn)));
  }

  /** One delay before a turn, in nanoseconds: a draw of the normal, never below 0. */
  public long sampleDelayNanos(RandomGenerator random) {
    double drawn =
        turnDelayStddevMillis == 0
            ? turnDelayMeanMillis
            : turnDelayMeanMillis + turnDelayStddevMillis * random.nextGaussian();
    return Math.round(Math.max(0, drawn) * 1e6);
  }
}
