package io.loadgen.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link AutoscalePlanner#plan} needs besides the sweep: the SLOs, the gauge, and the delays
 * and growth that set the target below the knee.
 *
 * <ul>
 *   <li>{@code loadGrowthPerMinute}: how fast the load on a replica may rise, as a fraction of the
 *       load per minute (0.2: 20% a minute), taken as linear over the reaction time. Per minute
 *       because traffic ramps are said so; 0 (the default) leaves only the HPA's tolerance below
 *       the knee.
 *   <li>{@code scrapeIntervalSeconds} (default 30): how stale the gauge may be when the HPA reads
 *       it: Prometheus's scrape interval (its ServiceMonitor's {@code interval}).
 *   <li>{@code hpaSyncPeriodSeconds} (default 15): the HPA controller's period, {@code
 *       --horizontal-pod-autoscaler-sync-period}.
 *   <li>{@code hpaTolerance} (default 0.1): the controller acts only when metric / target leaves 1
 *       ± this, {@code --horizontal-pod-autoscaler-tolerance}.
 *   <li>{@code replicaStartupSeconds}: from the HPA's decision to a new replica serving (pod
 *       scheduled, image pulled, model loaded, ready).
 * </ul>
 *
 * @param slos every objective the knee must meet, at least one
 * @param metric the server's KV-cache gauge, or null for the one the sweep read
 * @param deployment the Deployment the HPA scales, or null for a name made from the model
 */
public record PlanOptions(
    List<Slo> slos,
    String metric,
    double replicaStartupSeconds,
    double loadGrowthPerMinute,
    double scrapeIntervalSeconds,
    double hpaSyncPeriodSeconds,
    double hpaTolerance,
    int minReplicas,
    int maxReplicas,
    String deployment) {
  private static final Pattern GROWTH =
      Pattern.compile(
          "\\s*([0-9]*\\.?[0-9]+)\\s*(%?)\\s*(?:/\\s*(s|sec|second|m|min|minute))?\\s*");
  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /**
   * @throws AutoscaleException for no SLO, a negative time or growth, a tolerance not in [0, 1),
   *     replicas below 1 or a maximum below the minimum, a deployment name Kubernetes refuses
   */
  public PlanOptions {
    slos = List.copyOf(slos);
    if (slos.isEmpty()) {
      throw new AutoscaleException(
          "a plan needs at least one SLO, as --slo time_to_first_token:p99:500");
    }
    notNegative("the replica startup time", replicaStartupSeconds);
    notNegative("the load growth", loadGrowthPerMinute);
    notNegative("the scrape interval", scrapeIntervalSeconds);
    notNegative("the HPA sync period", hpaSyncPeriodSeconds);
    if (!(hpaTolerance >= 0 && hpaTolerance < 1)) {
      throw new AutoscaleException("the HPA tolerance must be 0 to 1, got " + hpaTolerance);
    }
    if (minReplicas < 1 || maxReplicas < minReplicas) {
      throw new AutoscaleException(
          "replicas must be at least 1 and the maximum at least the minimum, got min "
              + minReplicas
              + " max "
              + maxReplicas);
    }
    if (deployment != null
        && (deployment.length() > 253 || !DNS_NAME.matcher(deployment).matches())) {
      throw new AutoscaleException(
          "the deployment name '"
              + deployment
              + "' is not a Kubernetes name (lower-case letters, digits and '-')");
    }
  }

  private static void notNegative(String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new AutoscaleException(what + " must be a number, 0 or more, got " + value);
    }
  }

  /**
   * Parses a load growth, as a fraction per minute: {@code 20%/min}, {@code 0.5%/s}, {@code 20%}
   * (per minute) or {@code 0.2} (a fraction per minute).
   *
   * @throws AutoscaleException when it does not parse
   */
  public static double parseGrowthPerMinute(String text) {
    var m = GROWTH.matcher(text);
    if (!m.matches()) {
      throw new AutoscaleException(
          "a load growth is a share of the load a minute or a second, as 20%/min or 0.5%/s; got '"
              + text
              + "'");
    }
    double value = Double.parseDouble(m.group(1)) / (m.group(2).isEmpty() ? 1 : 100);
    String per = m.group(3);
    return per != null && per.startsWith("s") ? value * 60 : value;
  }

  /** Options with these SLOs and every other at its default. */
  public static Builder builder(List<Slo> slos) {
    return new Builder(slos);
  }

  /** From the HPA's view of a gauge's change to a new replica serving: the reaction time. */
  public double reactionSeconds() {
    return scrapeIntervalSeconds + hpaSyncPeriodSeconds + replicaStartupSeconds;
  }

  /** Builds {@link PlanOptions}; the defaults are those the record's Javadoc lists. */
  public static final class Builder {
    private final List<Slo> slos;
    private String metric;
    private double replicaStartupSeconds;
    private double loadGrowthPerMinute;
    private double scrapeIntervalSeconds = 30;
    private double hpaSyncPeriodSeconds = 15;
    private double hpaTolerance = 0.1;
    private int minReplicas = 1;
    private int maxReplicas = 10;
    private String deployment;

    private Builder(List<Slo> slos) {
      this.slos = new ArrayList<>(Objects.requireNonNull(slos));
    }

    public Builder metric(String metric) {
      this.metric = metric;
      return this;
    }

    public Builder replicaStartupSeconds(double seconds) {
      this.replicaStartupSeconds = seconds;
      return this;
    }

    public Builder loadGrowthPerMinute(double fraction) {
      this.loadGrowthPerMinute = fraction;
      return this;
    }

    public Builder scrapeIntervalSeconds(double seconds) {
      this.scrapeIntervalSeconds = seconds;
      return this;
    }

    public Builder hpaSyncPeriodSeconds(double seconds) {
      this.hpaSyncPeriodSeconds = seconds;
      return this;
    }

    public Builder hpaTolerance(double tolerance) {
      this.hpaTolerance = tolerance;
      return this;
    }

    public Builder minReplicas(int replicas) {
      this.minReplicas = replicas;
      return this;
    }

    public Builder maxReplicas(int replicas) {
      this.maxReplicas = replicas;
      return this;
    }

    public Builder deployment(String name) {
      this.deployment = name;
      return this;
    }

    /**
     * @throws AutoscaleException as the record's constructor
     */
    public PlanOptions build() {
      return new PlanOptions(
          slos,
          metric,
          replicaStartupSeconds,
          loadGrowthPerMinute,
          scrapeIntervalSeconds,
          hpaSyncPeriodSeconds,
          hpaTolerance,
          minReplicas,
          maxReplicas,
          deployment);
    }
  }
}
