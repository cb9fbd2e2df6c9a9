package io.loadgen.cli;

import io.loadgen.autoscale.AutoscaleException;
import io.loadgen.autoscale.AutoscalePlan;
import io.loadgen.autoscale.AutoscalePlanner;
import io.loadgen.autoscale.MeasuredSweep;
import io.loadgen.autoscale.PlanCheck;
import io.loadgen.autoscale.PlanOptions;
import io.loadgen.autoscale.Slo;
import io.loadgen.autoscale.SweepCalibration;
import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimPreset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadgen autoscale plan}: an HPA target on the KV-cache gauge from a sweep of one replica.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "From a sweep of one replica (profile --concurrency 100,200,300,400): the highest load per",
      "replica that meets every SLO (the knee), the KV-cache usage there, and the HPA target below it",
      "that leaves a new replica time to start before the load reaches the knee; written as",
      "autoscale_plan.json, hpa.yaml (autoscaling/v2) and prometheus-adapter-rule.yaml."
    })
final class AutoscalePlanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SWEEP_DIR",
      description = "The sweep's artifact directory (the one holding sweep_summary.json).")
  Path from;

  @Option(
      names = "--slo",
      required = true,
      paramLabel = "METRIC:STAT:MS",
      description =
          "An objective, repeatable: time_to_first_token:p99:500, inter_token_latency:p99:40 "
              + "(metric as the exports name it; avg, max or p1 to p99.99; ms).")
  List<String> slos;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      description = "The server's KV-cache gauge (default: the one the sweep read).")
  String metric;

  @Option(
      names = "--replica-startup",
      required = true,
      paramLabel = "SECONDS",
      description = "From the HPA's decision to a new replica serving (model load included).")
  double replicaStartupSeconds;

  @Option(
      names = "--load-growth",
      paramLabel = "RATE",
      defaultValue = "0",
      description =
          "How fast the load per replica may rise: 20%%/min, 0.5%%/s, or a fraction a minute "
              + "(default: ${DEFAULT-VALUE}).")
  String loadGrowth;

  @Option(
      names = "--scrape-interval",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Prometheus's scrape interval of the pods (default: ${DEFAULT-VALUE}).")
  double scrapeIntervalSeconds;

  @Option(
      names = "--hpa-sync-period",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "The HPA controller's sync period (default: ${DEFAULT-VALUE}).")
  double hpaSyncPeriodSeconds;

  @Option(
      names = "--min-replicas",
      paramLabel = "N",
      defaultValue = "1",
      description = "The HPA's minReplicas (default: ${DEFAULT-VALUE}).")
  int minReplicas;

  @Option(
      names = "--max-replicas",
      paramLabel = "N",
      defaultValue = "10",
      description = "The HPA's maxReplicas (default: ${DEFAULT-VALUE}).")
  int maxReplicas;

  @Option(
      names = "--deployment",
      paramLabel = "NAME",
      description = "The Deployment the HPA scales (default: from the sweep's model name).")
  String deployment;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Folder for the plan's files (default: the sweep's directory).")
  Path output;

  @Option(
      names = "--verify",
      description = {
        "Rehearse the planned target on replicas fitted to the sweep, under a load rising at",
        "--load-growth, and say whether the TTFT and ITL SLOs held while replicas started."
      })
  boolean verify;

  @Option(
      names = "--search",
      description = "Rehearse targets to find the highest that holds every TTFT and ITL SLO.")
  boolean search;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "llama3-8b-h100",
      description =
          "The simulated engine fitted to the sweep for --verify and --search (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show stack traces with errors.")
  boolean verbose;

  @Override
  public Integer call() {
    List<Slo> parsed = slos.stream().map(Slo::parse).toList();
    PlanOptions options =
        PlanOptions.builder(parsed)
            .metric(metric)
            .replicaStartupSeconds(replicaStartupSeconds)
            .loadGrowthPerMinute(PlanOptions.parseGrowthPerMinute(loadGrowth))
            .scrapeIntervalSeconds(scrapeIntervalSeconds)
            .hpaSyncPeriodSeconds(hpaSyncPeriodSeconds)
            .minReplicas(minReplicas)
            .maxReplicas(maxReplicas)
            .deployment(deployment)
            .build();
    MeasuredSweep sweep = MeasuredSweep.read(from);
    AutoscalePlan plan = AutoscalePlanner.plan(sweep, options);
    PrintWriter out = spec.commandLine().getOut();
    out.print(plan.render());
    if (verify || search) {
      SimPreset base =
          SimPreset.named(preset)
              .orElseThrow(
                  () ->
                      new AutoscaleException(
                          "--preset '" + preset + "' is unknown: use one of " + SimPreset.names()));
      EngineSpec engine = SweepCalibration.fit(sweep, base).preset().engine();
      if (verify) {
        out.println(PlanCheck.verify(plan, sweep, engine, options).describe());
      }
      if (search) {
        PlanCheck.Verification best = PlanCheck.search(plan, sweep, engine, options);
        out.println(
            best == null
                ? "search: no target from 1m holds the SLOs under this load"
                : "search: the highest target that holds: "
                    + Math.round(best.target() * 1000)
                    + "m ("
                    + best.describe()
                    + ")");
      }
    }
    Path dir = output != null ? output : from;
    plan.write(dir);
    out.println(
        "Wrote autoscale_plan.json, hpa.yaml and prometheus-adapter-rule.yaml to "
            + dir.toAbsolutePath().normalize());
    out.flush();
    return 0;
  }
}
