package io.loadgen.autoscale;

import io.loadgen.sim.EngineSpec;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code autoscale plan --verify} and {@code --search}: an HPA target tried, before a GPU is spent,
 * by a {@link Rehearsal} of replicas calibrated to the sweep, under a load that rises from half the
 * knee of one replica to 75% of {@code maxReplicas} (at most 4) replicas' knees at the plan's load
 * growth (20% of the start a minute when the plan has none). The SLOs are checked in each 15 s
 * window after the first minute: TTFT and ITL as the rehearsal measures them (a request still
 * queued counting with its wait).
 */
public final class PlanCheck {
  /** The least growth a verification rises at, a share of its start a minute. */
  private static final double DEFAULT_GROWTH_PER_MINUTE = 0.2;

  /** Windows before the checks start: the first minute, while the load is first placed. */
  private static final double SETTLE_SECONDS = 60;

  private PlanCheck() {}

  /**
   * What a rehearsal of a target showed.
   *
   * @param held whether every SLO held in every window checked
   * @param worstSlo the SLO that came closest to breaking, or broke most
   * @param worstValue its value there, in ms
   * @param worstSeconds when, from the start of the rising load
   * @param maxReplicas the most replicas the HPA asked for
   */
  public record Verification(
      double target,
      boolean held,
      Slo worstSlo,
      double worstValue,
      double worstSeconds,
      int maxReplicas,
      RehearsalResult rehearsal) {
    /** One line for the console. */
    public String describe() {
      String milli = Math.round(target * 1000) + "m";
      String at = String.format(Locale.ROOT, "%.0f s", worstSeconds);
      if (held) {
        return String.format(
            Locale.ROOT,
            "verified: at %s the SLOs held in every window as the load rose (closest: %s at %.1f"
                + " ms, at %s; up to %d replicas)",
            milli,
            worstSlo,
            worstValue,
            at,
            maxReplicas);
      }
      return String.format(
          Locale.ROOT,
          "not verified: at %s, %s read %.1f ms at %s, %.0f%% over its limit, while replicas"
              + " started (up to %d)",
          milli,
          worstSlo,
          worstValue,
          at,
          100 * (worstValue / worstSlo.limitMillis() - 1),
          maxReplicas);
    }
  }

  /** Rehearses {@code plan}'s target on replicas of {@code engine}. */
  public static Verification verify(
      AutoscalePlan plan, MeasuredSweep sweep, EngineSpec engine, PlanOptions options) {
    return verify(plan.target(), plan, sweep, engine, options);
  }

  /**
   * The highest target, in whole milli-units, whose rehearsal holds every SLO, by bisection between
   * 1m and 1000m (a gauge's whole range); null when not even 1m holds.
   */
  public static Verification search(
      AutoscalePlan plan, MeasuredSweep sweep, EngineSpec engine, PlanOptions options) {
    long low = 1;
    long high = 1000;
    Verification best = null;
    Verification lowest = verify(low / 1000.0, plan, sweep, engine, options);
    if (!lowest.held()) {
      return null;
    }
    best = lowest;
    while (low < high) {
      long mid = (low + high + 1) / 2;
      Verification v = verify(mid / 1000.0, plan, sweep, engine, options);
      if (v.held()) {
        low = mid;
        best = v;
      } else {
        high = mid - 1;
      }
    }
    return best;
  }

  /** Rehearses {@code target} (0..1) in place of {@code plan}'s, under the same load. */
  public static Verification verify(
      double target,
      AutoscalePlan plan,
      MeasuredSweep sweep,
      EngineSpec engine,
      PlanOptions options) {
    for (Slo slo : plan.slos()) {
      if (!slo.metric().equals("time_to_first_token")
          && !slo.metric().equals("inter_token_latency")) {
        throw new AutoscaleException(
            "a rehearsal measures time_to_first_token and inter_token_latency, not "
                + slo.metric()
                + ": --verify and --search check those SLOs only");
      }
    }
    if (plan.loadKind() != MeasuredSweep.LoadKind.CONCURRENCY) {
      throw new AutoscaleException(
          "--verify and --search rehearse a concurrency sweep's plan; this sweep ran request rates");
    }
    MeasuredSweep.Level first = sweep.levels().get(0);
    RehearsalSpec spec =
        RehearsalSpec.builder()
            .engine(engine)
            .metric(plan.servedMetric())
            .target(target)
            .replicas(options.minReplicas(), options.maxReplicas())
            .replicaStartupSeconds(options.replicaStartupSeconds())
            .scrapeIntervalSeconds(options.scrapeIntervalSeconds())
            .syncPeriodSeconds(options.hpaSyncPeriodSeconds())
            .tolerance(options.hpaTolerance())
            .plan(risingLoad(plan.kneeLoad(), options))
            .inputTokens(new TokenLengthDistribution(Math.max(1, first.inputTokensMean()), 0))
            .outputTokens(new TokenLengthDistribution(Math.max(1, first.outputTokensMean()), 0))
            .build();
    RehearsalResult result = Rehearsal.run(spec);
    Slo worst = null;
    double worstValue = Double.NaN;
    double worstRatio = -1;
    double worstSeconds = 0;
    for (Window w : result.windows()) {
      if (w.startSeconds() < SETTLE_SECONDS) {
        continue;
      }
      for (Slo slo : plan.slos()) {
        double value = value(w, slo);
        if (!Double.isNaN(value) && value / slo.limitMillis() > worstRatio) {
          worstRatio = value / slo.limitMillis();
          worst = slo;
          worstValue = value;
          worstSeconds = w.startSeconds();
        }
      }
    }
    if (worst == null) {
      throw new AutoscaleException("the rehearsal measured no request after its first minute");
    }
    return new Verification(
        target, worstRatio <= 1, worst, worstValue, worstSeconds, result.maxReplicas(), result);
  }

  private static double value(Window w, Slo slo) {
    return Slo.statisticOf(
        slo.metric().equals("time_to_first_token") ? w.timeToFirstToken() : w.interTokenLatency(),
        slo.statistic(),
        1e6);
  }

  /**
   * From half the knee of one replica to 75% of the knees of {@code maxReplicas} (at most 4)
   * replicas, in 30 s steps, growing by the plan's load growth, a share of the start a minute.
   */
  static LoadPlan risingLoad(double knee, PlanOptions options) {
    double growth =
        options.loadGrowthPerMinute() > 0
            ? options.loadGrowthPerMinute()
            : DEFAULT_GROWTH_PER_MINUTE;
    double start = Math.max(1, Math.round(knee / 2));
    // Three quarters of the fleet's knees: random routing loads some pods above the average, and
    // a load past what the largest fleet serves would fail any target.
    double end = Math.max(start + 1, 0.75 * knee * Math.min(4, options.maxReplicas()));
    List<LoadPlan.Phase> phases = new ArrayList<>();
    for (int k = 0; k < 240; k++) {
      double level = Math.round(start * (1 + growth * k / 2.0));
      phases.add(
          new LoadPlan.Phase(false, Math.min(level, Math.round(end)), Duration.ofSeconds(30)));
      if (level >= end) {
        break;
      }
    }
    // Then a while at the top, for the last replicas to start and serve.
    phases.add(new LoadPlan.Phase(false, Math.round(end), Duration.ofMinutes(3)));
    return new LoadPlan(phases);
  }
}
