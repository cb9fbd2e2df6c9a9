package io.loadgen.report.internal.html;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One run's report as a single HTML page that opens from disk with no network: the console table,
 * the errors by kind, the settings and the charts. Every text is escaped ({@link Html}); the
 * Content-Security-Policy lets the page load nothing but its own inline styles and {@code data:}
 * images, so a browser refuses any outside reference rather than fetching it.
 */
public final class ReportPage {
  /** A chart to embed: its file name (the caption) and its PNG bytes. */
  public record Chart(String name, byte[] png) {}

  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em;color:#222}"
          + "pre{font-family:monospace;background:#f6f6f6;padding:1em;overflow-x:auto}"
          + "table{border-collapse:collapse}"
          + "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}"
          + "td.value{font-family:monospace;white-space:pre-wrap}"
          + "figure{display:inline-block;margin:0 1em 1em 0}"
          + "img{max-width:100%;border:1px solid #ddd}";

  private ReportPage() {}

  /**
   * The page.
   *
   * @param title the run's name, shown as the page's title and heading
   * @param consoleTable the console table with its notes, shown as preformatted text
   * @param errorsByKind the failed requests counted by kind, in the order to show
   * @param settings the run's settings, each value already written as text
   * @param charts the charts, in the order to show; empty when none were drawn
   * @param noChartsNote what to say when {@code charts} is empty
   */
  public static String render(
      String title,
      String consoleTable,
      Map<String, Long> errorsByKind,
      Map<String, String> settings,
      List<Chart> charts,
      String noChartsNote) {
    StringBuilder out = open(title);
    out.append("<h2>LLM Metrics</h2>\n<pre id=\"console-table\">")
        .append(Html.escape(consoleTable))
        .append("</pre>\n<h2>Errors by kind</h2>\n");
    if (errorsByKind.isEmpty()) {
      out.append("<p id=\"errors\">No request failed.</p>\n");
    } else {
      out.append("<table id=\"errors\">\n<tr><th>Kind</th><th>Requests</th></tr>\n");
      errorsByKind.forEach(
          (kind, count) -> row(out, Html.escape(kind), String.valueOf(count), false));
      out.append("</table>\n");
    }
    charts(out, charts, noChartsNote);
    out.append("<h2>Settings</h2>\n<table id=\"settings\">\n")
        .append("<tr><th>Setting</th><th>Value</th></tr>\n");
    settings.forEach((key, value) -> row(out, Html.escape(key), Html.escape(value), true));
    out.append("</table>\n</body>\n</html>\n");
    return out.toString();
  }

  /**
   * Opens a page: the doctype, the Content-Security-Policy, the title, the styles and the heading.
   */
  static StringBuilder open(String title) {
    StringBuilder out = new StringBuilder(4096);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" img-src data:; style-src 'unsafe-inline'\">\n")
        .append("<title>loadgen report: ")
        .append(Html.escape(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(Html.escape(title))
        .append("</h1>\n");
    return out;
  }

  /** The charts' section: each chart a figure with its PNG as a {@code data:} URI. */
  static void charts(StringBuilder out, List<Chart> charts, String noChartsNote) {
    out.append("<h2>Charts</h2>\n");
    if (charts.isEmpty()) {
      out.append("<p id=\"no-charts\">").append(Html.escape(noChartsNote)).append("</p>\n");
    }
    Base64.Encoder base64 = Base64.getEncoder();
    for (Chart chart : charts) {
      String name = Html.escape(chart.name());
      out.append("<figure><img alt=\"")
          .append(name)
          .append("\" src=\"data:image/png;base64,")
          .append(base64.encodeToString(chart.png()))
          .append("\"><figcaption>")
          .append(name)
          .append("</figcaption></figure>\n");
    }
  }

  private static void row(StringBuilder out, String name, String value, boolean code) {
    out.append("<tr><td>")
        .append(name)
        .append(code ? "</td><td class=\"value\">" : "</td><td>")
        .append(value)
        .append("</td></tr>\n");
  }
}
