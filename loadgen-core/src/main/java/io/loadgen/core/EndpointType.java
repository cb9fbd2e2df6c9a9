package io.loadgen.core;

import java.util.Locale;

/** The OpenAI-compatible APIs loadgen can drive, with the path genai-perf uses for each. */
public enum EndpointType {
  /** {@code POST /v1/chat/completions}: the prompt goes in one user message. */
  CHAT("v1/chat/completions"),
  /** {@code POST /v1/completions}: the prompt goes in {@code prompt}. */
  COMPLETIONS("v1/completions"),
  /**
   * {@code POST /v1/embeddings} (OpenAI's, as vLLM, TEI and NIM serve it): {@code
   * --batch-size-text} texts go in {@code input}, and the answer is one whole body, never streamed.
   */
  EMBEDDINGS("v1/embeddings"),
  /**
   * {@code POST /v1/ranking} (NIM's reranking API, as genai-perf drives it): a {@code query.text}
   * and {@code --batch-size-text} {@code passages}; one whole body back, never streamed.
   */
  RANKINGS("v1/ranking");

  private final String defaultPath;

  EndpointType(String defaultPath) {
    this.defaultPath = defaultPath;
  }

  /** The path below the server's base URL, without a leading slash, as genai-perf writes it. */
  public String defaultPath() {
    return defaultPath;
  }

  /**
   * Whether the endpoint generates tokens (chat, completions): only then are there output lengths,
   * token timings and token throughputs; embeddings and rankings have request latency and
   * throughput.
   */
  public boolean generative() {
    return this == CHAT || this == COMPLETIONS;
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
        "endpointType",
        "'" + name + "' is unknown: loadgen supports chat, completions, embeddings and rankings");
  }
}
