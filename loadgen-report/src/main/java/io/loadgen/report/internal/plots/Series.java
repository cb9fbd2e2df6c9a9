package io.loadgen.report.internal.plots;

import java.util.Arrays;

/**
 * The points of one scatter or line: {@code x[i]} with {@code y[i]}. Arrays rather than point
 * objects, since the token series holds a point per token of the run (a million and more).
 */
public record Series(String name, double[] x, double[] y) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }

  public int size() {
    return x.length;
  }

  public double x(int index) {
    return x[index];
  }

  public double y(int index) {
    return y[index];
  }

  /** A copy of the x values. */
  @Override
  public double[] x() {
    return x.clone();
  }

  /** A copy of the y values. */
  @Override
  public double[] y() {
    return y.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Series that
        && name.equals(that.name)
        && Arrays.equals(x, that.x)
        && Arrays.equals(y, that.y);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + x.length + " points]";
  }
}
