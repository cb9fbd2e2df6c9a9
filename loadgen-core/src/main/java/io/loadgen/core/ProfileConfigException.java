package io.loadgen.core;

/**
 * A profile asks for something impossible or malformed. The message is written for the user: what is
 * wrong and what to pass instead. The CLI exits with status 2 (a usage error).
 */
public final class ProfileConfigException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  public ProfileConfigException(String message) {
    super(message);
  }
}
