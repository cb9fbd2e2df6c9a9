package io.loadgen.autoscale;

/**
 * An input the autoscaling tools cannot use (a sweep directory without a summary, an SLO that names
 * no metric, a load plan that does not parse), said in one line for the user.
 */
public final class AutoscaleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AutoscaleException(String message) {
    super(message);
  }

  public AutoscaleException(String message, Throwable cause) {
    super(message, cause);
  }
}
