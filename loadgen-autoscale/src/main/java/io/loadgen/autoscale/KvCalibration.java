package io.loadgen.autoscale;

import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.VirtualReplica;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fits an engine's KV-cache size to measured points ({@code --calibrate-kv
 * "100:0.094,200:0.208,400:0.409"}: concurrency and the gauge's average there), so that a rehearsal
 * or a simulated pod reads what the measured server read. Each point is run as a closed loop on one
 * {@link VirtualReplica} of the engine, in virtual time, with the given input and output lengths;
 * the blocks it holds on average ({@code U}) do not depend on the cache's size while it has room,
 * so the least-squares size through the points is {@code sum(U^2) / sum(u x U)} for the given
 * usages {@code u}.
 *
 * @param engine the engine with the fitted {@code kvBlocksTotal}
 * @param points each point: given and fitted usage
 */
public record KvCalibration(EngineSpec engine, List<Point> points) {
  /** Virtual time before measuring a point, and measured: long enough for many requests. */
  private static final long WARM_NANOS = 60_000_000_000L;

  private static final long MEASURE_NANOS = 120_000_000_000L;

  /**
   * A point: at {@code concurrency}, the gauge read {@code given}; the fit reads {@code fitted}.
   */
  public record Point(int concurrency, double given, double blocksHeld, double fitted) {}

  /**
   * Reads {@code "C:U,C:U,..."}: concurrency and usage (0..1) pairs.
   *
   * @throws AutoscaleException naming the part that does not parse
   */
  public static List<double[]> parsePoints(String text) {
    List<double[]> points = new ArrayList<>();
    for (String part : text.split(",")) {
      String[] pair = part.trim().split(":");
      try {
        if (pair.length != 2) {
          throw new NumberFormatException();
        }
        double concurrency = Double.parseDouble(pair[0]);
        double usage = Double.parseDouble(pair[1]);
        if (!(concurrency >= 1)
            || concurrency != Math.rint(concurrency)
            || !(usage > 0 && usage < 1)) {
          throw new NumberFormatException();
        }
        points.add(new double[] {concurrency, usage});
      } catch (NumberFormatException e) {
        throw new AutoscaleException(
            "--calibrate-kv part '"
                + part.trim()
                + "' is not CONCURRENCY:USAGE (a whole number of users and a gauge above 0 and"
                + " below 1), e.g. 200:0.208");
      }
    }
    return points;
  }

  /** Fits {@code base}'s KV-cache size to {@code points} (concurrency, usage). */
  public static KvCalibration fit(
      EngineSpec base,
      List<double[]> points,
      TokenLengthDistribution inputTokens,
      TokenLengthDistribution outputTokens,
      long seed) {
    if (points.isEmpty()) {
      throw new AutoscaleException("--calibrate-kv needs at least one CONCURRENCY:USAGE point");
    }
    double[] held = new double[points.size()];
    double squares = 0;
    double products = 0;
    for (int i = 0; i < points.size(); i++) {
      held[i] = blocksHeld(base, (int) points.get(i)[0], inputTokens, outputTokens, seed);
      squares += held[i] * held[i];
      products += points.get(i)[1] * held[i];
    }
    long blocks = Math.max(1, Math.round(squares / products));
    EngineSpec fitted =
        new EngineSpec(
            base.kvBlockSizeTokens(),
            blocks,
            base.maxRunningSequences(),
            base.maxBatchedTokens(),
            base.prefillNanosPerToken(),
            base.decodeStepFixedNanos(),
            base.decodeNanosPerSequence(),
            base.decodeNanosPerCachedToken());
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      out.add(new Point((int) points.get(i)[0], points.get(i)[1], held[i], held[i] / blocks));
    }
    return new KvCalibration(fitted, out);
  }

  /** The fit, a line per point. */
  public String report() {
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "KV cache fitted to %d points: %,d blocks of %d tokens%n",
                points.size(),
                engine.kvBlocksTotal(),
                engine.kvBlockSizeTokens()));
    for (Point p : points) {
      out.append(
          String.format(
              Locale.ROOT,
              "  concurrency %d: measured %.1f%%, fitted %.1f%% (%.0f blocks held)%n",
              p.concurrency(),
              100 * p.given(),
              100 * p.fitted(),
              p.blocksHeld()));
    }
    return out.toString();
  }

  /** The time-weighted mean blocks a closed loop of {@code users} holds on one replica. */
  private static double blocksHeld(
      EngineSpec engine,
      int users,
      TokenLengthDistribution inputTokens,
      TokenLengthDistribution outputTokens,
      long seed) {
    VirtualReplica replica = new VirtualReplica(engine);
    SplittableRandom lengths = new SplittableRandom(seed);
    long[] now = {0};
    Runnable[] send = new Runnable[1];
    send[0] =
        () ->
            replica.submit(
                inputTokens.sample(lengths),
                outputTokens.sample(lengths),
                now[0],
                new VirtualReplica.TokenListener() {
                  @Override
                  public void onToken(int index, long nanos) {}

                  @Override
                  public void onFinish(long nanos) {
                    send[0].run();
                  }
                });
    // Users join over the same spread as a rehearsal's, so that they do not run in step.
    SplittableRandom starts = new SplittableRandom(seed + 1);
    java.util.PriorityQueue<Long> joins = new java.util.PriorityQueue<>();
    for (int u = 0; u < users; u++) {
      joins.add(
          (long)
              (starts.nextDouble() * io.loadgen.autoscale.internal.Simulation.USER_SPREAD_NANOS));
    }
    double weighted = 0;
    long measured = 0;
    while (now[0] < WARM_NANOS + MEASURE_NANOS) {
      while (!joins.isEmpty() && joins.peek() <= now[0]) {
        joins.poll();
        send[0].run();
      }
      long end = replica.hasWork() ? replica.startStep(now[0]) : -1;
      if (end < 0) {
        if (joins.isEmpty()) {
          throw new AutoscaleException("the engine cannot run " + users + " users' requests");
        }
        now[0] = joins.peek(); // idle until the next user joins
        continue;
      }
      // A user joining mid-step arrives at its end, as in a real engine.
      end = Math.max(end, now[0]);
      long blocks = replica.kvBlocksUsed();
      if (now[0] >= WARM_NANOS) {
        weighted += (double) blocks * (end - now[0]);
        measured += end - now[0];
      }
      now[0] = end;
      replica.endStep();
    }
    return weighted / measured;
  }
}
