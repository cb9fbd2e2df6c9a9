package io.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.ServerMetrics;
import io.loadgen.core.ServerSample;
import io.loadgen.report.internal.merge.IntervalGrid;
import io.loadgen.report.internal.merge.LogIntervals;
import io.loadgen.report.internal.merge.RawExports;
import io.loadgen.report.internal.merge.RunArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Several runs of one workload that went at the same time, from several processes (an Indexed Job's
 * pods, started together with {@code --start-at}), merged into one run, as genai-perf's {@code
 * process-export-files} did, with the files a single run writes:
 *
 * <ul>
 *   <li>each metric's histogram is the sum of the runs' {@code .hlog} intervals, value by value, so
 *       its percentiles are those of every request of every run; the merged {@code .hlog} adds the
 *       runs' intervals second by second ({@code IntervalGrid});
 *   <li>counts are summed: requests, failed requests by kind, cancelled, cut, retried, tokens
 *       (output tokens from each run's throughput times its duration; the server's {@code usage});
 *   <li>the benchmark duration is the union of the runs' windows, from the earliest first send to
 *       the latest last response (each to the nanosecond from the raw export, else from the log's
 *       start and the run's duration), and every throughput is over it;
 *   <li>the raw exports ({@code profile_export.json}) are concatenated, run after run, into one
 *       experiment; when a run has none ({@code --no-raw-export}), the merge has none either;
 *   <li>the server's metrics are kept once, from the first run that read its gauges: the pods
 *       scrape the same server, so its gauges would otherwise count N times. The client's state at
 *       each scrape (requests in flight and sent, tokens per second) is summed over the runs, each
 *       run's at its scrape nearest in time, so the KV-cache usage per request in flight is the
 *       server's against the whole load;
 *   <li>the settings ({@code input_config}) are the first run's with the load summed: concurrency
 *       or request rate, request and warm-up counts, event loops; {@code merged_from} names the
 *       runs.
 * </ul>
 *
 * Sweep folders (a {@code --concurrency} or {@code --request-rate} list) are merged level by level:
 * the level folders of one name across the sweeps, each into a level folder named for its merged
 * load, then the sweep's {@code sweep_summary} and report are written again from the merged levels.
 */
public final class Merge {
  /** The sweep summary's JSON, which marks a sweep's folder. */
  static final String SWEEP_SUMMARY_FILE = "sweep_summary.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One merged run: a single run, or one level of a sweep, with what it was merged from. */
  private record Level(List<RunArtifacts> runs, MergedResult result) {}

  private final List<Path> inputs;
  private final List<Level> levels;
  private final boolean sweep;
  private final double kvTargetPercent;
  private final List<String> notes;

  private Merge(
      List<Path> inputs,
      List<Level> levels,
      boolean sweep,
      double kvTargetPercent,
      List<String> notes) {
    this.inputs = List.copyOf(inputs);
    this.levels = List.copyOf(levels);
    this.sweep = sweep;
    this.kvTargetPercent = kvTargetPercent;
    this.notes = List.copyOf(notes);
  }

  /**
   * Reads and merges the runs in {@code dirs}: every one a run's folder, or every one a sweep's.
   *
   * @throws MergeException for no folders, a mix of run and sweep folders, or runs of different
   *     workloads (model, endpoint, streaming or load mode)
   * @throws RunDirectoryException for a folder that is not a run's or a sweep's, or whose files
   *     cannot be read
   */
  public static Merge of(List<Path> dirs) {
    if (dirs.isEmpty()) {
      throw new MergeException(
          "no run folders to merge: give the folders the pods' loadgen profile wrote");
    }
    boolean sweep = isSweep(dirs.get(0));
    for (Path dir : dirs) {
      if (isSweep(dir) != sweep) {
        throw new MergeException(
            "cannot merge "
                + dir
                + " with "
                + dirs.get(0)
                + ": one is a sweep's folder and the other a run's; give folders of one kind");
      }
    }
    List<String> notes = new ArrayList<>();
    if (!sweep) {
      List<RunArtifacts> runs = dirs.stream().map(RunArtifacts::read).toList();
      return new Merge(dirs, List.of(level(runs, notes)), false, Double.NaN, notes);
    }
    Map<String, List<RunArtifacts>> byName = new LinkedHashMap<>();
    for (Path dir : dirs) {
      for (Path levelDir : levelDirs(dir)) {
        byName
            .computeIfAbsent(levelDir.getFileName().toString(), n -> new ArrayList<>())
            .add(RunArtifacts.read(levelDir));
      }
    }
    if (byName.isEmpty()) {
      throw new RunDirectoryException(
          dirs.get(0) + " is a sweep's folder with no level folder in it: nothing to merge");
    }
    List<Level> levels = new ArrayList<>();
    byName.forEach(
        (name, runs) -> {
          if (runs.size() < dirs.size()) {
            notes.add(
                "level "
                    + name
                    + " is in "
                    + runs.size()
                    + " of the "
                    + dirs.size()
                    + " sweeps (cut short in the others): merged from those");
          }
          levels.add(level(runs, notes));
        });
    return new Merge(dirs, levels, true, kvTarget(dirs.get(0)), notes);
  }

  /** Whether the folders are sweeps', merged level by level. */
  public boolean isSweep() {
    return sweep;
  }

  /** The merged runs: one, or one per level of a sweep, in the first sweep's order. */
  public List<ProfileResult> results() {
    return levels.stream().map(l -> (ProfileResult) l.result()).toList();
  }

  /**
   * What the merge could not do as for a single run (a raw export missing, a level cut), a line
   * each.
   */
  public List<String> notes() {
    return notes;
  }

  /** The console table of each merged run (and a sweep's summary), ending with a newline. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (Level level : levels) {
      out.append(ConsoleTable.render(level.result()));
      out.append("Merged from ").append(level.runs().size()).append(" runs\n");
    }
    if (sweep) {
      out.append(summary().render());
    }
    return out.toString();
  }

  /** {@link #write(Path, boolean)} without the charts of {@code --generate-plots}. */
  public List<Path> write(Path output) {
    return write(output, false);
  }

  /**
   * Writes the merged run into {@code output} as {@code loadgen profile} writes one: the summary
   * exports, the {@code .hlog} files, the raw export, {@code report.html} and, with {@code plots},
   * {@code plots/}. A sweep's merge writes a level folder each, then the sweep summary and report.
   *
   * @return the run folders written
   * @throws MergeException when {@code output} is one of the folders merged
   * @throws ArtifactWriteException when a file cannot be written
   */
  public List<Path> write(Path output, boolean plots) {
    Path target = output.toAbsolutePath().normalize();
    for (Path input : inputs) {
      Path dir = input.toAbsolutePath().normalize();
      if (dir.equals(target) || (sweep && target.startsWith(dir))) {
        throw new MergeException(
            "the output "
                + output
                + " is "
                + (dir.equals(target) ? "" : "inside ")
                + "one of the folders merged ("
                + input
                + "): give --output a folder of its own");
      }
    }
    List<Path> written = new ArrayList<>();
    for (Level level : levels) {
      Path runDir =
          sweep ? output.resolve(ArtifactNames.directoryName(level.result().profile())) : output;
      writeRun(level, runDir, plots);
      written.add(runDir);
    }
    if (sweep) {
      SweepSummary summary = summary();
      Exports.create(output);
      summary.write(output);
      SweepReport.write(summary, output);
    }
    return written;
  }

  private SweepSummary summary() {
    return SweepSummary.of(results(), kvTargetPercent);
  }

  private static void writeRun(Level level, Path runDir, boolean plots) {
    MergedResult result = level.result();
    Exports.write(result, runDir);
    keepTelemetry(level.runs(), runDir);
    List<Path> raws = new ArrayList<>();
    level.runs().forEach(r -> r.rawExport().ifPresent(raws::add));
    Path raw = runDir.resolve(RunArtifacts.RAW_FILE);
    boolean allRaw = raws.size() == level.runs().size();
    if (allRaw) {
      LoadMode mode = result.profile().load().mode();
      long[] window = window(level.runs());
      try {
        RawExports.concatenate(
            raws, raw, mode.key(), mode.level(), window, result.profile().endpoint().path());
      } catch (IOException e) {
        throw new ArtifactWriteException(raw, String.valueOf(e.getMessage()), e);
      }
    }
    if (plots) {
      Plots.write(runDir, RunArtifacts.RAW_FILE);
    }
    HtmlReport.write(result, runDir);
  }

  /**
   * GPU telemetry (DCGM-exporter's fields) is in the exports as statistics only, so the first run's
   * are carried over as they are, into the JSON and the CSV, as the server metrics are.
   */
  private static void keepTelemetry(List<RunArtifacts> runs, Path runDir) {
    RunArtifacts source = serverMetricsSource(runs);
    if (source == null || !source.export().path("telemetry_stats").isObject()) {
      return;
    }
    Path json = runDir.resolve(Exports.JSON_FILE);
    Path csv = runDir.resolve(Exports.CSV_FILE);
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
      root.set("telemetry_stats", source.export().path("telemetry_stats"));
      JSON.writeValue(json.toFile(), root);
      String sourceCsv =
          Files.readString(source.directory().resolve(Exports.CSV_FILE), StandardCharsets.UTF_8);
      int section = sourceCsv.indexOf("Metric,GPU,");
      if (section >= 0) {
        Files.writeString(
            csv,
            Files.readString(csv, StandardCharsets.UTF_8) + "\r\n" + sourceCsv.substring(section),
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new ArtifactWriteException(json, String.valueOf(e.getMessage()), e);
    }
  }

  private static boolean isSweep(Path dir) {
    return Files.isRegularFile(dir.resolve(SWEEP_SUMMARY_FILE)) && !RunArtifacts.isRun(dir);
  }

  private static List<Path> levelDirs(Path sweepDir) {
    try (Stream<Path> entries = Files.list(sweepDir)) {
      return entries.filter(RunArtifacts::isRun).sorted().toList();
    } catch (IOException e) {
      throw new RunDirectoryException("cannot read " + sweepDir + ": " + e.getMessage(), e);
    }
  }

  private static double kvTarget(Path sweepDir) {
    try {
      JsonNode fit = JSON.readTree(sweepDir.resolve(SWEEP_SUMMARY_FILE).toFile()).path("fit");
      return fit.path("kv_target_pct").isNumber() ? fit.path("kv_target_pct").asDouble() : 100;
    } catch (IOException e) {
      throw new RunDirectoryException(
          "cannot read " + sweepDir.resolve(SWEEP_SUMMARY_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The runs of one workload merged into one result. */
  private static Level level(List<RunArtifacts> runs, List<String> notes) {
    RunArtifacts first = runs.get(0);
    for (RunArtifacts run : runs) {
      sameWorkload(first, run);
    }
    long origin = runs.stream().mapToLong(RunArtifacts::logStartEpochMillis).min().orElseThrow();
    Map<Metric, Histogram> sums = new EnumMap<>(Metric.class);
    Map<Metric, List<MergedResult.Interval>> intervals = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      Histogram sum = new Histogram(3);
      List<MergedResult.Interval> merged = new ArrayList<>();
      List<LogIntervals> logs = new ArrayList<>();
      try {
        for (RunArtifacts run : runs) {
          logs.add(run.intervals(metric));
        }
        IntervalGrid.merge(
            logs,
            origin,
            interval -> {
              sum.add(interval);
              merged.add(MergedResult.Interval.of(interval));
            });
      } finally {
        logs.forEach(LogIntervals::close);
      }
      sums.put(metric, sum);
      intervals.put(metric, merged);
    }
    long[] window = window(runs);
    long durationNanos = window == null ? 0 : window[1] - window[0];
    RunSummary summary = summary(runs, durationNanos, sums.get(Metric.INPUT_SEQUENCE_LENGTH));
    long missingRaw = runs.stream().filter(r -> r.rawExport().isEmpty()).count();
    if (missingRaw > 0) {
      notes.add(
          missingRaw
              + " of the "
              + runs.size()
              + " runs of "
              + first.directory().getFileName()
              + " have no "
              + RunArtifacts.RAW_FILE
              + " (--no-raw-export, or another --profile-export-file name): the merged run has"
              + " none either");
    }
    List<String> from = runs.stream().map(r -> r.directory().toString()).toList();
    return new Level(
        runs,
        new MergedResult(
            profile(runs), sums, intervals, summary, serverMetrics(runs, origin), origin, from));
  }

  private static void sameWorkload(RunArtifacts first, RunArtifacts run) {
    JsonNode a = first.inputConfig();
    JsonNode b = run.inputConfig();
    for (String key : List.of("model", "endpoint_type", "endpoint", "streaming")) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        throw new MergeException(
            "cannot merge "
                + run.directory()
                + " with "
                + first.directory()
                + ": they ran different workloads ("
                + key
                + " "
                + text(b.get(key))
                + " vs "
                + text(a.get(key))
                + "); merge the runs of one workload");
      }
    }
    if (a.has("concurrency") != b.has("concurrency")) {
      throw new MergeException(
          "cannot merge "
              + run.directory()
              + " with "
              + first.directory()
              + ": one ran a concurrency, the other a request rate; merge runs of one load mode");
    }
  }

  private static String text(JsonNode value) {
    if (value == null) {
      return "none";
    }
    if (value.isArray() && value.size() == 1) {
      value = value.get(0);
    }
    return value.isTextual() ? "'" + value.asText() + "'" : value.toString();
  }

  /** The union of the windows of the runs that measured a request; null when none did. */
  private static long[] window(List<RunArtifacts> runs) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (RunArtifacts run : runs) {
      if (run.count("request_count") + run.count("error_count") == 0) {
        continue;
      }
      start = Math.min(start, run.windowStartEpochNanos());
      end = Math.max(end, run.windowEndEpochNanos());
    }
    return start == Long.MAX_VALUE ? null : new long[] {start, end};
  }

  private static RunSummary summary(
      List<RunArtifacts> runs, long durationNanos, Histogram inputLengths) {
    long requests = 0;
    long errors = 0;
    long cancelled = 0;
    long retries = 0;
    long cut = 0;
    long clientCancelled = 0;
    long reasoningTokens = 0;
    long outputTokens = 0;
    long good = 0;
    boolean goodput = false;
    long serverPrompt = -1;
    long serverCompletion = -1;
    boolean interrupted = false;
    long maxLoopDelay = 0;
    String abortReason = null;
    Map<String, Long> errorsByKind = new LinkedHashMap<>();
    for (RunArtifacts run : runs) {
      JsonNode export = run.export();
      requests += run.count("request_count");
      errors += run.count("error_count");
      cancelled += run.count("cancelled_count");
      retries += run.count("retry_count");
      cut += run.count("cut_count");
      clientCancelled += run.count("request_cancellation_count");
      reasoningTokens += run.count("total_reasoning_tokens");
      run.errorsByKind().forEach((kind, n) -> errorsByKind.merge(kind, n, Long::sum));
      double seconds = run.benchmarkDurationNanos() / 1e9;
      // Throughput is tokens over the run's duration, both as the run measured them.
      outputTokens += Math.round(run.runMetric("output_token_throughput").orElse(0) * seconds);
      OptionalDouble runGoodput = run.runMetric("request_goodput");
      if (runGoodput.isPresent()) {
        goodput = true;
        good += Math.round(runGoodput.getAsDouble() * seconds);
      }
      JsonNode usage = export.path("server_usage");
      if (usage.isObject()) {
        serverPrompt = add(serverPrompt, usage.path("prompt_tokens").asLong(-1));
        serverCompletion = add(serverCompletion, usage.path("completion_tokens").asLong(-1));
      }
      interrupted |= export.path("interrupted").asBoolean(false);
      maxLoopDelay =
          Math.max(
              maxLoopDelay,
              Math.round(export.path("event_loop_delay").path("max").asDouble(0) * 1e6));
      if (abortReason == null && export.path("abort_reason").isTextual()) {
        abortReason = export.path("abort_reason").asText();
      }
    }
    double seconds = durationNanos / 1e9;
    long inputTokens =
        Math.round(
            inputLengths.getTotalCount() == 0
                ? 0
                : inputLengths.getMean() * inputLengths.getTotalCount());
    return new RunSummary(
        requests,
        errors,
        errorsByKind,
        cancelled,
        durationNanos,
        outputTokens,
        inputTokens,
        seconds > 0 ? outputTokens / seconds : 0,
        seconds > 0 ? requests / seconds : 0,
        goodput ? OptionalDouble.of(seconds > 0 ? good / seconds : 0) : OptionalDouble.empty(),
        serverPrompt,
        serverCompletion,
        interrupted,
        maxLoopDelay,
        abortReason,
        retries,
        cut,
        clientCancelled,
        reasoningTokens,
        java.util.List.of());
  }

  private static long add(long sum, long value) {
    if (value < 0) {
      return sum;
    }
    return sum < 0 ? value : sum + value;
  }

  /** The first run's settings with the load of every run added up. */
  private static Profile profile(List<RunArtifacts> runs) {
    RunArtifacts first = runs.get(0);
    Profile.Builder builder;
    try {
      builder = InputConfig.read(first.inputConfig());
    } catch (RuntimeException e) {
      throw new RunDirectoryException(
          "cannot read the input_config of "
              + first.directory().resolve(Exports.JSON_FILE)
              + ": "
              + e.getMessage(),
          e);
    }
    int requestCount = 0;
    int warmup = 0;
    int loops = 0;
    boolean counted = true;
    double rate = 0;
    int rateCap = 0;
    int concurrency = 0;
    for (RunArtifacts run : runs) {
      JsonNode config = run.inputConfig();
      int count = config.path("request_count").asInt(0);
      counted &= count > 0;
      requestCount += Math.max(0, count);
      warmup += config.path("warmup_request_count").asInt(0);
      loops += config.path("event_loops").asInt(0);
      rate += config.path("request_rate").asDouble(0);
      rateCap += config.path("request_rate_max_concurrency").asInt(0);
      concurrency += config.path("concurrency").asInt(0);
    }
    builder.requestCount(counted ? requestCount : 0).warmupRequestCount(warmup).eventLoops(loops);
    Profile base = builder.build();
    LoadMode mode = base.load().mode();
    if (mode instanceof LoadMode.RequestRate r) {
      builder.loadMode(
          new LoadMode.RequestRate(rate, r.arrivals(), r.burstiness())
              .withMaxConcurrency(r.capped() ? rateCap : 0));
    } else {
      builder.concurrency(concurrency);
    }
    return builder.build();
  }

  /**
   * The server's series from the first run that read them, on the merged run's time; the client's
   * columns summed over the runs that scraped, each at its scrape nearest in time.
   */
  private static ServerMetrics serverMetrics(List<RunArtifacts> runs, long originEpochMillis) {
    RunArtifacts source = serverMetricsSource(runs);
    if (source == null) {
      return runs.get(0).serverMetrics();
    }
    ServerMetrics kept = source.serverMetrics();
    List<ClientSeries> clients = new ArrayList<>();
    for (RunArtifacts run : runs) {
      if (run != source) {
        ClientSeries series = ClientSeries.of(run);
        if (series != null) {
          clients.add(series);
        }
      }
    }
    long shift = source.logStartEpochMillis() - originEpochMillis;
    List<ServerMetrics.Replica> replicas = new ArrayList<>();
    for (ServerMetrics.Replica replica : kept.replicas()) {
      List<ServerSample> samples = new ArrayList<>();
      for (ServerSample s : replica.samples()) {
        long at = source.logStartEpochMillis() + s.offsetMillis();
        int inFlight = s.clientInFlight();
        long sent = s.clientSent();
        double tokens = s.clientTokensPerSecond();
        for (ClientSeries client : clients) {
          ServerSample other = client.nearest(at);
          if (other != null) {
            inFlight += other.clientInFlight();
            sent += other.clientSent();
            tokens +=
                Double.isNaN(other.clientTokensPerSecond()) ? 0 : other.clientTokensPerSecond();
          }
        }
        samples.add(
            new ServerSample(
                s.offsetMillis() + shift,
                s.kvCacheUsage(),
                s.running(),
                s.waiting(),
                s.gpus(),
                inFlight,
                sent,
                tokens));
      }
      replicas.add(new ServerMetrics.Replica(replica.url(), samples));
    }
    return new ServerMetrics(replicas, kept.kvMetric(), kept.problems());
  }

  /**
   * The first run that read a gauge of the server (KV cache, running or waiting), else the first
   * that scraped at all; null when none scraped.
   */
  private static RunArtifacts serverMetricsSource(List<RunArtifacts> runs) {
    RunArtifacts scraped = null;
    for (RunArtifacts run : runs) {
      ServerMetrics metrics = run.serverMetrics();
      if (metrics.isEmpty()) {
        continue;
      }
      scraped = scraped == null ? run : scraped;
      for (ServerMetrics.Replica replica : metrics.replicas()) {
        for (ServerSample s : replica.samples()) {
          if (!Double.isNaN(s.kvCacheUsage())
              || !Double.isNaN(s.running())
              || !Double.isNaN(s.waiting())) {
            return run;
          }
        }
      }
    }
    return scraped;
  }

  /** A run's client state at each of its scrapes, on the wall clock. */
  private record ClientSeries(
      long startEpochMillis, long intervalMillis, List<ServerSample> samples) {
    static ClientSeries of(RunArtifacts run) {
      JsonNode interval = run.inputConfig().path("server_metrics_interval");
      long intervalMillis = interval.isNumber() ? Math.round(interval.asDouble() * 1000) : 1000;
      for (ServerMetrics.Replica replica : run.serverMetrics().replicas()) {
        if (!replica.samples().isEmpty()) {
          return new ClientSeries(run.logStartEpochMillis(), intervalMillis, replica.samples());
        }
      }
      return null;
    }

    /**
     * The sample nearest in time to {@code epochMillis}; null more than a scrape interval outside
     * the span of this run's scrapes, when it was not sending.
     */
    ServerSample nearest(long epochMillis) {
      long offset = epochMillis - startEpochMillis;
      if (offset < samples.get(0).offsetMillis() - intervalMillis
          || offset > samples.get(samples.size() - 1).offsetMillis() + intervalMillis) {
        return null;
      }
      ServerSample best = samples.get(0);
      for (ServerSample sample : samples) {
        if (Math.abs(sample.offsetMillis() - offset) < Math.abs(best.offsetMillis() - offset)) {
          best = sample;
        }
      }
      return best;
    }
  }
}
