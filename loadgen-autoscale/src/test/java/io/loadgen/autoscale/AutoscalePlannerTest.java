package io.loadgen.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoscalePlannerTest {
  private static final List<Slo> SLOS =
      List.of(Slo.parse("time_to_first_token:p99:500"), Slo.parse("inter_token_latency:p99:40"));

  @TempDir Path dir;

  /** The guide's KV figures (9.4% at 100, 20.8% at 200, 40.9% at 400), TTFT breaking at 400. */
  private MeasuredSweep guideSweep() {
    return MeasuredSweep.read(
        new SweepFiles()
            .level(100, 100, 20, 9.4)
            .level(200, 200, 25, 20.8)
            .level(300, 450, 30, 30.0)
            .level(400, 650, 35, 40.9)
            .fit(0.1)
            .write(dir));
  }

  private static PlanOptions options() {
    return PlanOptions.builder(SLOS)
        .replicaStartupSeconds(120)
        .loadGrowthPerMinute(0.2)
        .minReplicas(1)
        .maxReplicas(3)
        .build();
  }

  @Test
  void interpolatesTheKneeBetweenTheLastLevelMeetingTheSlosAndTheFirstBreakingOne() {
    AutoscalePlan plan = AutoscalePlanner.plan(guideSweep(), options());
    // TTFT p99 450 ms at 300, 650 ms at 400: 500 ms at 300 + 50 / 200 x 100.
    assertEquals(325, plan.kneeLoad(), 1e-9);
    assertTrue(plan.kneeBounded());
    assertEquals("concurrency 400", plan.brokenLevel());
    assertEquals(SLOS.get(0), plan.brokenSlo());
    assertEquals(325, plan.kneeInFlight(), 1e-9);
    assertEquals(0.30 + 0.25 * (0.409 - 0.30), plan.kneeKvUsageMeasured(), 1e-12);
    assertEquals(0.001 * 325, plan.kneeKvUsageFit(), 1e-12);
    assertFalse(plan.levels().get(3).met());
    assertTrue(plan.levels().get(2).met());
  }

  @Test
  void setsTheTargetWhereTheLoadReachesTheKneeJustAsTheNewReplicaIsReady() {
    AutoscalePlan plan = AutoscalePlanner.plan(guideSweep(), options());
    assertEquals(30 + 15 + 120, plan.reactionSeconds(), 1e-12);
    double trigger = 325 / (1 + 0.2 * 165 / 60);
    assertEquals(trigger, plan.triggerLoad(), 1e-9);
    double usage = 0.208 + (trigger - 200) / 100 * (0.30 - 0.208);
    assertEquals(usage, plan.triggerKvUsage(), 1e-12);
    // 0.21690 / 1.1 = 0.19718: rounded down to 197m.
    assertEquals(0.197, plan.target(), 1e-12);
    assertEquals("197m", plan.averageValue());
    assertEquals(197, plan.targetMilli());
    String why = String.join("\n", plan.why());
    assertTrue(why.contains("300 + (500 - 450) / (650 - 450) x (400 - 300) = 325"), why);
    assertTrue(why.contains("30 s + HPA sync period 15 s + replica startup 120 s = 165 s"), why);
    assertTrue(why.contains("325 / 1.55: concurrency 209.68 per replica"), why);
    assertTrue(plan.render().contains("650 BROKEN"), plan.render());
  }

  @Test
  void withoutGrowthLeavesOnlyTheHpaToleranceBelowTheKnee() {
    AutoscalePlan plan =
        AutoscalePlanner.plan(
            guideSweep(), PlanOptions.builder(SLOS).replicaStartupSeconds(60).build());
    assertEquals(325, plan.triggerLoad(), 1e-9);
    assertEquals(Math.floor(plan.kneeKvUsageMeasured() / 1.1 * 1000) / 1000, plan.target());
  }

  @Test
  void takesTheLowestCrossingWhenTheFirstBrokenLevelBreaksTwoSlos() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles().level(100, 100, 20, 10).level(200, 600, 60, 20).fit(0.1).write(dir));
    AutoscalePlan plan = AutoscalePlanner.plan(sweep, options());
    // TTFT crosses 500 at 100 + 400/500 x 100 = 180; ITL crosses 40 at 100 + 20/40 x 100 = 150.
    assertEquals(150, plan.kneeLoad(), 1e-9);
    assertEquals(SLOS.get(1), plan.brokenSlo());
  }

  @Test
  void saysTheKneeIsAtLeastTheHighestLevelWhenNoLevelBreaksAnSlo() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles().level(100, 100, 20, 10).level(200, 200, 25, 20).write(dir));
    AutoscalePlan plan = AutoscalePlanner.plan(sweep, options());
    assertEquals(200, plan.kneeLoad());
    assertFalse(plan.kneeBounded());
    assertNull(plan.brokenLevel());
    assertTrue(plan.why().get(0).contains("at least the highest"), plan.why().get(0));
    assertTrue(Double.isNaN(plan.kneeKvUsageFit()));
  }

  @Test
  void refusesASweepWhoseLowestLevelAlreadyBreaksAnSlo() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles().level(100, 700, 20, 10).level(200, 900, 25, 20).write(dir));
    AutoscaleException e =
        assertThrows(AutoscaleException.class, () -> AutoscalePlanner.plan(sweep, options()));
    assertEquals(
        "the lowest level, concurrency 100, already breaks time_to_first_token:p99:500 (700 ms): "
            + "sweep lower levels to find the knee",
        e.getMessage());
  }

  @Test
  void writesAnHpaOnTheServedNameAndTheAdapterRuleThatServesIt() throws Exception {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles()
                .kvMetric("vllm:kv_cache_usage_perc")
                .level(100, 100, 20, 9.4)
                .level(200, 200, 25, 20.8)
                .level(300, 450, 30, 30.0)
                .level(400, 650, 35, 40.9)
                .write(dir));
    AutoscalePlan plan = AutoscalePlanner.plan(sweep, options());
    Path out = dir.resolve("plan");
    List<Path> files = plan.write(out);
    assertEquals(3, files.size());
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode hpa = yaml.readTree(out.resolve("hpa.yaml").toFile());
    assertEquals("llama3-8b-instruct", hpa.at("/spec/scaleTargetRef/name").asText());
    JsonNode metric = hpa.at("/spec/metrics/0/pods");
    assertEquals("vllm_kv_cache_usage_perc", metric.at("/metric/name").asText());
    assertEquals("197m", metric.at("/target/averageValue").asText());
    JsonNode rule = yaml.readTree(out.resolve("prometheus-adapter-rule.yaml").toFile());
    assertEquals(
        "{__name__=\"vllm:kv_cache_usage_perc\",namespace!=\"\",pod!=\"\"}",
        rule.at("/rules/0/seriesQuery").asText());
    assertEquals("^vllm:kv_cache_usage_perc$", rule.at("/rules/0/name/matches").asText());
    assertEquals("vllm_kv_cache_usage_perc", rule.at("/rules/0/name/as").asText());
    JsonNode json = new ObjectMapper().readTree(out.resolve("autoscale_plan.json").toFile());
    assertEquals(325, json.at("/knee/load_per_replica").asDouble(), 1e-9);
    assertEquals("197m", json.at("/target/average_value").asText());
    assertTrue(json.at("/knee/kv_cache_usage_fit").isNull());
    assertTrue(Files.readString(out.resolve("hpa.yaml")).startsWith("# Written by loadgen"));
  }

  @Test
  void plansARequestRateSweepInRequestsPerSecond() {
    MeasuredSweep sweep =
        MeasuredSweep.read(
            new SweepFiles()
                .rates()
                .level(2, 100, 20, 10)
                .level(4, 600, 30, 20)
                .withoutDirectoryNames()
                .write(dir));
    assertEquals(MeasuredSweep.LoadKind.REQUEST_RATE, sweep.loadKind());
    AutoscalePlan plan = AutoscalePlanner.plan(sweep, options());
    // TTFT p99 crosses 500 ms at 2 + 400 / 500 x 2 = 3.6 requests/s.
    assertEquals(3.6, plan.kneeLoad(), 1e-9);
    assertEquals("request_rate 4", plan.brokenLevel());
    assertTrue(plan.why().get(0).startsWith("Knee: 3.6 requests/s per replica"), plan.why().get(0));
  }

  @Test
  void refusesTgiWhichHasNoKvCacheGauge() {
    PlanOptions tgi =
        PlanOptions.builder(SLOS).replicaStartupSeconds(60).metric("tgi_queue_size").build();
    AutoscaleException e =
        assertThrows(AutoscaleException.class, () -> AutoscalePlanner.plan(guideSweep(), tgi));
    assertTrue(e.getMessage().startsWith("TGI writes no KV-cache usage gauge"), e.getMessage());
  }

  @Test
  void readsLoadGrowthPerMinuteOrPerSecond() {
    assertEquals(0.2, PlanOptions.parseGrowthPerMinute("20%/min"), 1e-12);
    assertEquals(0.2, PlanOptions.parseGrowthPerMinute("20%"), 1e-12);
    assertEquals(0.3, PlanOptions.parseGrowthPerMinute("0.5%/s"), 1e-12);
    assertEquals(0.2, PlanOptions.parseGrowthPerMinute("0.2"), 1e-12);
    assertThrows(AutoscaleException.class, () -> PlanOptions.parseGrowthPerMinute("fast"));
  }

  @Test
  void refusesOptionsWithoutAnSloOrWithReplicasTheWrongWayRound() {
    assertThrows(AutoscaleException.class, () -> PlanOptions.builder(List.of()).build());
    AutoscaleException e =
        assertThrows(
            AutoscaleException.class,
            () -> PlanOptions.builder(SLOS).minReplicas(3).maxReplicas(2).build());
    assertEquals(
        "replicas must be at least 1 and the maximum at least the minimum, got min 3 max 2",
        e.getMessage());
  }
}
