package io.loadgen.cli;

/**
 * A config file that cannot be used: not readable, not YAML, an unknown key or a value of the wrong
 * type. The message is one line naming the file and the line; the CLI exits 2.
 */
final class ConfigFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigFileException(String message) {
    super(message);
  }

  /** {@code FILE line N: what}. */
  static ConfigFileException at(java.nio.file.Path file, int line, String what) {
    return new ConfigFileException(file + (line > 0 ? " line " + line : "") + ": " + what);
  }
}
