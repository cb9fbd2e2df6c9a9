package io.loadgen.report.internal.plots;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The series each chart shows, computed from the run's requests and histograms. */
public final class PlotData {
  /** HdrHistogram's own default for its percentile distribution output: 5 steps per halving. */
  static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

  private PlotData() {}

  /** genai-perf's scatter: x the request's input tokens, y its time to first token (ms). */
  public static Series timeToFirstTokenVsInputLength(List<RequestSample> requests) {
    int count = 0;
    for (RequestSample request : requests) {
      count += request.contentCount() > 0 ? 1 : 0;
    }
    double[] x = new double[count];
    double[] y = new double[count];
    int i = 0;
    for (RequestSample request : requests) {
      if (request.contentCount() > 0) {
        x[i] = request.inputTokens();
        y[i] = request.timeToFirstTokenMillis();
        i++;
      }
    }
    return new Series("Time to first token", x, y);
  }

  /**
   * genai-perf's token-to-token scatter: one point per content response after a request's first, x
   * its position in the output (2 for the second token) and y the time since the one before (ms).
   */
  public static Series tokenToTokenLatencyVsPosition(List<RequestSample> requests) {
    int count = 0;
    for (RequestSample request : requests) {
      count += Math.max(0, request.contentCount() - 1);
    }
    double[] x = new double[count];
    double[] y = new double[count];
    int i = 0;
    for (RequestSample request : requests) {
      for (int token = 1; token < request.contentCount(); token++) {
        x[i] = token + 1;
        y[i] = (request.contentEpochNanos(token) - request.contentEpochNanos(token - 1)) / 1e6;
        i++;
      }
    }
    return new Series("Token-to-token latency", x, y);
  }

  /**
   * Cells per axis of {@link #lengthHeatmap}, at most: genai-perf's heat map is about as coarse.
   */
  static final int HEATMAP_CELLS = 20;

  /**
   * Requests counted in cells of input by output length, as genai-perf's heat map of the two shows
   * them: a cell is a whole number of tokens wide and high, at most {@link #HEATMAP_CELLS} a side,
   * from the shortest length seen on each axis.
   */
  public static Heatmap lengthHeatmap(List<RequestSample> requests) {
    long[] inputs = new long[requests.size()];
    long[] outputs = new long[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      inputs[i] = requests.get(i).inputTokens();
      outputs[i] = requests.get(i).outputTokens();
    }
    Axis x = Axis.of(inputs);
    Axis y = Axis.of(outputs);
    long[] counts = new long[x.cells * y.cells];
    for (int i = 0; i < requests.size(); i++) {
      counts[x.cell(inputs[i]) * y.cells + y.cell(outputs[i])]++;
    }
    return new Heatmap(x.start, x.width, x.cells, y.start, y.width, y.cells, counts);
  }

  /** One axis of the heat map: whole-token cells from the shortest length to the longest. */
  private record Axis(long start, long width, int cells) {
    static Axis of(long[] values) {
      if (values.length == 0) {
        return new Axis(0, 1, 1);
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (long v : values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      long width = Math.max(1, (max - min + HEATMAP_CELLS) / HEATMAP_CELLS);
      return new Axis(min, width, (int) ((max - min) / width) + 1);
    }

    int cell(long value) {
      return (int) ((value - start) / width);
    }
  }

  /**
   * Requests per cell: column {@code c} holds input lengths from {@code xStart + c * xWidth} up to
   * the next column's start, row {@code r} output lengths likewise; {@code counts[c * rows + r]}.
   */
  public record Heatmap(
      long xStart, long xWidth, int columns, long yStart, long yHeight, int rows, long[] counts) {
    public Heatmap {
      if (counts.length != columns * rows) {
        throw new IllegalArgumentException(counts.length + " counts for " + columns + "x" + rows);
      }
      counts = counts.clone();
    }

    public long count(int column, int row) {
      return counts[column * rows + row];
    }

    /** A copy of the counts. */
    @Override
    public long[] counts() {
      return counts.clone();
    }

    public long max() {
      long max = 0;
      for (long c : counts) {
        max = Math.max(max, c);
      }
      return max;
    }

    public long total() {
      long total = 0;
      for (long c : counts) {
        total += c;
      }
      return total;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Heatmap that
          && xStart == that.xStart
          && xWidth == that.xWidth
          && columns == that.columns
          && yStart == that.yStart
          && yHeight == that.yHeight
          && rows == that.rows
          && java.util.Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(xStart, xWidth, columns, yStart, yHeight, rows)
          + 31 * java.util.Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
      return "Heatmap[" + columns + "x" + rows + " cells, " + total() + " requests]";
    }
  }

  /**
   * The percentile curve of a histogram as HdrHistogram's plotter draws it: x is {@code 1 / (1 -
   * p)} (10 at the 90th percentile, 100 at the 99th, so each "nine" takes the same width on a log
   * axis) and y the value at p, divided by {@code scale} (into the displayed unit). The 100th
   * percentile, at infinity, is left out.
   */
  public static Series percentileCurve(String name, Histogram histogram, long scale) {
    int count = 0;
    for (HistogramIterationValue value :
        histogram.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE)) {
      if (value.getPercentileLevelIteratedTo() < 100.0) {
        count++;
      }
    }
    double[] x = new double[count];
    double[] y = new double[count];
    int i = 0;
    for (HistogramIterationValue value :
        histogram.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE)) {
      double percentile = value.getPercentileLevelIteratedTo();
      if (percentile < 100.0 && i < count) {
        x[i] = 1.0 / (1.0 - percentile / 100.0);
        y[i] = (double) value.getValueIteratedTo() / scale;
        i++;
      }
    }
    return new Series(name, x, y);
  }

  /** A box plot's figures of a histogram, in the displayed unit. */
  public record Box(
      double mean, double median, double q1, double q3, double min, double max, long count) {}

  /** The quartiles, mean and extremes of {@code histogram}, each divided by {@code scale}. */
  public static Box box(Histogram histogram, long scale) {
    double s = scale;
    return new Box(
        histogram.getMean() / s,
        histogram.getValueAtPercentile(50) / s,
        histogram.getValueAtPercentile(25) / s,
        histogram.getValueAtPercentile(75) / s,
        histogram.getMinValue() / s,
        histogram.getMaxValue() / s,
        histogram.getTotalCount());
  }
}
