package io.loadgen.cli;

import io.loadgen.autoscale.AutoscaleException;
import io.loadgen.autoscale.KvCalibration;
import io.loadgen.autoscale.LoadPlan;
import io.loadgen.autoscale.MeasuredSweep;
import io.loadgen.autoscale.Rehearsal;
import io.loadgen.autoscale.RehearsalResult;
import io.loadgen.autoscale.RehearsalSpec;
import io.loadgen.autoscale.ScalingBehavior;
import io.loadgen.autoscale.SweepCalibration;
import io.loadgen.autoscale.Window;
import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimPreset;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen autoscale rehearse}: an HPA on simulated replicas under a load plan. */
@Command(
    name = "rehearse",
    mixinStandardHelpOptions = true,
    versionProvider = LoadgenCommand.Version.class,
    sortOptions = false,
    description = {
      "Rehearse a Horizontal Pod Autoscaler in simulated time: replicas of a simulated engine behind",
      "a Service, Prometheus scraping their KV-cache gauge, and the HPA controller as Kubernetes",
      "defines it, under a load plan. Prints the timeline as kubectl get hpa -w does and writes",
      "rehearsal.json and rehearsal.csv; a 30-minute plan runs in seconds."
    })
final class RehearseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "llama3-8b-h100",
      description = "Each replica's simulated engine (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--from",
      paramLabel = "SWEEP_DIR",
      description = "Fit the replicas to a sweep of one real replica (KV cache, ITL, prefill).")
  Path from;

  @Option(
      names = "--calibrate-kv",
      paramLabel = "C:U,...",
      description =
          "Fit the KV cache to measured points, concurrency:usage at the plan's lengths, e.g."
              + " 100:0.094,200:0.208,400:0.409.")
  String calibrateKv;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      defaultValue = "gpu_cache_usage_perc",
      description = "The gauge the HPA reads (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(
      names = "--target",
      paramLabel = "VALUE",
      defaultValue = "100m",
      description = "The HPA's averageValue: 100m or 0.1 (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--min-replicas",
      paramLabel = "N",
      defaultValue = "1",
      description = "(default: ${DEFAULT-VALUE})")
  int minReplicas;

  @Option(
      names = "--max-replicas",
      paramLabel = "N",
      defaultValue = "10",
      description = "(default: ${DEFAULT-VALUE})")
  int maxReplicas;

  @Option(
      names = "--replica-startup",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "From scale-up to the new pod serving (default: ${DEFAULT-VALUE}).")
  double replicaStartup;

  @Option(
      names = "--scrape-interval",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "Prometheus's interval (default: ${DEFAULT-VALUE}).")
  double scrapeInterval;

  @Option(
      names = "--scale-down-stabilization",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description = "The HPA's scale-down window (default: ${DEFAULT-VALUE}).")
  int scaleDownStabilization;

  @Option(
      names = "--plan",
      paramLabel = "LEVEL@DURATION,...",
      defaultValue = "10@5m,100@5m,200@10m,10@10m",
      description =
          "Concurrency (or rate:R requests/s) and how long: 10@5m,100@5m,200@10m,10@10m"
              + " (default).")
  String plan;

  @Option(
      names = "--synthetic-input-tokens-mean",
      paramLabel = "N",
      defaultValue = "200",
      description = "(default: ${DEFAULT-VALUE})")
  double inputMean;

  @Option(
      names = "--synthetic-input-tokens-stddev",
      paramLabel = "N",
      defaultValue = "0",
      description = "(default: ${DEFAULT-VALUE})")
  double inputStddev;

  @Option(
      names = "--output-tokens-mean",
      paramLabel = "N",
      defaultValue = "200",
      description = "(default: ${DEFAULT-VALUE})")
  double outputMean;

  @Option(
      names = "--output-tokens-stddev",
      paramLabel = "N",
      defaultValue = "20",
      description = "(default: ${DEFAULT-VALUE})")
  double outputStddev;

  @Option(
      names = "--random-seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "(default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--artifact-dir",
      paramLabel = "DIR",
      defaultValue = "artifacts/rehearsal",
      description = "Where rehearsal.json and rehearsal.csv go (default: ${DEFAULT-VALUE}).")
  Path artifactDir;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show stack traces with errors.")
  boolean verbose;

  @Override
  public Integer call() {
    SimPreset base =
        SimPreset.named(preset)
            .orElseThrow(
                () ->
                    new AutoscaleException(
                        "--preset '" + preset + "' is unknown: use one of " + SimPreset.names()));
    TokenLengthDistribution input = lengths("--synthetic-input-tokens", inputMean, inputStddev);
    TokenLengthDistribution output = lengths("--output-tokens", outputMean, outputStddev);
    PrintWriter out = spec.commandLine().getOut();
    EngineSpec engine = base.engine();
    if (from != null) {
      SweepCalibration fit = SweepCalibration.fit(MeasuredSweep.read(from), base);
      out.print(fit.report());
      engine = fit.preset().engine();
    }
    if (calibrateKv != null) {
      KvCalibration fit =
          KvCalibration.fit(engine, KvCalibration.parsePoints(calibrateKv), input, output, seed);
      out.print(fit.report());
      engine = fit.engine();
    }
    RehearsalSpec rehearsal =
        RehearsalSpec.builder()
            .engine(engine)
            .metric(metric)
            .target(parseTarget(target))
            .replicas(minReplicas, maxReplicas)
            .replicaStartupSeconds(replicaStartup)
            .scrapeIntervalSeconds(scrapeInterval)
            .behavior(ScalingBehavior.defaults().withScaleDownStabilization(scaleDownStabilization))
            .plan(LoadPlan.parse(plan))
            .inputTokens(input)
            .outputTokens(output)
            .seed(seed)
            .build();
    RehearsalResult result = Rehearsal.run(rehearsal);
    out.print(result.kubectlWatch());
    double worstTtft = Double.NaN;
    double worstItl = Double.NaN;
    for (Window w : result.windows()) {
      worstTtft = max(worstTtft, w.timeToFirstTokenMillis(99));
      worstItl = max(worstItl, w.interTokenLatencyMillis(99));
    }
    out.printf(
        Locale.ROOT,
        "Rehearsed %s of %s: up to %d replicas; the worst 15 s window's TTFT p99 %.1f ms, ITL p99"
            + " %.2f ms.%n",
        rehearsal.plan(),
        rehearsal.plan().duration(),
        result.maxReplicas(),
        worstTtft,
        worstItl);
    result.write(artifactDir);
    out.println(
        "Wrote "
            + RehearsalResult.JSON_FILE
            + ", "
            + RehearsalResult.CSV_FILE
            + " and report.html to "
            + artifactDir.toAbsolutePath().normalize());
    out.flush();
    return 0;
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  /** {@code 100m} or {@code 0.1}: a 0..1 gauge's target, as the HPA shows it or as a fraction. */
  static double parseTarget(String text) {
    try {
      double value =
          text.endsWith("m")
              ? Double.parseDouble(text.substring(0, text.length() - 1)) / 1000
              : Double.parseDouble(text);
      if (value > 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new AutoscaleException(
        "--target must be a 0..1 gauge's value as the HPA shows it (100m) or a fraction (0.1),"
            + " above 0 and at most 1000m, got '"
            + text
            + "'");
  }

  private static TokenLengthDistribution lengths(String flag, double mean, double stddev) {
    if (!(mean >= 1) || !(stddev >= 0)) {
      throw new AutoscaleException(
          flag + "-mean must be at least 1 and " + flag + "-stddev 0 or more tokens");
    }
    return new TokenLengthDistribution(mean, stddev);
  }
}
