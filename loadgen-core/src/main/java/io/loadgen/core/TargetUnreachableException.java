package io.loadgen.core;

/**
 * The server could not be reached (unknown host, refused connection, timeout) or does not speak the
 * OpenAI API. The CLI exits with status 1 (a run failure).
 */
public final class TargetUnreachableException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  public TargetUnreachableException(String message) {
    super(message);
  }

  public TargetUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
