package io.loadgen.autoscale.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.loadgen.autoscale.AutoscaleException;
import io.loadgen.autoscale.AutoscalePlan;
import io.loadgen.autoscale.AutoscalePlan.LevelCheck;
import io.loadgen.autoscale.AutoscalePlan.SloCheck;
import io.loadgen.autoscale.Slo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plan's console text and files: {@code autoscale_plan.json}, {@code hpa.yaml} (an {@code
 * autoscaling/v2} HorizontalPodAutoscaler on the gauge as a Pods metric) and {@code
 * prometheus-adapter-rule.yaml} (the rule serving it), in the forms of {@code src/k8s}.
 */
public final class PlanFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private PlanFiles() {}

  public static List<Path> write(AutoscalePlan plan, Path directory) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      written.add(writeFile(directory.resolve("autoscale_plan.json"), json(plan)));
      written.add(writeFile(directory.resolve("hpa.yaml"), hpaYaml(plan)));
      written.add(
          writeFile(directory.resolve("prometheus-adapter-rule.yaml"), adapterRuleYaml(plan)));
    } catch (IOException e) {
      throw new AutoscaleException(
          "cannot write the plan into " + directory + ": " + e.getMessage(), e);
    }
    return written;
  }

  private static Path writeFile(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  public static String render(AutoscalePlan plan) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("Level", "KV avg"));
    for (Slo slo : plan.slos()) {
      header.add(slo.metric() + " " + slo.statistic() + " <= " + Plans.number(slo.limitMillis()));
    }
    List<List<String>> rows = new ArrayList<>();
    for (LevelCheck level : plan.levels()) {
      List<String> row = new ArrayList<>();
      row.add(level.label());
      row.add(
          Double.isNaN(level.kvUsageAvg())
              ? "N/A"
              : String.format(Locale.ROOT, "%.0fm", level.kvUsageAvg() * 1000));
      for (SloCheck check : level.checks()) {
        row.add(Plans.number(check.value()) + (check.met() ? " ok" : " BROKEN"));
      }
      rows.add(row);
    }
    out.append("SLOs by level (ms; KV-cache usage in milli-units of the 0..1 gauge)\n");
    out.append(table(header, rows));
    plan.why().forEach(line -> out.append(line).append('\n'));
    out.append(
        String.format(
            Locale.ROOT,
            "HPA: %s averageValue %s on Deployment %s, %d to %d replicas.%n",
            plan.servedMetric(),
            plan.averageValue(),
            plan.deployment(),
            plan.minReplicas(),
            plan.maxReplicas()));
    return out.toString();
  }

  /** A plain aligned table: columns padded to their widest cell. */
  private static String table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        line.append(c == 0 ? "  " : "  ");
        line.append(c == 0 ? pad(cell, widths[c], false) : pad(cell, widths[c], true));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String pad(String cell, int width, boolean right) {
    String spaces = " ".repeat(width - cell.length());
    return right ? spaces + cell : cell + spaces;
  }

  public static String json(AutoscalePlan plan) {
    ObjectNode root = JSON.createObjectNode();
    root.put("load", plan.loadKind().key());
    ArrayNode slos = root.putArray("slos");
    plan.slos().forEach(slo -> slos.add(slo.toString()));
    ArrayNode levels = root.putArray("levels");
    for (LevelCheck level : plan.levels()) {
      ObjectNode node = levels.addObject();
      node.put("level", level.label());
      number(node, "load", level.load());
      number(node, "kv_cache_usage_avg", level.kvUsageAvg());
      node.put("slos_met", level.met());
      ArrayNode checks = node.putArray("slos");
      for (SloCheck check : level.checks()) {
        ObjectNode c = checks.addObject();
        c.put("slo", check.slo().toString());
        number(c, "value_ms", check.value());
        c.put("met", check.met());
      }
    }
    ObjectNode knee = root.putObject("knee");
    number(knee, "load_per_replica", plan.kneeLoad());
    knee.put("bounded", plan.kneeBounded());
    knee.put("broken_level", plan.brokenLevel());
    knee.put("broken_slo", plan.brokenSlo() == null ? null : plan.brokenSlo().toString());
    number(knee, "requests_in_flight", plan.kneeInFlight());
    number(knee, "kv_cache_usage_measured", plan.kneeKvUsageMeasured());
    number(knee, "kv_cache_usage_fit", plan.kneeKvUsageFit());
    ObjectNode target = root.putObject("target");
    number(target, "reaction_seconds", plan.reactionSeconds());
    number(target, "load_growth_per_minute", plan.loadGrowthPerMinute());
    number(target, "trigger_load_per_replica", plan.triggerLoad());
    number(target, "trigger_kv_cache_usage", plan.triggerKvUsage());
    number(target, "hpa_tolerance", plan.hpaTolerance());
    number(target, "value", plan.target());
    target.put("average_value", plan.averageValue());
    ObjectNode hpa = root.putObject("hpa");
    hpa.put("metric", plan.kvMetric());
    hpa.put("served_metric", plan.servedMetric());
    hpa.put("deployment", plan.deployment());
    hpa.put("min_replicas", plan.minReplicas());
    hpa.put("max_replicas", plan.maxReplicas());
    ArrayNode why = root.putArray("why");
    plan.why().forEach(why::add);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  public static String hpaYaml(AutoscalePlan plan) {
    ObjectNode root = YAML.createObjectNode();
    root.put("apiVersion", "autoscaling/v2");
    root.put("kind", "HorizontalPodAutoscaler");
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("name", plan.deployment());
    metadata.putObject("labels").put("app.kubernetes.io/managed-by", "loadgen");
    ObjectNode spec = root.putObject("spec");
    ObjectNode ref = spec.putObject("scaleTargetRef");
    ref.put("apiVersion", "apps/v1");
    ref.put("kind", "Deployment");
    ref.put("name", plan.deployment());
    spec.put("minReplicas", plan.minReplicas());
    spec.put("maxReplicas", plan.maxReplicas());
    ObjectNode pods = spec.putArray("metrics").addObject().put("type", "Pods").putObject("pods");
    pods.putObject("metric").put("name", plan.servedMetric());
    pods.putObject("target").put("type", "AverageValue").put("averageValue", plan.averageValue());
    ObjectNode behavior = spec.putObject("behavior");
    // Kubernetes' own scale-up defaults, written out so that they are seen and can be changed.
    ObjectNode up = behavior.putObject("scaleUp");
    up.put("stabilizationWindowSeconds", 0);
    up.put("selectPolicy", "Max");
    ArrayNode upPolicies = up.putArray("policies");
    upPolicies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
    upPolicies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
    // As src/k8s: down only after 5 minutes low, a replica a minute, so that a lull does not drop
    // a replica holding a warm KV cache.
    ObjectNode down = behavior.putObject("scaleDown");
    down.put("stabilizationWindowSeconds", 300);
    down.putArray("policies")
        .addObject()
        .put("type", "Pods")
        .put("value", 1)
        .put("periodSeconds", 60);
    StringBuilder comment = new StringBuilder();
    comment.append(
        String.format(
            Locale.ROOT,
            "# Written by loadgen autoscale plan: scale %s on %s,%n"
                + "# which prometheus-adapter serves from the server's %s (0..1),%n"
                + "# at %s per pod on average. How the target was reached:%n",
            plan.deployment(),
            plan.servedMetric(),
            plan.kvMetric(),
            plan.averageValue()));
    plan.why().forEach(line -> comment.append("#   ").append(line).append('\n'));
    return comment + yaml(root);
  }

  public static String adapterRuleYaml(AutoscalePlan plan) {
    String metric = plan.kvMetric();
    ObjectNode root = YAML.createObjectNode();
    ObjectNode rule = root.putArray("rules").addObject();
    rule.put("seriesQuery", "{__name__=\"" + metric + "\",namespace!=\"\",pod!=\"\"}");
    ObjectNode overrides = rule.putObject("resources").putObject("overrides");
    overrides.putObject("namespace").put("resource", "namespace");
    overrides.putObject("pod").put("resource", "pod");
    rule.putObject("name").put("matches", "^" + metric + "$").put("as", plan.servedMetric());
    rule.put("metricsQuery", "avg by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})");
    String header =
        String.format(
            Locale.ROOT,
            "# Written by loadgen autoscale plan: the prometheus-adapter rule that serves the server's%n"
                + "# %s as the pods metric %s, which hpa.yaml scales on.%n"
                + "# Add the rule to the rules of the adapter's config.yaml (ConfigMap adapter-config),%n"
                + "# or under rules.custom in the Helm chart's values; see src/k8s/prometheus-adapter-*.yaml.%n",
            metric,
            plan.servedMetric());
    return header + yaml(root);
  }

  private static String yaml(ObjectNode root) {
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
