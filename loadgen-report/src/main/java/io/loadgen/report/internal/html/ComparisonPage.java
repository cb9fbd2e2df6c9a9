package io.loadgen.report.internal.html;

import java.util.List;

/**
 * A comparison of runs as a single HTML page, built as {@link ReportPage} builds a run's (the same
 * head, Content-Security-Policy, styles and embedded charts): which folder each run is, the
 * side-by-side console table, and the overlaid charts.
 */
public final class ComparisonPage {
  private ComparisonPage() {}

  /**
   * The page.
   *
   * @param runs each run's folder, the first the baseline
   * @param consoleTable the comparison's console table, preformatted
   * @param charts the overlaid charts, in the order to show
   */
  public static String render(
      List<String> runs, String consoleTable, List<ReportPage.Chart> charts) {
    StringBuilder out = ReportPage.open("Comparison of " + runs.size() + " runs");
    out.append("<h2>Runs</h2>\n<ol id=\"runs\">\n");
    for (String run : runs) {
      out.append("<li><code>").append(Html.escape(run)).append("</code></li>\n");
    }
    out.append("</ol>\n<h2>Metrics</h2>\n<pre id=\"console-table\">")
        .append(Html.escape(consoleTable))
        .append("</pre>\n");
    ReportPage.charts(out, charts, "No charts were drawn: no run had a latency log.");
    out.append("</body>\n</html>\n");
    return out.toString();
  }
}
