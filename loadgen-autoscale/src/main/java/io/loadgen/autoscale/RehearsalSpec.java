package io.loadgen.autoscale;

import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimPreset;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.Objects;

/**
 * What a rehearsal models: replicas of one simulated engine behind a Service, Prometheus scraping
 * each pod's KV-cache gauge, and a Horizontal Pod Autoscaler on it, under a load plan. Immutable;
 * built with {@link #builder()}.
 *
 * @param engine each replica's engine: a preset's, or one calibrated to a measured server
 * @param metric the gauge the HPA reads, as the prometheus-adapter serves it (for the timeline)
 * @param target the HPA's {@code averageValue} for the 0..1 gauge: 0.1 is {@code 100m}
 * @param replicaStartupSeconds from a scale-up to the new pod being ready and in the Service
 * @param scrapeIntervalSeconds Prometheus's interval for each pod
 * @param syncPeriodSeconds the HPA controller's loop ({@code
 *     --horizontal-pod-autoscaler-sync-period})
 * @param tolerance no change while the ratio of metric to target is within this of 1
 */
public record RehearsalSpec(
    EngineSpec engine,
    String metric,
    double target,
    int minReplicas,
    int maxReplicas,
    double replicaStartupSeconds,
    double scrapeIntervalSeconds,
    double syncPeriodSeconds,
    double tolerance,
    ScalingBehavior behavior,
    LoadPlan plan,
    TokenLengthDistribution inputTokens,
    TokenLengthDistribution outputTokens,
    long seed) {
  public RehearsalSpec {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(behavior, "behavior");
    if (!(target > 0) || target > 1) {
      throw new AutoscaleException(
          "the target must be above 0 and at most 1 (1000m) of the 0..1 gauge, got " + target);
    }
    if (minReplicas < 1 || maxReplicas < minReplicas || maxReplicas > 1000) {
      throw new AutoscaleException(
          "replicas must be 1 <= min <= max <= 1000, got min "
              + minReplicas
              + " and max "
              + maxReplicas);
    }
    if (!(replicaStartupSeconds >= 0) || !(scrapeIntervalSeconds > 0) || !(syncPeriodSeconds > 0)) {
      throw new AutoscaleException(
          "the replica startup must be 0 or more seconds, the scrape interval and sync period"
              + " above 0");
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new AutoscaleException("the tolerance must be 0 to 1, got " + tolerance);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Fills a {@link RehearsalSpec}; defaults are the Kubernetes ones and NIM's gauge. */
  public static final class Builder {
    private EngineSpec engine = SimPreset.named("llama3-8b-h100").orElseThrow().engine();
    private String metric = "gpu_cache_usage_perc";
    private double target = 0.1;
    private int minReplicas = 1;
    private int maxReplicas = 10;
    private double replicaStartupSeconds = 60;
    private double scrapeIntervalSeconds = 15;
    private double syncPeriodSeconds = 15;
    private double tolerance = 0.1;
    private ScalingBehavior behavior = ScalingBehavior.defaults();
    private LoadPlan plan = LoadPlan.parse("10@5m,100@5m,200@10m,10@10m");
    private TokenLengthDistribution inputTokens = new TokenLengthDistribution(200, 0);
    private TokenLengthDistribution outputTokens = new TokenLengthDistribution(200, 0);
    private long seed;

    private Builder() {}

    private Builder(RehearsalSpec s) {
      engine = s.engine;
      metric = s.metric;
      target = s.target;
      minReplicas = s.minReplicas;
      maxReplicas = s.maxReplicas;
      replicaStartupSeconds = s.replicaStartupSeconds;
      scrapeIntervalSeconds = s.scrapeIntervalSeconds;
      syncPeriodSeconds = s.syncPeriodSeconds;
      tolerance = s.tolerance;
      behavior = s.behavior;
      plan = s.plan;
      inputTokens = s.inputTokens;
      outputTokens = s.outputTokens;
      seed = s.seed;
    }

    /** A preset's engine, for each replica. */
    public Builder preset(SimPreset preset) {
      return engine(preset.engine());
    }

    /** Each replica's engine: the seam for one calibrated to a measured server. */
    public Builder engine(EngineSpec spec) {
      this.engine = Objects.requireNonNull(spec);
      return this;
    }

    public Builder metric(String name) {
      this.metric = Objects.requireNonNull(name);
      return this;
    }

    /** The HPA's averageValue for the 0..1 gauge: 0.1 is {@code 100m}. */
    public Builder target(double value) {
      this.target = value;
      return this;
    }

    public Builder replicas(int min, int max) {
      this.minReplicas = min;
      this.maxReplicas = max;
      return this;
    }

    public Builder replicaStartupSeconds(double seconds) {
      this.replicaStartupSeconds = seconds;
      return this;
    }

    public Builder scrapeIntervalSeconds(double seconds) {
      this.scrapeIntervalSeconds = seconds;
      return this;
    }

    public Builder syncPeriodSeconds(double seconds) {
      this.syncPeriodSeconds = seconds;
      return this;
    }

    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder behavior(ScalingBehavior behavior) {
      this.behavior = Objects.requireNonNull(behavior);
      return this;
    }

    public Builder plan(LoadPlan plan) {
      this.plan = Objects.requireNonNull(plan);
      return this;
    }

    public Builder inputTokens(TokenLengthDistribution lengths) {
      this.inputTokens = Objects.requireNonNull(lengths);
      return this;
    }

    public Builder outputTokens(TokenLengthDistribution lengths) {
      this.outputTokens = Objects.requireNonNull(lengths);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws AutoscaleException for a setting out of range
     */
    public RehearsalSpec build() {
      return new RehearsalSpec(
          engine,
          metric,
          target,
          minReplicas,
          maxReplicas,
          replicaStartupSeconds,
          scrapeIntervalSeconds,
          syncPeriodSeconds,
          tolerance,
          behavior,
          plan,
          inputTokens,
          outputTokens,
          seed);
    }
  }
}
