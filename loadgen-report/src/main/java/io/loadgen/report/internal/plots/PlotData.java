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

  /** One point per request: x its input tokens, y its output tokens. */
  public static Series inputVsOutputLength(List<RequestSample> requests) {
    double[] x = new double[requests.size()];
    double[] y = new double[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      x[i] = requests.get(i).inputTokens();
      y[i] = requests.get(i).outputTokens();
    }
    return new Series("Requests", x, y);
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
