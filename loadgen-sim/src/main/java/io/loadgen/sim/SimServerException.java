package io.loadgen.sim;

/** The simulated server could not start or stop; the message says why, in one line. */
public final class SimServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SimServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
