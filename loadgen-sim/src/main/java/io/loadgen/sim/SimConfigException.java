package io.loadgen.sim;

/**
 * A simulator setting is impossible or malformed: an unknown preset, a number out of range, an
 * overrides file that cannot be read, or a model that does not fit on the GPUs asked for. The
 * message is written for the user: the setting, what is wrong with it and what to give instead. The
 * CLI exits with status 2 (a usage error).
 *
 * <p>It is an {@link IllegalArgumentException}, as a bad argument to a builder or record of this
 * package is, so callers that catch that keep working; the CLI tells it apart from one thrown by a
 * bug.
 */
public final class SimConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SimConfigException(String message) {
    super(message);
  }

  public SimConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
