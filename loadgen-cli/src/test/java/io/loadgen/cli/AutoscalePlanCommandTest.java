package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.loadgen.autoscale.MeasuredSweep;
import io.loadgen.autoscale.SweepCalibration;
import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimPreset;
import io.loadgen.sim.SimServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoscale plan} and the simulator's calibration against a real sweep: three levels run by
 * the CLI against a simulated server whose engine numbers are known (a 5 ms step, 250 us a
 * sequence, 10 us a prompt token, 4,000 KV blocks), so that the ITL rises with the load and an SLO
 * on it breaks between two levels.
 */
@Tag("e2e")
class AutoscalePlanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long KV_BLOCKS = 4000;
  private static final double STEP_MILLIS = 5;
  private static final double MICROS_PER_SEQUENCE = 250;
  private static final double PREFILL_MICROS = 10;

  @TempDir static Path sweep;
  private static SimServer server;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void sweepASimulatedReplicaOfKnownEngine() {
    server =
        SimServer.start(
            SimConfig.preset("default")
                .overrides(
                    new SimOverrides(
                        null,
                        null,
                        null,
                        null,
                        KV_BLOCKS,
                        null,
                        null,
                        PREFILL_MICROS,
                        STEP_MILLIS,
                        MICROS_PER_SEQUENCE,
                        null,
                        null))
                .host("127.0.0.1")
                .port(0)
                .build());
    Run profile =
        run(
            "profile",
            "-m",
            "meta/llama3-8b-instruct",
            "--endpoint-type",
            "chat",
            "--streaming",
            "-u",
            "127.0.0.1:" + server.port(),
            "--synthetic-input-tokens-mean",
            "100",
            "--output-tokens-mean",
            "50",
            "--extra-inputs",
            "max_tokens:50",
            "--extra-inputs",
            "min_tokens:50",
            "--extra-inputs",
            "ignore_eos:true",
            "--concurrency",
            "4,16,32",
            "--request-count",
            "64",
            "--server-metrics-interval",
            "0.05",
            "--artifact-dir",
            sweep.toString());
    assertEquals(0, profile.exitCode(), profile.err());
  }

  @Test
  void theSweepSummaryNamesEachLevelsRunDirectory() throws IOException {
    JsonNode levels = JSON.readTree(sweep.resolve("sweep_summary.json").toFile()).path("levels");
    assertEquals(
        "meta_llama3-8b-instruct-openai-chat-concurrency4",
        levels.get(0).path("directory").asText());
    assertEquals(
        sweep.resolve("meta_llama3-8b-instruct-openai-chat-concurrency32"),
        MeasuredSweep.read(sweep).levels().get(2).directory());
  }

  @AfterAll
  static void stopTheServer() {
    server.close();
  }

  @Test
  void plansAnHpaWhoseKneeLiesBetweenTheLevelsAnSloBrokeBetweenAndThatFabric8Reads()
      throws IOException {
    // ITL p50 is about 5 + 0.25 x n ms: 6 at 4, 9 at 16, 13 at 32; 11 ms breaks between 16 and 32.
    Path out = sweep.resolve("plan");
    Run plan =
        run(
            "autoscale",
            "plan",
            "--from",
            sweep.toString(),
            "--slo",
            "inter_token_latency:p50:11",
            "--slo",
            "time_to_first_token:p99:5000",
            "--replica-startup",
            "60",
            "--load-growth",
            "20%/min",
            "--max-replicas",
            "4",
            "--deployment",
            "llama",
            "-o",
            out.toString());
    assertEquals(0, plan.exitCode(), plan.err());
    assertTrue(plan.out().contains("BROKEN"), plan.out());
    assertTrue(plan.out().contains("Reaction time: scrape interval 30 s"), plan.out());
    JsonNode json = JSON.readTree(out.resolve("autoscale_plan.json").toFile());
    double knee = json.at("/knee/load_per_replica").asDouble();
    assertTrue(knee > 16 && knee < 32, json.toString());
    assertEquals("concurrency 32", json.at("/knee/broken_level").asText());
    assertEquals("inter_token_latency:p50:11", json.at("/knee/broken_slo").asText());
    // 30 + 15 + 60 s at 20%/min: the load grows by 35% before a new replica serves.
    assertEquals(knee / 1.35, json.at("/target/trigger_load_per_replica").asDouble(), 1e-9);
    double target = json.at("/target/value").asDouble();
    assertTrue(target > 0 && target < 0.1, json.toString());

    HorizontalPodAutoscaler hpa =
        new KubernetesSerialization()
            .unmarshal(Files.readString(out.resolve("hpa.yaml")), HorizontalPodAutoscaler.class);
    assertEquals("autoscaling/v2", hpa.getApiVersion());
    assertEquals("llama", hpa.getSpec().getScaleTargetRef().getName());
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(1, hpa.getSpec().getMinReplicas());
    assertEquals(4, hpa.getSpec().getMaxReplicas());
    MetricSpec metric = hpa.getSpec().getMetrics().get(0);
    assertEquals("Pods", metric.getType());
    // The simulator writes vLLM's gauge first, which the adapter serves without the colon.
    assertEquals("vllm_kv_cache_usage_perc", metric.getPods().getMetric().getName());
    assertEquals("AverageValue", metric.getPods().getTarget().getType());
    assertEquals(
        Math.round(target * 1000) + "m", metric.getPods().getTarget().getAverageValue().toString());
    assertEquals(300, hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds());
    String rule = Files.readString(out.resolve("prometheus-adapter-rule.yaml"));
    assertTrue(rule.contains("as: vllm_kv_cache_usage_perc"), rule);
  }

  @Test
  void verifiesThePlannedTargetAndSearchesTheHighestThatHolds() {
    Run plan =
        run(
            "autoscale",
            "plan",
            "--from",
            sweep.toString(),
            "--slo",
            "inter_token_latency:p50:11",
            "--replica-startup",
            "60",
            "--load-growth",
            "20%/min",
            "--max-replicas",
            "4",
            "--verify",
            "--search",
            "-o",
            sweep.resolve("verified").toString());
    assertEquals(0, plan.exitCode(), plan.err());
    assertTrue(plan.out().contains("verified: at "), plan.out());
    // The sweep ran in real time, so its fitted replica, and the answer, vary a little from run
    // to run; whatever the answer, the rehearsals bear it out.
    java.util.regex.Matcher found =
        java.util.regex.Pattern.compile("the highest target that holds: (\\d+)m")
            .matcher(plan.out());
    long milli = found.find() ? Long.parseLong(found.group(1)) : 0;
    assertTrue(milli > 0 || plan.out().contains("search: no target from 1m holds"), plan.out());
    // The search's answer holds, and a target one milli-unit higher does not.
    MeasuredSweep measured = MeasuredSweep.read(sweep);
    io.loadgen.autoscale.PlanOptions options =
        io.loadgen.autoscale.PlanOptions.builder(
                java.util.List.of(io.loadgen.autoscale.Slo.parse("inter_token_latency:p50:11")))
            .replicaStartupSeconds(60)
            .loadGrowthPerMinute(0.2)
            .maxReplicas(4)
            .build();
    io.loadgen.autoscale.AutoscalePlan planned =
        io.loadgen.autoscale.AutoscalePlanner.plan(measured, options);
    EngineSpec engine =
        SweepCalibration.fit(measured, SimPreset.named("llama3-8b-h100").get()).preset().engine();
    assertEquals(
        milli > 0,
        io.loadgen.autoscale.PlanCheck.verify(
                Math.max(1, milli) / 1000.0, planned, measured, engine, options)
            .held());
    if (milli > 0 && milli < 1000) {
      assertTrue(
          !io.loadgen.autoscale.PlanCheck.verify(
                  (milli + 1) / 1000.0, planned, measured, engine, options)
              .held(),
          "the next milli-unit up breaks an SLO");
    }
  }

  @Test
  void calibratesAnotherPresetBackToTheEngineTheSweepWasMeasuredOn() {
    SweepCalibration calibration =
        SweepCalibration.fit(MeasuredSweep.read(sweep), SimPreset.named("llama3-8b-h100").get());
    EngineSpec fitted = calibration.preset().engine();
    String report = calibration.report();
    // Real time on a shared machine, and the KV gauge sampled at scrapes: within 10% for the cache
    // and the step, 15% a sequence.
    assertEquals(KV_BLOCKS, fitted.kvBlocksTotal(), KV_BLOCKS * 0.10, report);
    assertEquals(
        STEP_MILLIS * 1e6, fitted.decodeStepFixedNanos(), STEP_MILLIS * 1e6 * 0.10, report);
    assertEquals(
        MICROS_PER_SEQUENCE * 1e3,
        fitted.decodeNanosPerSequence(),
        MICROS_PER_SEQUENCE * 1e3 * 0.15,
        report);
    // The prefill cost is an upper bound: at concurrency 4 with equal lengths the four prompts of a
    // wave arrive together and share their prefill step, which the fastest first token cannot
    // tell from one prompt's cost; it also holds the HTTP exchange. So up to 4 times and more.
    double prefillMicros = fitted.prefillNanosPerToken() / 1e3;
    assertTrue(
        prefillMicros > PREFILL_MICROS / 2 && prefillMicros < PREFILL_MICROS * 6,
        prefillMicros + " us\n" + report);
    assertEquals("meta/llama3-8b-instruct", calibration.preset().servedModel());
    assertEquals(3, calibration.itlPoints().size(), report);
  }

  @Test
  void aFolderThatIsNotASweepIsOneLineAndAUsageError(@TempDir Path empty) {
    Run plan =
        run(
            "autoscale",
            "plan",
            "--from",
            empty.toString(),
            "--slo",
            "time_to_first_token:p99:500",
            "--replica-startup",
            "60");
    assertEquals(Errors.USAGE, plan.exitCode(), plan.err());
    assertTrue(plan.err().startsWith("loadgen: error: "), plan.err());
    assertTrue(plan.err().contains("has no sweep_summary.json"), plan.err());
    assertEquals(1, plan.err().strip().lines().count(), plan.err());
    assertFalse(plan.err().contains("\tat "), plan.err());
  }

  @Test
  void simFromAFolderThatIsNotASweepIsOneLineAndAUsageErrorBeforeAnyServerStarts(
      @TempDir Path empty) {
    Run sim = run("sim", "--from", empty.toString(), "--port", "0", "--host", "127.0.0.1");
    assertEquals(Errors.USAGE, sim.exitCode(), sim.err());
    assertTrue(sim.err().contains("has no sweep_summary.json"), sim.err());
    assertFalse(sim.out().contains("serving"), sim.out());
  }

  @Test
  void aBadSloIsOneLineAndAUsageError() {
    Run plan =
        run(
            "autoscale",
            "plan",
            "--from",
            sweep.toString(),
            "--slo",
            "time_to_first_token:p99",
            "--replica-startup",
            "60");
    assertEquals(Errors.USAGE, plan.exitCode(), plan.err());
    assertEquals(
        "loadgen: error: an SLO is METRIC:STATISTIC:MS, as time_to_first_token:p99:500; got "
            + "'time_to_first_token:p99'",
        plan.err().strip());
  }
}
