package io.loadgen.report.internal.html;

import java.util.List;

/**
 * A sweep's report as a single HTML page, built as {@link ReportPage} builds a run's (the same
 * head, Content-Security-Policy, styles and embedded charts): whether the sweep was cut, the sweep
 * summary's console table, notes on charts left out, and the charts.
 */
public final class SweepPage {
  private SweepPage() {}

  /**
   * The page.
   *
   * @param title the sweep's name, shown as the page's title and heading
   * @param interruption what to say when the sweep did not run every level to its end; null when it
   *     did
   * @param consoleTable the sweep summary's console table with its notes, preformatted
   * @param notes what to say about charts that were not drawn, in order
   * @param charts the charts, in the order to show
   */
  public static String render(
      String title,
      String interruption,
      String consoleTable,
      List<String> notes,
      List<ReportPage.Chart> charts) {
    StringBuilder out = ReportPage.open(title);
    if (interruption != null) {
      out.append("<p id=\"interrupted\"><strong>")
          .append(Html.escape(interruption))
          .append("</strong></p>\n");
    }
    out.append("<h2>Sweep Summary</h2>\n<pre id=\"console-table\">")
        .append(Html.escape(consoleTable))
        .append("</pre>\n");
    ReportPage.charts(out, charts, "No charts were drawn.");
    for (String note : notes) {
      out.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
    }
    out.append("</body>\n</html>\n");
    return out.toString();
  }
}
