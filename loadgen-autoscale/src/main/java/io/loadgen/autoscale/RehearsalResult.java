package io.loadgen.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.report.TimelineReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a rehearsal saw: a {@link Window} per sync period and every HPA {@link Sync}, as a timeline
 * ({@link #kubectlWatch()}) and as files ({@link #write}).
 */
public record RehearsalResult(RehearsalSpec spec, List<Window> windows, List<Sync> syncs) {
  /** The files {@link #write} makes. */
  public static final String JSON_FILE = "rehearsal.json";

  public static final String CSV_FILE = "rehearsal.csv";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public RehearsalResult {
    windows = List.copyOf(windows);
    syncs = List.copyOf(syncs);
  }

  /** The most replicas the Deployment had. */
  public int maxReplicas() {
    int max = spec.minReplicas();
    for (Sync sync : syncs) {
      max = Math.max(max, sync.replicas());
    }
    return max;
  }

  /** The Deployment's replicas after the last sync at or before {@code seconds}. */
  public int replicasAt(double seconds) {
    int replicas = spec.minReplicas();
    for (Sync sync : syncs) {
      if (sync.seconds() <= seconds) {
        replicas = sync.replicas();
      }
    }
    return replicas;
  }

  /**
   * The timeline as {@code kubectl get hpa -w} prints it: a header, then a line at the first sync
   * and whenever the targets or the replicas change.
   */
  public String kubectlWatch() {
    String format = "%-14s %-28s %-12s %-8s %-8s %-9s %s%n";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "NAME",
            "REFERENCE",
            "TARGETS",
            "MINPODS",
            "MAXPODS",
            "REPLICAS",
            "AGE"));
    String last = null;
    for (Sync sync : syncs) {
      String targets = sync.targets(spec.target());
      String line = targets + " " + sync.replicas();
      if (line.equals(last)) {
        continue;
      }
      last = line;
      out.append(
          String.format(
              Locale.ROOT,
              format,
              "loadgen-sim",
              "Deployment/loadgen-sim",
              targets,
              spec.minReplicas(),
              spec.maxReplicas(),
              sync.replicas(),
              age(sync.seconds())));
    }
    return out.toString();
  }

  private static String age(double seconds) {
    long s = Math.round(seconds);
    return s < 120 ? s + "s" : s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
  }

  /**
   * Writes {@value #JSON_FILE} (the spec, every window and sync), {@value #CSV_FILE} (one table: a
   * row per window) and {@code report.html} (the timeline and its charts: replicas, load, the gauge
   * against the target, TTFT and ITL p99) into {@code directory}, making it.
   */
  public List<Path> write(Path directory) {
    try {
      Files.createDirectories(directory);
      Path json = directory.resolve(JSON_FILE);
      Path csv = directory.resolve(CSV_FILE);
      JSON.writeValue(json.toFile(), toJson());
      Files.writeString(csv, toCsv(), StandardCharsets.UTF_8);
      Path report =
          TimelineReport.write(directory, "Autoscaler rehearsal", kubectlWatch(), panels());
      return List.of(json, csv, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The report's charts: the load and the replicas, the gauge against its target, latencies. */
  private List<TimelineReport.Panel> panels() {
    int n = windows.size();
    double[] t = new double[n];
    double[] load = new double[n];
    double[] ready = new double[n];
    double[] starting = new double[n];
    double[] gauge = new double[n];
    double[] target = new double[n];
    double[] ttft = new double[n];
    double[] itl = new double[n];
    for (int i = 0; i < n; i++) {
      Window w = windows.get(i);
      t[i] = w.startSeconds();
      load[i] = w.load();
      ready[i] = w.replicasReady();
      starting[i] = w.replicasStarting();
      gauge[i] = w.metricAverage() * 1000;
      target[i] = spec.target() * 1000;
      ttft[i] = w.timeToFirstTokenMillis(99);
      itl[i] = w.interTokenLatencyMillis(99);
    }
    return List.of(
        new TimelineReport.Panel(
            "Replicas",
            "Pods",
            List.of(
                new TimelineReport.Line("ready", t, ready),
                new TimelineReport.Line("starting", t, starting))),
        new TimelineReport.Panel(
            "Load", "Users or requests/s", List.of(new TimelineReport.Line("load", t, load))),
        new TimelineReport.Panel(
            "KV-Cache Gauge the HPA Read (" + spec.metric() + ")",
            "milli-units",
            List.of(
                new TimelineReport.Line("average over ready pods", t, gauge),
                new TimelineReport.Line("target", t, target))),
        new TimelineReport.Panel(
            "Latency p99 by 15 s Window",
            "ms",
            List.of(
                new TimelineReport.Line("TTFT p99", t, ttft),
                new TimelineReport.Line("ITL p99", t, itl))));
  }

  private ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode settings = root.putObject("spec");
    settings.put("metric", spec.metric());
    settings.put("target", spec.target());
    settings.put("target_milli", Math.round(spec.target() * 1000) + "m");
    settings.put("min_replicas", spec.minReplicas());
    settings.put("max_replicas", spec.maxReplicas());
    settings.put("replica_startup_seconds", spec.replicaStartupSeconds());
    settings.put("scrape_interval_seconds", spec.scrapeIntervalSeconds());
    settings.put("sync_period_seconds", spec.syncPeriodSeconds());
    settings.put("tolerance", spec.tolerance());
    settings.put(
        "scale_down_stabilization_seconds", spec.behavior().scaleDownStabilizationSeconds());
    settings.put("plan", spec.plan().toString());
    settings.put("input_tokens_mean", spec.inputTokens().mean());
    settings.put("output_tokens_mean", spec.outputTokens().mean());
    settings.put("kv_blocks", spec.engine().kvBlocksTotal());
    settings.put("kv_block_size", spec.engine().kvBlockSizeTokens());
    settings.put("seed", spec.seed());
    ArrayNode w = root.putArray("windows");
    for (Window window : windows) {
      ObjectNode node = w.addObject();
      node.put("time_seconds", window.startSeconds());
      node.put("load", window.load());
      node.put("replicas_ready", window.replicasReady());
      node.put("replicas_starting", window.replicasStarting());
      number(node, "metric_average", window.metricAverage());
      node.put("running", window.running());
      node.put("waiting", window.waiting());
      node.put("completed", window.completed());
      number(node, "ttft_p50_ms", window.timeToFirstTokenMillis(50));
      number(node, "ttft_p99_ms", window.timeToFirstTokenMillis(99));
      number(node, "itl_p50_ms", window.interTokenLatencyMillis(50));
      number(node, "itl_p99_ms", window.interTokenLatencyMillis(99));
    }
    ArrayNode s = root.putArray("syncs");
    for (Sync sync : syncs) {
      ObjectNode node = s.addObject();
      node.put("time_seconds", sync.seconds());
      node.put("current_replicas", sync.currentReplicas());
      node.put("ready_replicas", sync.readyReplicas());
      number(node, "metric_average", sync.metricAverage());
      node.put("targets", sync.targets(spec.target()));
      node.put("replicas", sync.replicas());
      node.put("reason", sync.reason());
    }
    return root;
  }

  private static void number(ObjectNode node, String key, double value) {
    if (Double.isNaN(value)) {
      node.putNull(key);
    } else {
      node.put(key, value);
    }
  }

  private String toCsv() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "time_seconds,load,replicas_ready,replicas_starting,metric_average,running,waiting,"
            + "completed,ttft_p50_ms,ttft_p99_ms,itl_p50_ms,itl_p99_ms");
    for (Window w : windows) {
      lines.add(
          String.join(
              ",",
              fmt(w.startSeconds()),
              fmt(w.load()),
              String.valueOf(w.replicasReady()),
              String.valueOf(w.replicasStarting()),
              fmt(w.metricAverage()),
              String.valueOf(w.running()),
              String.valueOf(w.waiting()),
              String.valueOf(w.completed()),
              fmt(w.timeToFirstTokenMillis(50)),
              fmt(w.timeToFirstTokenMillis(99)),
              fmt(w.interTokenLatencyMillis(50)),
              fmt(w.interTokenLatencyMillis(99))));
    }
    return String.join("\n", lines) + "\n";
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
  }
}
