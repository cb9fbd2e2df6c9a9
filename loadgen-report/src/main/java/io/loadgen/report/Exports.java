package io.loadgen.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.Metric;
import io.loadgen.core.MetricStats;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.Statistic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a run's summary exports into its artifacts folder: {@code profile_export_genai_perf.json}
 * and {@code .csv} in genai-perf's layouts, and one HdrHistogram log ({@code <metric>.hlog}) per
 * metric, its values in intervals of the run ({@link ProfileResult#intervalHistograms}), readable
 * by HdrHistogram's {@code HistogramLogReader}, {@code HistogramLogProcessor} and their plotting
 * tools.
 */
public final class Exports {
  public static final String JSON_FILE = "profile_export_genai_perf.json";
  public static final String CSV_FILE = "profile_export_genai_perf.csv";

  /** The CSV's distribution columns, in genai-perf's order. */
  static final List<Statistic> CSV_STATISTICS =
      List.of(
          Statistic.AVG,
          Statistic.MIN,
          Statistic.MAX,
          Statistic.P99,
          Statistic.P95,
          Statistic.P90,
          Statistic.P75,
          Statistic.P50,
          Statistic.P25);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Exports() {}

  /**
   * Writes every summary export into {@code directory}, creating it. A file that cannot be written
   * does not keep the others from being written: a run's results are not lost to one bad file.
   *
   * @throws ArtifactWriteException after the others are written, for the first file that could not
   *     be, saying how many more failed
   */
  public static void write(ProfileResult result, Path directory) {
    create(directory);
    List<Runnable> exports = new ArrayList<>();
    exports.add(() -> writeJson(result, directory.resolve(JSON_FILE)));
    exports.add(() -> writeCsv(result, directory.resolve(CSV_FILE)));
    for (Metric metric : Metric.values()) {
      exports.add(
          () -> writeHistogramLog(result, metric, directory.resolve(metric.key() + ".hlog")));
    }
    ArtifactWriteException first = null;
    int failed = 0;
    for (Runnable export : exports) {
      try {
        export.run();
      } catch (ArtifactWriteException e) {
        failed++;
        first = first == null ? e : first;
      } catch (RuntimeException | LinkageError e) {
        // Out of file descriptors, even a class the export needs cannot be read from the jar; that
        // is the limit's fault, said as such, and the other exports are still tried.
        if (!ArtifactWriteException.outOfOpenFiles(rootCause(e))) {
          throw e;
        }
        failed++;
        first = first == null ? ArtifactWriteException.outOfOpenFiles(directory, e) : first;
      }
    }
    if (first != null) {
      throw failed == 1 ? first : new ArtifactWriteException(first, failed - 1);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  static void create(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (AccessDeniedException e) {
      throw new ArtifactWriteException(directory, "permission denied", e);
    } catch (IOException e) {
      throw new ArtifactWriteException(directory, String.valueOf(e.getMessage()), e);
    }
  }

  /** The genai-perf JSON document of a result. */
  static ObjectNode json(ProfileResult result) {
    ObjectNode root = JSON.createObjectNode();
    for (Metric metric : Rows.distributions(result)) {
      MetricStats stats = result.stats(metric);
      ObjectNode node = root.putObject(metric.key());
      node.put("unit", metric.unit());
      for (Statistic statistic : Statistic.values()) {
        node.put(statistic.key(), stats.get(statistic));
      }
    }
    for (Rows.RunMetric metric : Rows.runMetrics(result)) {
      ObjectNode node = root.putObject(metric.key());
      node.put("unit", metric.unit());
      if (metric.integer()) {
        node.put("avg", (long) metric.value());
      } else {
        node.put("avg", metric.value());
      }
    }
    RunSummary summary = result.summary();
    ObjectNode errors = root.putObject("error_count");
    errors.put("unit", "count");
    errors.put("avg", summary.errorCount());
    ObjectNode kinds = errors.putObject("errors_by_kind");
    summary.errorsByKind().forEach(kinds::put);
    ObjectNode cancelled = root.putObject("cancelled_count");
    cancelled.put("unit", "count");
    cancelled.put("avg", summary.cancelledCount());
    ObjectNode cut = root.putObject("cut_count");
    cut.put("unit", "count");
    cut.put("avg", summary.cutCount());
    ObjectNode cancellations = root.putObject("request_cancellation_count");
    cancellations.put("unit", "count");
    cancellations.put("avg", summary.requestCancellationCount());
    if (summary.totalReasoningTokens() > 0) {
      ObjectNode reasoning = root.putObject("total_reasoning_tokens");
      reasoning.put("unit", "tokens");
      reasoning.put("avg", summary.totalReasoningTokens());
    }
    if (!summary.sessionTurns().isEmpty()) {
      // A sessions run, by turn number: how TTFT and latency follow the growing conversation.
      var turns = root.putArray("session_turns");
      for (io.loadgen.core.TurnStats turn : summary.sessionTurns()) {
        ObjectNode node = turns.addObject();
        node.put("turn", turn.turn());
        node.put("request_count", turn.requests());
        node.put("input_sequence_length_avg", turn.inputSequenceLengthAvg());
        ServerMetricsExport.number(
            node, "time_to_first_token_avg_ms", turn.timeToFirstTokenAvgMillis());
        ServerMetricsExport.number(
            node, "time_to_first_token_p50_ms", turn.timeToFirstTokenP50Millis());
        ServerMetricsExport.number(
            node, "time_to_first_token_p99_ms", turn.timeToFirstTokenP99Millis());
        ServerMetricsExport.number(node, "request_latency_avg_ms", turn.requestLatencyAvgMillis());
        ServerMetricsExport.number(node, "request_latency_p50_ms", turn.requestLatencyP50Millis());
        ServerMetricsExport.number(node, "request_latency_p99_ms", turn.requestLatencyP99Millis());
      }
    }
    ObjectNode retries = root.putObject("retry_count");
    retries.put("unit", "count");
    retries.put("avg", summary.retryCount());
    ObjectNode duration = root.putObject("benchmark_duration");
    duration.put("unit", "ms");
    duration.put("avg", summary.benchmarkDurationNanos() / 1e6);
    if (summary.serverCompletionTokens() >= 0 || summary.serverPromptTokens() >= 0) {
      ObjectNode usage = root.putObject("server_usage");
      usage.put("unit", "tokens");
      usage.put("prompt_tokens", summary.serverPromptTokens());
      usage.put("completion_tokens", summary.serverCompletionTokens());
    }
    root.put("interrupted", summary.interrupted());
    // How long the client's event loops were kept from running: token timestamps taken then are
    // late, so a run with "blocked" true has timings that are not to be trusted.
    ObjectNode loopDelay = root.putObject("event_loop_delay");
    loopDelay.put("unit", "ms");
    loopDelay.put("max", summary.maxLoopDelayNanos() / 1e6);
    loopDelay.put("blocked_threshold", RunSummary.LOOP_BLOCKED_NANOS / 1e6);
    loopDelay.put("blocked", summary.loopBlocked());
    root.put("aborted", summary.aborted());
    if (summary.aborted()) {
      root.put("abort_reason", summary.abortReason());
    }
    ServerMetricsExport.addTo(root, result.serverMetrics());
    root.set("input_config", JSON.valueToTree(InputConfig.of(result)));
    return root;
  }

  private static void writeJson(ProfileResult result, Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      JSON.writeValue(out, json(result));
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  /** genai-perf's CSV: the distributions, a blank line, then the run metrics. */
  static String csv(ProfileResult result) {
    CsvRows csv = new CsvRows();
    List<String> header = new ArrayList<>();
    header.add("Metric");
    CSV_STATISTICS.forEach(statistic -> header.add(statistic.key()));
    csv.row(header);
    for (Metric metric : Rows.distributions(result)) {
      MetricStats stats = result.stats(metric);
      List<String> row = new ArrayList<>();
      row.add(Rows.label(metric));
      for (Statistic statistic : CSV_STATISTICS) {
        row.add(String.format(Locale.ROOT, "%,.2f", stats.get(statistic)));
      }
      csv.row(row);
    }
    csv.blankLine();
    csv.row("Metric", "Value");
    for (Rows.RunMetric metric : Rows.runMetrics(result)) {
      csv.row(metric.label(), String.format(Locale.ROOT, "%.2f", metric.value()));
    }
    outcomeRows(csv, result.summary());
    ServerMetricsExport.csv(csv, result.serverMetrics());
    return csv.toString();
  }

  /**
   * What genai-perf's CSV leaves out, after its rows: the failed requests, by kind, the cancelled
   * ones, those cut at the end of the grace period, those the client cancelled on purpose, the
   * requests sent again on a fresh connection, and whether the run was interrupted or stopped as
   * incompatible (and why).
   */
  private static void outcomeRows(CsvRows csv, RunSummary summary) {
    csv.row("Error Count (count)", String.valueOf(summary.errorCount()));
    summary
        .errorsByKind()
        .forEach((kind, count) -> csv.row("Errors: " + kind + " (count)", String.valueOf(count)));
    csv.row("Cancelled Count (count)", String.valueOf(summary.cancelledCount()));
    csv.row("Cut Count (count)", String.valueOf(summary.cutCount()));
    csv.row(
        "Request Cancellation Count (count)", String.valueOf(summary.requestCancellationCount()));
    csv.row("Retry Count (count)", String.valueOf(summary.retryCount()));
    csv.row("Interrupted", String.valueOf(summary.interrupted()));
    csv.row("Aborted", String.valueOf(summary.aborted()));
    if (summary.aborted()) {
      csv.row("Abort Reason", summary.abortReason());
    }
  }

  private static void writeCsv(ProfileResult result, Path file) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(csv(result));
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  private static void writeHistogramLog(ProfileResult result, Metric metric, Path file) {
    try (PrintStream out =
        new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputComment(
          "loadgen "
              + metric.key()
              + ": values in "
              + metric.recordedUnit()
              + " ("
              + metric.scale()
              + " per "
              + metric.unit()
              + "), an interval a second (10 s after the first hour), each holding the requests"
              + " that ended in it");
      writer.outputLogFormatVersion();
      writer.outputStartTime(result.startEpochMillis());
      writer.setBaseTime(result.startEpochMillis());
      writer.outputLegend();
      // One decoded at a time: a long run's intervals are not all held at once.
      for (var histogram : result.intervalHistograms(metric)) {
        histogram.setTag(metric.key());
        writer.outputIntervalHistogram(histogram);
      }
      if (out.checkError()) {
        throw new IOException("write failed");
      }
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  private static ArtifactWriteException failure(Path file, IOException e) {
    if (ArtifactWriteException.outOfOpenFiles(e)) {
      return ArtifactWriteException.outOfOpenFiles(file, e);
    }
    String why =
        e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    return new ArtifactWriteException(file, why, e);
  }
}
