package io.loadgen.core;

/**
 * Something a run met while it went that its user should hear of then, not only in the result: for
 * example, that the server stopped sending and requests are being failed as timed out. Each kind is
 * said at most once per run, so a listener may print every one.
 *
 * @param setting the {@link Profile} setting that governs what happened (e.g. {@code
 *     requestTimeout}), for a caller to name in its own terms, as a CLI names its flag; null when
 *     no setting does
 * @param message one line for the user, without the setting's name
 */
public record RunWarning(String setting, String message) {
  public RunWarning {
    java.util.Objects.requireNonNull(message, "message");
  }
}
