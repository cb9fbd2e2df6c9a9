package io.loadgen.report.internal.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYDotRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the run's charts with JFreeChart and writes them as PNG. Pure drawing: what is drawn comes
 * from {@link PlotData}. Needs no display ({@code java.awt.headless=true}): JFreeChart paints into
 * an image in memory.
 */
public final class Charts {
  // First, before any drawing class is touched: every chart (a run's, a sweep's, a comparison's)
  // is drawn here, so this is the one place that says no display is needed.
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  public static final int WIDTH = 1000;
  public static final int HEIGHT = 600;

  private static final Color POINTS = new Color(31, 119, 180, 110);
  private static final Color LINE = new Color(31, 119, 180);
  private static final Color BOX = new Color(31, 119, 180, 160);

  private Charts() {}

  /**
   * A box plot of one metric: the box from the 25th to the 75th percentile with the median, the
   * whiskers at the smallest and largest values, the count and mean written under it.
   */
  public static JFreeChart box(String title, String valueLabel, PlotData.Box box) {
    DefaultBoxAndWhiskerCategoryDataset dataset = new DefaultBoxAndWhiskerCategoryDataset();
    dataset.add(
        new BoxAndWhiskerItem(
            box.mean(),
            box.median(),
            box.q1(),
            box.q3(),
            box.min(),
            box.max(),
            box.min(),
            box.max(),
            List.of()),
        title,
        String.format(Locale.ROOT, "%d requests, mean %.2f", box.count(), box.mean()));
    JFreeChart chart = ChartFactory.createBoxAndWhiskerChart(title, "", valueLabel, dataset, false);
    BoxAndWhiskerRenderer renderer = (BoxAndWhiskerRenderer) chart.getCategoryPlot().getRenderer();
    renderer.setMaximumBarWidth(0.12);
    renderer.setSeriesPaint(0, BOX);
    // JFreeChart draws the mean as a disc as wide as the box, which hides the box: it is written
    // under the box instead.
    renderer.setMeanVisible(false);
    return styled(chart);
  }

  /** A scatter of one point per value pair, translucent so that dense regions show darker. */
  public static JFreeChart scatter(String title, String xLabel, String yLabel, Series series) {
    DefaultXYDataset dataset = new DefaultXYDataset();
    dataset.addSeries(series.name(), new double[][] {series.x(), series.y()});
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    // Squares filled straight into the image: 1.5 million points (1,000 streams of 1,500 tokens)
    // drew in 0.66 s so, against 7.4 s as shapes through the generic renderer.
    XYDotRenderer renderer = new XYDotRenderer();
    renderer.setDotWidth(4);
    renderer.setDotHeight(4);
    renderer.setSeriesPaint(0, POINTS);
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return styled(chart);
  }

  /**
   * A heat map of requests by input and output length, as genai-perf draws that distribution: each
   * cell shaded by how many requests fell in it, from white to dark blue, with the scale beside.
   */
  public static JFreeChart heatmap(
      String title, String xLabel, String yLabel, PlotData.Heatmap heatmap) {
    int cells = 0;
    for (long count : heatmap.counts()) {
      cells += count > 0 ? 1 : 0;
    }
    double[][] xyz = new double[3][cells];
    int i = 0;
    for (int column = 0; column < heatmap.columns(); column++) {
      for (int row = 0; row < heatmap.rows(); row++) {
        long count = heatmap.count(column, row);
        if (count > 0) {
          xyz[0][i] = heatmap.xStart() + (double) column * heatmap.xWidth();
          xyz[1][i] = heatmap.yStart() + (double) row * heatmap.yHeight();
          xyz[2][i] = count;
          i++;
        }
      }
    }
    DefaultXYZDataset dataset = new DefaultXYZDataset();
    dataset.addSeries("requests", xyz);
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setBlockWidth(heatmap.xWidth());
    renderer.setBlockHeight(heatmap.yHeight());
    renderer.setBlockAnchor(RectangleAnchor.BOTTOM_LEFT);
    BluesPaintScale scale = new BluesPaintScale(Math.max(1, heatmap.max()));
    renderer.setPaintScale(scale);
    // A cell's margin on each side, so that a run of one length (a cell alone) still shows edges.
    NumberAxis x = new NumberAxis(xLabel);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setRange(
        heatmap.xStart() - heatmap.xWidth(),
        heatmap.xStart() + (heatmap.columns() + 1.0) * heatmap.xWidth());
    NumberAxis y = new NumberAxis(yLabel);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setRange(
        heatmap.yStart() - heatmap.yHeight(),
        heatmap.yStart() + (heatmap.rows() + 1.0) * heatmap.yHeight());
    XYPlot plot = new XYPlot(dataset, x, y, renderer);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    NumberAxis countAxis = new NumberAxis("Requests");
    countAxis.setRange(0, scale.getUpperBound());
    countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    PaintScaleLegend legend = new PaintScaleLegend(scale, countAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(8, 8, 8, 8);
    chart.addSubtitle(legend);
    return styled(chart);
  }

  /**
   * White at zero to dark blue at the most requests a cell holds (ColorBrewer's Blues ends).
   * JFreeChart ships only a grey scale and stepped lookups, hence this one interpolation.
   */
  static final class BluesPaintScale implements PaintScale {
    private final double upper;

    BluesPaintScale(double upper) {
      this.upper = upper;
    }

    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return upper;
    }

    @Override
    public java.awt.Paint getPaint(double value) {
      double f = Math.max(0, Math.min(1, value / upper));
      return new Color(
          (int) Math.round(247 + (8 - 247) * f),
          (int) Math.round(251 + (48 - 251) * f),
          (int) Math.round(255 + (107 - 255) * f));
    }
  }

  /**
   * A percentile curve: x on a log scale of {@code 1 / (1 - p)}, labelled as the percentile (90%,
   * 99%, 99.9%), y the metric's value.
   */
  public static JFreeChart percentiles(String title, String valueLabel, Series curve) {
    DefaultXYDataset dataset = new DefaultXYDataset();
    dataset.addSeries(curve.name(), new double[][] {curve.x(), curve.y()});
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "Percentile",
            valueLabel,
            dataset,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(percentileAxis());
    plot.getRenderer().setSeriesPaint(0, LINE);
    return styled(chart);
  }

  /**
   * Several runs' percentile curves of one metric on one chart, as {@link #percentiles(String,
   * String, Series)} draws one, a line per run in its own colour, named in the legend.
   */
  public static JFreeChart percentiles(String title, String valueLabel, List<Series> curves) {
    DefaultXYDataset dataset = new DefaultXYDataset();
    for (Series curve : curves) {
      dataset.addSeries(curve.name(), new double[][] {curve.x(), curve.y()});
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "Percentile", valueLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(percentileAxis());
    for (int i = 0; i < curves.size(); i++) {
      plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
    }
    return styled(chart);
  }

  private static LogAxis percentileAxis() {
    LogAxis percentile = new LogAxis("Percentile");
    percentile.setBase(10);
    percentile.setSmallestValue(1);
    // One tick per "nine" (1, 10, 100... in 1 / (1 - p)): the exponent steps by one.
    percentile.setTickUnit(new NumberTickUnit(1), false, true);
    percentile.setMinorTickMarksVisible(false);
    percentile.setNumberFormatOverride(new PercentileFormat());
    return percentile;
  }

  /**
   * The server's state over the run, one pane above the other on a shared time axis: the KV-cache
   * usage (%), and the requests running and waiting on the server beside those the client had in
   * flight. A line per replica; the client's line once, from the first replica's scrapes (each
   * scrape records the client's whole state). A gauge the server lacks has no line.
   */
  public static JFreeChart serverMetrics(List<ServerSeries> replicas) {
    XYSeriesCollection kv = new XYSeriesCollection();
    XYSeriesCollection counts = new XYSeriesCollection();
    boolean several = replicas.size() > 1;
    for (int r = 0; r < replicas.size(); r++) {
      ServerSeries replica = replicas.get(r);
      String suffix = several ? " (replica " + (r + 1) + ")" : "";
      addLine(kv, "KV-cache usage" + suffix, replica.seconds(), replica.kvCacheUsagePercent());
      addLine(counts, "running" + suffix, replica.seconds(), replica.running());
      addLine(counts, "waiting" + suffix, replica.seconds(), replica.waiting());
    }
    if (!replicas.isEmpty()) {
      ServerSeries first = replicas.get(0);
      addLine(counts, "client in flight", first.seconds(), first.clientInFlight());
    }
    NumberAxis time = new NumberAxis("Time since the run's start (s)");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);
    NumberAxis kvAxis = new NumberAxis("KV-cache usage (%)");
    kvAxis.setAutoRangeIncludesZero(true);
    plot.add(new XYPlot(kv, null, kvAxis, lines(kv)), 1);
    NumberAxis countAxis = new NumberAxis("Requests");
    countAxis.setAutoRangeIncludesZero(true);
    countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.add(new XYPlot(counts, null, countAxis, lines(counts)), 1);
    for (Object subplot : plot.getSubplots()) {
      XYPlot xy = (XYPlot) subplot;
      xy.setBackgroundPaint(Color.WHITE);
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    JFreeChart chart =
        new JFreeChart("Server Metrics over Time", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Lines two pixels wide, each quantity in its own colour whichever replica it is of. */
  private static XYLineAndShapeRenderer lines(XYSeriesCollection collection) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < collection.getSeriesCount(); i++) {
      String name = collection.getSeriesKey(i).toString();
      Color colour =
          name.startsWith("running")
              ? new Color(255, 127, 14)
              : name.startsWith("waiting")
                  ? new Color(214, 39, 40)
                  : name.startsWith("client") ? new Color(44, 160, 44) : LINE;
      renderer.setSeriesPaint(i, colour);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return renderer;
  }

  /** A line of the points whose value is known; none when the gauge was never there. */
  private static void addLine(XYSeriesCollection collection, String name, double[] x, double[] y) {
    XYSeries series = new XYSeries(name, false, true);
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(y[i])) {
        series.add(x[i], y[i]);
      }
    }
    if (series.getItemCount() > 0) {
      collection.addSeries(series);
    }
  }

  /**
   * Lines through one point per load level, a line per series (a percentile), each point marked,
   * named in the legend: a sweep's latency against its levels.
   */
  public static JFreeChart levels(String title, String xLabel, String yLabel, List<Series> lines) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (Series line : lines) {
      dataset.addSeries(xySeries(line));
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < lines.size(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    return styled(chart);
  }

  /**
   * One line through the points in order, each point marked and labelled with {@code labels[i]}:
   * throughput against latency, a point per load level, where the knee of the curve shows.
   */
  public static JFreeChart labelled(
      String title, String xLabel, String yLabel, Series points, List<String> labels) {
    if (labels.size() != points.size()) {
      throw new IllegalArgumentException(
          points.size() + " points but " + labels.size() + " labels");
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(xySeries(points));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, false, false, false);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, LINE);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    renderer.setDefaultItemLabelGenerator((data, series, item) -> labels.get(item));
    renderer.setDefaultItemLabelsVisible(true);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return styled(chart);
  }

  /**
   * Points (a series each, marked, not joined) with a fitted line through them, and a vertical
   * marker at {@code markerX} labelled {@code markerLabel} (none when {@code markerX} is NaN): a
   * sweep's KV-cache usage against requests in flight, the fit and where it reaches the target.
   */
  public static JFreeChart fitted(
      String title,
      String xLabel,
      String yLabel,
      List<Series> points,
      Series fit,
      double markerX,
      String markerLabel) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    for (Series series : points) {
      dataset.addSeries(xySeries(series));
    }
    dataset.addSeries(xySeries(fit));
    int fitIndex = points.size();
    renderer.setSeriesLinesVisible(fitIndex, true);
    renderer.setSeriesShapesVisible(fitIndex, false);
    renderer.setSeriesStroke(
        fitIndex,
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
    if (!Double.isNaN(markerX)) {
      ValueMarker marker = new ValueMarker(markerX, Color.GRAY, new BasicStroke(1.5f));
      marker.setLabel(markerLabel);
      marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      plot.addDomainMarker(marker);
    }
    return styled(chart);
  }

  private static XYSeries xySeries(Series points) {
    XYSeries series = new XYSeries(points.name(), false, true);
    for (int i = 0; i < points.size(); i++) {
      series.add(points.x(i), points.y(i));
    }
    return series;
  }

  /** {@code chart} as the bytes of a PNG image, for a page that embeds it. */
  public static byte[] png(JFreeChart chart) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    return out.toByteArray();
  }

  /** Writes {@code chart} to {@code file} as a PNG image. */
  public static void writePng(JFreeChart chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    }
  }

  private static JFreeChart styled(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot category) {
      category.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    return chart;
  }

  /**
   * Labels a tick at {@code 1 / (1 - p)} with p as a percentage: 10 is "90%", 1000 "99.9%". Only
   * formats; the axis never parses.
   */
  static final class PercentileFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double number, StringBuffer out, FieldPosition position) {
      double percent = 100.0 * (1.0 - 1.0 / number);
      // As many decimals as the nines need: 99.9 for 1000, 99.99 for 10000.
      int decimals = Math.max(0, (int) Math.ceil(Math.log10(number)) - 2);
      return out.append(String.format(Locale.ROOT, "%." + decimals + "f%%", percent));
    }

    @Override
    public StringBuffer format(long number, StringBuffer out, FieldPosition position) {
      return format((double) number, out, position);
    }

    @Override
    public Number parse(String source, ParsePosition position) {
      throw new UnsupportedOperationException("percentile labels are not parsed");
    }
  }
}
