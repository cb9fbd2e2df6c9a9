package io.loadgen.autoscale;

import io.loadgen.autoscale.internal.PlanFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A recommended Horizontal Pod Autoscaler target on a replica's KV-cache gauge, with how it was
 * reached: {@link AutoscalePlanner#plan} makes one from a sweep of one replica.
 *
 * <p>The <em>knee</em> is the highest load per replica at which every SLO held: linear between the
 * last level that met them all and the first that broke one ({@link #brokenLevel()}, {@link
 * #brokenSlo()}); the highest level when none broke ({@link #kneeBounded()} false: the knee is at
 * least there). The <em>target</em> is the gauge's value at the load where the HPA must add a
 * replica so that it is ready before the load grows to the knee, divided by 1 + the HPA's
 * tolerance, since the controller acts only when the metric passes the target by more than that.
 * {@link #why()} is that arithmetic, line by line, as printed.
 *
 * @param loadKind what the sweep's levels vary
 * @param slos the objectives
 * @param levels each level's figures for each SLO
 * @param kneeLoad the knee, in concurrency or requests/s per replica
 * @param kneeBounded true when a level broke an SLO, so that the knee lies below it
 * @param brokenLevel the first level that broke an SLO, or null
 * @param brokenSlo the SLO it broke that sets the knee (the lowest crossing), or null
 * @param kneeInFlight requests in flight at the knee (the levels' client in-flight, interpolated)
 * @param kneeKvUsageMeasured the gauge (0..1) at the knee, interpolated between levels' averages
 * @param kneeKvUsageFit the gauge at the knee by the sweep's fit: usage per request in flight x
 *     {@code kneeInFlight}; NaN without a fit
 * @param reactionSeconds scrape interval + HPA sync period + replica startup
 * @param loadGrowthPerMinute the load's growth, a fraction per minute
 * @param triggerLoad the load at which a new replica must be asked for: knee / (1 + growth x
 *     reaction time)
 * @param triggerKvUsage the gauge at {@code triggerLoad}, interpolated between levels
 * @param hpaTolerance the HPA's tolerance
 * @param target the recommended {@code averageValue}, 0..1: {@code triggerKvUsage} / (1 +
 *     tolerance), rounded down to the HPA's milli-units
 * @param kvMetric the server's gauge, as it writes it: {@code vllm:kv_cache_usage_perc}
 * @param servedMetric the name prometheus-adapter serves it under: {@code vllm_kv_cache_usage_perc}
 * @param minReplicas the HPA's minimum
 * @param maxReplicas the HPA's maximum
 * @param deployment the Deployment it scales
 * @param why the arithmetic, one line each
 */
public record AutoscalePlan(
    MeasuredSweep.LoadKind loadKind,
    List<Slo> slos,
    List<LevelCheck> levels,
    double kneeLoad,
    boolean kneeBounded,
    String brokenLevel,
    Slo brokenSlo,
    double kneeInFlight,
    double kneeKvUsageMeasured,
    double kneeKvUsageFit,
    double reactionSeconds,
    double loadGrowthPerMinute,
    double triggerLoad,
    double triggerKvUsage,
    double hpaTolerance,
    double target,
    String kvMetric,
    String servedMetric,
    int minReplicas,
    int maxReplicas,
    String deployment,
    List<String> why) {

  public AutoscalePlan {
    slos = List.copyOf(slos);
    levels = List.copyOf(levels);
    why = List.copyOf(why);
  }

  /** One level, each SLO's statistic there, and whether it held. */
  public record LevelCheck(String label, double load, double kvUsageAvg, List<SloCheck> checks) {
    public LevelCheck {
      checks = List.copyOf(checks);
    }

    /** Whether every SLO held at this level. */
    public boolean met() {
      return checks.stream().allMatch(SloCheck::met);
    }
  }

  /** One SLO's statistic at one level, in ms. */
  public record SloCheck(Slo slo, double value, boolean met) {}

  /** The target in milli-units, as the HPA writes it for a 0..1 gauge: 0.1 is 100. */
  public long targetMilli() {
    return Math.round(target * 1000);
  }

  /** The target as {@code averageValue} takes it: {@code 100m}. */
  public String averageValue() {
    return targetMilli() + "m";
  }

  /** The console text: the levels against the SLOs, the knee, the target and why. */
  public String render() {
    return PlanFiles.render(this);
  }

  /**
   * Writes {@code autoscale_plan.json}, {@code hpa.yaml} and {@code prometheus-adapter-rule.yaml}
   * into {@code directory} (made if missing) and returns their paths.
   *
   * @throws AutoscaleException when a file cannot be written
   */
  public List<Path> write(Path directory) {
    return PlanFiles.write(this, directory);
  }

  /** The {@code autoscaling/v2} HorizontalPodAutoscaler, as {@code hpa.yaml} holds it. */
  public String hpaYaml() {
    return PlanFiles.hpaYaml(this);
  }

  /** The prometheus-adapter rule serving the gauge, as {@code prometheus-adapter-rule.yaml}. */
  public String adapterRuleYaml() {
    return PlanFiles.adapterRuleYaml(this);
  }

  /** The plan as {@code autoscale_plan.json} holds it. */
  public String json() {
    return PlanFiles.json(this);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "AutoscalePlan[knee %s %.2f, target %s on %s]",
        loadKind.key(),
        kneeLoad,
        averageValue(),
        servedMetric);
  }
}
