package io.loadgen.core;

import java.util.Locale;

/** The OpenAI-compatible APIs loadgen can drive, with the path genai-perf uses for each. */
public enum EndpointType {
  /** {@code POST /v1/chat/completions}: the prompt goes in one user message. */
  CHAT("v1/chat/completions"),
  /** {@code POST /v1/completions}: the prompt goes in {@code prompt}. */
  COMPLETIONS("v1/completions");

  private final String defaultPath;

  EndpointType(String defaultPath) {
    this.defaultPath = defaultPath;
  }

  /** The path below the server's base URL, without a leading slash, as genai-perf writes it. */
  public String defaultPath() {
    return defaultPath;
  }

  /** The name used on the command line and in artifact names: {@code chat}, {@code completions}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The endpoint type a user named on the command line.
   *
   * @throws ProfileConfigException for any other name
   */
  public static EndpointType fromCliName(String name) {
    for (EndpointType type : values()) {
      if (type.cliName().equals(name)) {
        return type;
      }
    }
    throw new ProfileConfigException(
        "endpointType", "'" + name + "' is unknown: loadgen supports chat and completions");
  }
}
