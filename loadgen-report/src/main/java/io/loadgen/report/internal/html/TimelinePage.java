package io.loadgen.report.internal.html;

import java.util.List;

/** The HTML of a timeline's report: a heading, its text as printed, then its charts. */
public final class TimelinePage {
  private TimelinePage() {}

  /**
   * @param text what the console printed, shown as it is
   * @param charts the charts, in the order to show
   */
  public static String render(
      String title, String heading, String text, List<ReportPage.Chart> charts) {
    StringBuilder out = ReportPage.open(title);
    out.append("<h2>")
        .append(Html.escape(heading))
        .append("</h2>\n<pre id=\"console-table\">")
        .append(Html.escape(text))
        .append("</pre>\n");
    ReportPage.charts(out, charts, "No charts were drawn.");
    out.append("</body>\n</html>\n");
    return out.toString();
  }
}
