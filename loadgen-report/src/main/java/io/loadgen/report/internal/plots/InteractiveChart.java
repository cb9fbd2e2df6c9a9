package io.loadgen.report.internal.plots;

import java.util.List;

/**
 * What an interactive chart page shows: its title, axis labels and series, and the kind of chart,
 * which chooses how the page draws them.
 *
 * @param title the page's and the chart's title
 * @param kind points only, a percentile curve, lines over time, or a box plot
 * @param xLabel the x axis's label
 * @param yLabel the left y axis's label
 * @param rightYLabel the right y axis's label, empty when no trace uses it
 * @param traces the series drawn, each against the left or the right y axis
 * @param heatmap the cells of a {@link Kind#HEATMAP}, null for every other kind
 */
public record InteractiveChart(
    String title,
    Kind kind,
    String xLabel,
    String yLabel,
    String rightYLabel,
    List<Trace> traces,
    PlotData.Heatmap heatmap) {

  public InteractiveChart {
    traces = List.copyOf(traces);
    if ((kind == Kind.HEATMAP) != (heatmap != null)) {
      throw new IllegalArgumentException("a heat map, and only a heat map, has cells");
    }
  }

  /** A chart of series, no heat map. */
  public InteractiveChart(
      String title,
      Kind kind,
      String xLabel,
      String yLabel,
      String rightYLabel,
      List<Trace> traces) {
    this(title, kind, xLabel, yLabel, rightYLabel, traces, null);
  }

  /** Requests counted by cell of x and y, each cell shaded by its count. */
  public static InteractiveChart heatmap(
      String title, String xLabel, String yLabel, PlotData.Heatmap heatmap) {
    return new InteractiveChart(title, Kind.HEATMAP, xLabel, yLabel, "", List.of(), heatmap);
  }

  /** A chart with one y axis. */
  public static InteractiveChart of(
      String title, Kind kind, String xLabel, String yLabel, Series... series) {
    return new InteractiveChart(
        title,
        kind,
        xLabel,
        yLabel,
        "",
        java.util.Arrays.stream(series).map(s -> new Trace(s, false)).toList());
  }

  /** How the page draws the series. */
  public enum Kind {
    /** Points only, no lines: one per request or per token, in no particular x order. */
    SCATTER,
    /** A line against a log x axis of {@code 1 / (1 - p)}, labelled 90%, 99%, 99.9%. */
    PERCENTILES,
    /** Lines against a linear x axis; a missing value (NaN) leaves a gap. */
    LINES,
    /**
     * One box and whiskers, from six one-point series in this order: minimum, 25th percentile,
     * median, 75th percentile, maximum, mean (see {@link #box}).
     */
    BOX,
    /** Cells shaded by the requests counted in each, from {@link #heatmap()}; no series. */
    HEATMAP
  }

  /** The figures of the box shown by this chart, in the order {@link Kind#BOX} draws them. */
  public static InteractiveChart box(String title, String xLabel, String yLabel, PlotData.Box box) {
    return of(
        title,
        Kind.BOX,
        xLabel,
        yLabel,
        figure("Minimum", box.min()),
        figure("25th percentile", box.q1()),
        figure("Median", box.median()),
        figure("75th percentile", box.q3()),
        figure("Maximum", box.max()),
        figure("Mean", box.mean()));
  }

  private static Series figure(String name, double value) {
    return new Series(name, new double[] {0}, new double[] {value});
  }

  /** One series and the y axis it is drawn against. */
  public record Trace(Series series, boolean rightAxis) {}
}
