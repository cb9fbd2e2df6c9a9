package io.loadgen.autoscale;

import io.loadgen.autoscale.AutoscalePlan.LevelCheck;
import io.loadgen.autoscale.AutoscalePlan.SloCheck;
import io.loadgen.autoscale.MeasuredSweep.Level;
import io.loadgen.autoscale.internal.Plans;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Makes an {@link AutoscalePlan} from a sweep of one replica: the knee (the highest load meeting
 * every SLO), then the HPA target below it. The arithmetic, as {@link AutoscalePlan#why()} prints
 * it:
 *
 * <pre>
 *   knee      = L_ok + (limit - v_ok) / (v_broke - v_ok) x (L_broke - L_ok)
 *               (the lowest such crossing over the SLOs the first failing level broke)
 *   reaction  = scrape interval + HPA sync period + replica startup          (seconds)
 *   trigger   = knee / (1 + growth per minute x reaction / 60)
 *   target    = usage(trigger) / (1 + HPA tolerance), rounded down to 0.001
 * </pre>
 *
 * A gauge crossing the target at the trigger load is seen by Prometheus within a scrape interval
 * and by the controller within a sync period; the replica it adds then takes its startup time. In
 * all that time the load grows linearly at the given rate, and must reach the knee no sooner than
 * the replica is ready. The controller acts only when metric / target exceeds 1 + tolerance, so the
 * target is that much below the usage at the trigger. usage(load) is the gauge's level averages
 * interpolated linearly, from (0, 0) below the first level; the sweep's fit (usage per request in
 * flight x requests in flight) is shown beside it as a check.
 */
public final class AutoscalePlanner {
  private AutoscalePlanner() {}

  /**
   * The plan for {@code sweep} under {@code options}.
   *
   * @throws AutoscaleException when the lowest level already breaks an SLO, an SLO names a metric
   *     the sweep did not measure, the gauge is TGI's (which has no KV-cache gauge), or the target
   *     rounds to 0
   */
  public static AutoscalePlan plan(MeasuredSweep sweep, PlanOptions options) {
    List<Level> levels = sweep.levels();
    List<LevelCheck> checks = new ArrayList<>();
    for (Level level : levels) {
      List<SloCheck> sloChecks = new ArrayList<>();
      for (Slo slo : options.slos()) {
        double value = sweep.metric(level, slo.metric(), slo.statistic());
        sloChecks.add(new SloCheck(slo, value, slo.metBy(value)));
      }
      checks.add(new LevelCheck(level.label(), level.load(), level.kvUsageAvg(), sloChecks));
    }
    List<String> why = new ArrayList<>();
    java.util.function.DoubleFunction<String> load =
        v ->
            sweep.loadKind() == MeasuredSweep.LoadKind.CONCURRENCY
                ? "concurrency " + Plans.number(v)
                : Plans.number(v) + " requests/s";
    int broke = -1;
    for (int i = 0; i < checks.size() && broke < 0; i++) {
      if (!checks.get(i).met()) {
        broke = i;
      }
    }
    if (broke == 0) {
      SloCheck first = firstBroken(checks.get(0));
      throw new AutoscaleException(
          String.format(
              Locale.ROOT,
              "the lowest level, %s, already breaks %s (%s ms): sweep lower levels to find the knee",
              checks.get(0).label(),
              first.slo(),
              Plans.number(first.value())));
    }
    double knee;
    String brokenLevel = null;
    Slo brokenSlo = null;
    if (broke < 0) {
      LevelCheck last = checks.get(checks.size() - 1);
      knee = last.load();
      why.add(
          String.format(
              Locale.ROOT,
              "Knee: every level met every SLO; the knee is at least the highest, %s per replica "
                  + "(sweep higher levels to find it).",
              load.apply(knee)));
    } else {
      LevelCheck ok = checks.get(broke - 1);
      LevelCheck bad = checks.get(broke);
      knee = Double.POSITIVE_INFINITY;
      String kneeWhy = null;
      for (int s = 0; s < options.slos().size(); s++) {
        SloCheck okCheck = ok.checks().get(s);
        SloCheck badCheck = bad.checks().get(s);
        if (badCheck.met()) {
          continue;
        }
        Slo slo = badCheck.slo();
        double crossing;
        String line;
        if (Double.isNaN(badCheck.value())) {
          crossing = ok.load();
          line =
              String.format(
                  Locale.ROOT,
                  "Knee: %s per replica: %s measured no %s, so the knee is the last level that met it.",
                  load.apply(crossing),
                  bad.label(),
                  slo.metric());
        } else {
          double fraction =
              (slo.limitMillis() - okCheck.value()) / (badCheck.value() - okCheck.value());
          crossing = ok.load() + fraction * (bad.load() - ok.load());
          line =
              String.format(
                  Locale.ROOT,
                  "Knee: %s per replica, where %s %s crosses %s ms between %s (%s ms) and %s (%s ms): "
                      + "%s + (%s - %s) / (%s - %s) x (%s - %s) = %s",
                  load.apply(crossing),
                  slo.metric(),
                  slo.statistic(),
                  Plans.number(slo.limitMillis()),
                  ok.label(),
                  Plans.number(okCheck.value()),
                  bad.label(),
                  Plans.number(badCheck.value()),
                  Plans.number(ok.load()),
                  Plans.number(slo.limitMillis()),
                  Plans.number(okCheck.value()),
                  Plans.number(badCheck.value()),
                  Plans.number(okCheck.value()),
                  Plans.number(bad.load()),
                  Plans.number(ok.load()),
                  Plans.number(crossing));
        }
        if (crossing < knee) {
          knee = crossing;
          brokenSlo = slo;
          kneeWhy = line;
        }
      }
      brokenLevel = bad.label();
      why.add(kneeWhy);
    }
    ToDoubleFunction<Level> inFlightOf =
        l ->
            Double.isNaN(l.inFlight()) && sweep.loadKind() == MeasuredSweep.LoadKind.CONCURRENCY
                ? l.load()
                : l.inFlight();
    double kneeInFlight = interpolate(levels, knee, inFlightOf);
    double kneeMeasured = interpolate(levels, knee, Level::kvUsageAvg);
    double kneeFit = sweep.kvUsagePerRequestInFlight() * kneeInFlight;
    why.add(
        String.format(
            Locale.ROOT,
            "KV-cache usage at the knee: %s measured (the levels' averages, interpolated); %s by "
                + "the sweep's fit (%s per request in flight x %s in flight).",
            Plans.usage(kneeMeasured),
            Plans.usage(kneeFit),
            Plans.number(sweep.kvUsagePerRequestInFlight()),
            Plans.number(kneeInFlight)));
    double reaction = options.reactionSeconds();
    why.add(
        String.format(
            Locale.ROOT,
            "Reaction time: scrape interval %s s + HPA sync period %s s + replica startup %s s = %s s.",
            Plans.number(options.scrapeIntervalSeconds()),
            Plans.number(options.hpaSyncPeriodSeconds()),
            Plans.number(options.replicaStartupSeconds()),
            Plans.number(reaction)));
    double growth = options.loadGrowthPerMinute() * reaction / 60;
    double trigger = knee / (1 + growth);
    why.add(
        String.format(
            Locale.ROOT,
            "Load growth %s%%/min: in %s s the load grows by %s x %s / 60 = %s%%, so a replica must "
                + "ask for help at %s / %s: %s per replica.",
            Plans.number(options.loadGrowthPerMinute() * 100),
            Plans.number(reaction),
            Plans.number(options.loadGrowthPerMinute()),
            Plans.number(reaction),
            Plans.number(growth * 100),
            Plans.number(knee),
            Plans.number(1 + growth),
            load.apply(trigger)));
    double triggerUsage = interpolate(levels, trigger, Level::kvUsageAvg);
    double raw = triggerUsage / (1 + options.hpaTolerance());
    double target = Math.floor(raw * 1000 + 1e-9) / 1000;
    why.add(
        String.format(
            Locale.ROOT,
            "Target: the usage there (interpolated), %s, over 1 + the HPA's tolerance %s, as the "
                + "HPA acts only above target x %s: %s / %s = %s, averageValue %dm (rounded down).",
            Plans.number(triggerUsage),
            Plans.number(options.hpaTolerance()),
            Plans.number(1 + options.hpaTolerance()),
            Plans.number(triggerUsage),
            Plans.number(1 + options.hpaTolerance()),
            Plans.number(raw),
            Math.round(target * 1000)));
    if (!(target > 0)) {
      throw new AutoscaleException(
          String.format(
              Locale.ROOT,
              "the target rounds to 0m (usage %s at %s): the gauge barely moves at these loads; "
                  + "sweep higher levels or give a slower --load-growth",
              Plans.usage(triggerUsage),
              load.apply(trigger)));
    }
    String kvMetric = options.metric() != null ? options.metric() : sweep.kvMetric();
    return new AutoscalePlan(
        sweep.loadKind(),
        options.slos(),
        checks,
        knee,
        broke > 0,
        brokenLevel,
        brokenSlo,
        kneeInFlight,
        kneeMeasured,
        kneeFit,
        reaction,
        options.loadGrowthPerMinute(),
        trigger,
        triggerUsage,
        options.hpaTolerance(),
        target,
        kvMetric,
        Plans.servedName(kvMetric),
        options.minReplicas(),
        options.maxReplicas(),
        options.deployment() != null ? options.deployment() : Plans.deploymentName(sweep.model()),
        why);
  }

  private static SloCheck firstBroken(LevelCheck level) {
    return level.checks().stream().filter(c -> !c.met()).findFirst().orElseThrow();
  }

  /**
   * {@code y} at {@code load}, linear between the levels and from (0, 0) to the first; levels
   * without a {@code y} are skipped.
   */
  static double interpolate(List<Level> levels, double load, ToDoubleFunction<Level> y) {
    double x0 = 0;
    double y0 = 0;
    for (Level level : levels) {
      double y1 = y.applyAsDouble(level);
      if (Double.isNaN(y1)) {
        continue;
      }
      double x1 = level.load();
      if (load <= x1) {
        return x1 == x0 ? y1 : y0 + (load - x0) / (x1 - x0) * (y1 - y0);
      }
      x0 = x1;
      y0 = y1;
    }
    return y0; // at or past the last level: the knee is never past it
  }
}
