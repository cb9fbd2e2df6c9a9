package io.loadgen.core.internal.schedule;

import io.loadgen.core.LoadMode;
import java.util.SplittableRandom;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateContinuousSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The intended send times of an open-loop run, as offsets from its start, fixed by the rate, the
 * arrival process and the seed alone, never by how the server or client is doing.
 */
public final class ArrivalSchedule {
  /**
   * The latest offset a rate's schedule gives: 2^62 ns, 146 years. Offsets saturate there, so that
   * a start time plus an offset stays within a {@code long} and never reaches {@link
   * Long#MAX_VALUE}, which says a fixed schedule has ended: a slow rate's sum of gaps would
   * otherwise round to it after a few million arrivals (or at once, for a rate below 1e-10 /s).
   */
  public static final long MAX_OFFSET_NANOS = 1L << 62;

  private final double meanGapNanos;
  private final LoadMode.Arrivals arrivals;
  private final SplittableRandom random;
  private final SharedStateContinuousSampler gamma;
  private final long[] fixedOffsetsNanos;
  private int nextFixed;
  private double offsetNanos;

  public ArrivalSchedule(LoadMode.RequestRate rate, long seed) {
    this.meanGapNanos = 1e9 / rate.requestsPerSecond();
    this.arrivals = rate.arrivals();
    this.random = new SplittableRandom(seed);
    // Shape k = burstiness and scale mean / k keep the mean gap at 1/rate for any burstiness.
    this.gamma =
        arrivals == LoadMode.Arrivals.GAMMA
            ? AhrensDieterMarsagliaTsangGammaSampler.of(
                RandomSource.SPLIT_MIX_64.create(seed),
                rate.burstiness(),
                meanGapNanos / rate.burstiness())
            : null;
    this.fixedOffsetsNanos = null;
  }

  private ArrivalSchedule(long[] offsetsNanos) {
    this.meanGapNanos = 0;
    this.arrivals = null;
    this.random = null;
    this.gamma = null;
    this.fixedOffsetsNanos = offsetsNanos.clone();
  }

  /**
   * A schedule given in full, as a replayed trace's timestamps; after the last offset it answers
   * {@link Long#MAX_VALUE}.
   */
  public static ArrivalSchedule fixed(long[] offsetsNanos) {
    return new ArrivalSchedule(offsetsNanos);
  }

  /**
   * The offset of the next arrival from the start of the run, in nanoseconds. The first arrival is
   * at 0, so a run starts by sending; each later one follows by 1/rate (constant), or by an
   * exponential (Poisson) or gamma gap with that mean.
   */
  public long nextOffsetNanos() {
    if (fixedOffsetsNanos != null) {
      return nextFixed < fixedOffsetsNanos.length ? fixedOffsetsNanos[nextFixed++] : Long.MAX_VALUE;
    }
    long next = Math.min(MAX_OFFSET_NANOS, Math.round(offsetNanos));
    offsetNanos =
        Math.min(
            MAX_OFFSET_NANOS,
            offsetNanos
                + switch (arrivals) {
                  case CONSTANT -> meanGapNanos;
                  case POISSON -> exponentialGap();
                  case GAMMA -> gamma.sample();
                });
    return next;
  }

  private double exponentialGap() {
    // Inverse transform sampling; 1 - u is in (0, 1], so the logarithm is finite.
    return -Math.log(1.0 - random.nextDouble()) * meanGapNanos;
  }
}
