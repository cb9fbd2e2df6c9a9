package io.loadgen.core;

/**
 * A failure the user can act on. Its message is one line written for the user, never containing a
 * secret (API keys and header values are redacted before any message is built).
 */
public class LoadgenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LoadgenException(String message) {
    super(message);
  }

  public LoadgenException(String message, Throwable cause) {
    super(message, cause);
  }
}
