package io.loadgen.report;

import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.MetricStats;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunSummary;
import io.loadgen.core.Statistic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * genai-perf's console table, "LLM Metrics": Statistic, avg, min, max, p99, p90, p75 for each
 * distribution, then the run metrics with avg only. Failures and cancellations are stated under the
 * table, never hidden.
 */
public final class ConsoleTable {
  private static final List<Statistic> COLUMNS =
      List.of(
          Statistic.AVG, Statistic.MIN, Statistic.MAX, Statistic.P99, Statistic.P90, Statistic.P75);
  private static final String TITLE = "LLM Metrics";
  private static final String NOT_APPLICABLE = "N/A";

  private ConsoleTable() {}

  /** The table and its notes, ending with a newline. */
  public static String render(ProfileResult result) {
    List<List<String>> rows = new ArrayList<>();
    for (Metric metric : Rows.distributions(result)) {
      if (metric.clientDiagnostic()) {
        continue; // genai-perf's table holds the server's figures; the client's own go below it
      }
      MetricStats stats = result.stats(metric);
      List<String> row = new ArrayList<>();
      row.add(Rows.label(metric));
      for (Statistic column : COLUMNS) {
        row.add(stats.count() == 0 ? NOT_APPLICABLE : number(stats.get(column)));
      }
      rows.add(row);
    }
    for (Rows.RunMetric metric : Rows.runMetrics(result)) {
      List<String> row = new ArrayList<>();
      row.add(metric.label());
      row.add(
          metric.integer()
              ? String.format(Locale.ROOT, "%,d", (long) metric.value())
              : number(metric.value()));
      for (int i = 1; i < COLUMNS.size(); i++) {
        row.add(NOT_APPLICABLE);
      }
      rows.add(row);
    }
    List<String> header = new ArrayList<>();
    header.add("Statistic");
    COLUMNS.forEach(column -> header.add(column.key()));
    StringBuilder out = new StringBuilder(table(TITLE, header, rows));
    notes(result.summary(), out);
    if (!result.summary().sessionTurns().isEmpty()) {
      out.append(turnsTable(result.summary().sessionTurns()));
    }
    sendLagLine(result).ifPresent(line -> out.append(line).append('\n'));
    slotWaitLine(result).ifPresent(line -> out.append(line).append('\n'));
    ServerMetricsExport.consoleLine(result.serverMetrics())
        .ifPresent(line -> out.append(line).append('\n'));
    return out.toString();
  }

  /** The client's own send lag, which every latency above includes. */
  static java.util.Optional<String> sendLagLine(ProfileResult result) {
    MetricStats lag = result.stats(Metric.SEND_LAG);
    if (lag.count() == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            Locale.ROOT,
            "Client send lag (intended send to last byte written): p50 %s ms, p99 %s ms, max %s ms",
            number(lag.get(Statistic.P50)),
            number(lag.get(Statistic.P99)),
            number(lag.get(Statistic.MAX))));
  }

  /** A sessions run's figures by turn number: the growing prompt and what it does to TTFT. */
  static String turnsTable(List<io.loadgen.core.TurnStats> turns) {
    List<List<String>> rows = new ArrayList<>();
    for (io.loadgen.core.TurnStats turn : turns) {
      rows.add(
          List.of(
              String.valueOf(turn.turn()),
              String.valueOf(turn.requests()),
              number(turn.inputSequenceLengthAvg()),
              orNa(turn.timeToFirstTokenP50Millis()),
              orNa(turn.timeToFirstTokenP99Millis()),
              orNa(turn.requestLatencyP50Millis()),
              orNa(turn.requestLatencyP99Millis())));
    }
    return table(
        "Session Turns (ms)",
        List.of(
            "Turn", "Requests", "ISL avg", "TTFT p50", "TTFT p99", "Latency p50", "Latency p99"),
        rows);
  }

  private static String orNa(double value) {
    return Double.isNaN(value) ? NOT_APPLICABLE : number(value);
  }

  /** A capped open loop's wait for slots, which every latency above includes. */
  static java.util.Optional<String> slotWaitLine(ProfileResult result) {
    if (!(result.profile().load().mode() instanceof LoadMode.RequestRate rate && rate.capped())) {
      return java.util.Optional.empty();
    }
    MetricStats wait = result.stats(Metric.SLOT_WAIT);
    if (wait.count() == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            Locale.ROOT,
            "Slot wait (arrivals held by --concurrency %d; in every latency above): p50 %s ms,"
                + " p99 %s ms, max %s ms",
            rate.maxConcurrency(),
            number(wait.get(Statistic.P50)),
            number(wait.get(Statistic.P99)),
            number(wait.get(Statistic.MAX))));
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%,.2f", value);
  }

  /** A table in genai-perf's (rich's) style: a centred title, a header row, right-aligned cells. */
  static String table(String title, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    int total = 1;
    for (int width : widths) {
      total += width + 3;
    }
    int pad = Math.max(0, (total - title.length()) / 2);
    out.append(" ".repeat(pad)).append(title).append('\n');
    out.append(border('┏', '━', '┳', '┓', widths));
    out.append(line('┃', header, widths));
    out.append(border('┡', '━', '╇', '┩', widths));
    for (List<String> row : rows) {
      out.append(line('│', row, widths));
    }
    out.append(border('└', '─', '┴', '┘', widths));
    return out.toString();
  }

  private static String border(char left, char fill, char cross, char right, int[] widths) {
    StringBuilder line = new StringBuilder().append(left);
    for (int c = 0; c < widths.length; c++) {
      line.append(String.valueOf(fill).repeat(widths[c] + 2))
          .append(c == widths.length - 1 ? right : cross);
    }
    return line.append('\n').toString();
  }

  private static String line(char edge, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder().append(edge);
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      line.append(' ')
          .append(" ".repeat(widths[c] - cell.length()))
          .append(cell)
          .append(' ')
          .append(edge);
    }
    return line.append('\n').toString();
  }

  private static void notes(RunSummary summary, StringBuilder out) {
    if (summary.errorCount() > 0) {
      long sent = summary.requestCount() + summary.errorCount();
      String kinds =
          summary.errorsByKind().entrySet().stream()
              .map(e -> e.getKey() + ": " + e.getValue())
              .collect(Collectors.joining(", "));
      out.append(
          String.format(
              Locale.ROOT,
              "Errors: %d of %d requests failed (%s); they are not in the figures above.%n",
              summary.errorCount(),
              sent,
              kinds));
    }
    if (summary.retryCount() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "Retries: %d requests were sent again on a fresh connection (the server had closed the"
                  + " kept-alive one before answering); their latencies count from the first send.%n",
              summary.retryCount()));
    }
    if (summary.requestCancellationCount() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "Cancelled on purpose: %d requests were abandoned by the client, as asked; they are"
                  + " neither successes nor errors, and their partial timings are only in the raw"
                  + " export.%n",
              summary.requestCancellationCount()));
    }
    if (summary.cutCount() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "Cut: %d requests were still in flight when the grace period after the benchmark"
                  + " duration ran out; they were closed and are neither successes nor errors.%n",
              summary.cutCount()));
    }
    if (summary.cancelledCount() > 0 || summary.interrupted()) {
      out.append(
          String.format(
              Locale.ROOT,
              "Interrupted: %d requests in flight were cancelled; the figures cover the %d that finished.%n",
              summary.cancelledCount(),
              summary.requestCount()));
    }
    if (summary.loopBlocked()) {
      out.append(
          String.format(
              Locale.ROOT,
              "Warning: a client event loop was blocked for %s ms (over %d ms): tokens that arrived"
                  + " meanwhile were timed late, so the timings above are suspect"
                  + " (event_loop_delay in the JSON export).%n",
              number(summary.maxLoopDelayNanos() / 1e6),
              RunSummary.LOOP_BLOCKED_NANOS / 1_000_000));
    }
    if (summary.aborted()) {
      out.append("Stopped: ").append(summary.abortReason()).append('\n');
    }
    if (summary.serverCompletionTokens() >= 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "Server usage: %,d prompt and %,d completion tokens reported.%n",
              Math.max(0, summary.serverPromptTokens()),
              summary.serverCompletionTokens()));
    }
  }
}
