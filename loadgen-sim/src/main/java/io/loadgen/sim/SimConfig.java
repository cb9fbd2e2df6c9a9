package io.loadgen.sim;

import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * How a simulated server behaves: where it listens and its timing model. Immutable; start from a
 * {@link #preset(String)} or {@link #builder()}.
 *
 * <p>Timing: token {@code k} (from 0) of a request is due at arrival + {@code timeToFirstToken +
 * prefillPerPromptToken x prompt tokens} + {@code k x interTokenInterval}. Outputs are
 * {@code max_tokens} long with {@code ignore_eos}; otherwise their length is drawn, seeded, from a
 * Normal distribution and kept within [{@code min_tokens}, {@code max_tokens}].
 */
public final class SimConfig {
  /** The presets {@link #preset(String)} knows. */
  public static final List<String> PRESETS = List.of("default");

  private final String host;
  private final int port;
  private final long seed;
  private final String modelName;
  private final long timeToFirstTokenNanos;
  private final long prefillNanosPerPromptToken;
  private final long interTokenIntervalNanos;
  private final int defaultMaxTokens;
  private final double outputLengthMean;
  private final double outputLengthStddev;
  private final ToIntFunction<String> promptTokenCounter;
  private final TokenSendListener tokenSendListener;

  private SimConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.seed = b.seed;
    this.modelName = b.modelName;
    this.timeToFirstTokenNanos = b.timeToFirstTokenNanos;
    this.prefillNanosPerPromptToken = b.prefillNanosPerPromptToken;
    this.interTokenIntervalNanos = b.interTokenIntervalNanos;
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.outputLengthMean = b.outputLengthMean;
    this.outputLengthStddev = b.outputLengthStddev;
    this.promptTokenCounter = b.promptTokenCounter;
    this.tokenSendListener = b.tokenSendListener;
  }

  /** A builder with the defaults of the {@code default} preset. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding a named preset.
   *
   * <p>{@code default}: small and fast, for first runs and tests: 20 ms to the first token plus
   * 0.01 ms per prompt token, then a token every 10 ms; 256 tokens when the request sets no
   * {@code max_tokens}; without {@code ignore_eos}, outputs of 128 ± 32 tokens.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Builder preset(String name) {
    if ("default".equals(name)) {
      return new Builder();
    }
    throw new IllegalArgumentException(
        "unknown simulator preset '" + name + "': use one of " + String.join(", ", PRESETS));
  }

  public String host() {
    return host;
  }

  /** The port to listen on; 0 for a free one. */
  public int port() {
    return port;
  }

  public long seed() {
    return seed;
  }

  /** The model /v1/models lists; requests naming any model are served and echoed. */
  public String modelName() {
    return modelName;
  }

  public long timeToFirstTokenNanos() {
    return timeToFirstTokenNanos;
  }

  public long prefillNanosPerPromptToken() {
    return prefillNanosPerPromptToken;
  }

  public long interTokenIntervalNanos() {
    return interTokenIntervalNanos;
  }

  public int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  public double outputLengthMean() {
    return outputLengthMean;
  }

  public double outputLengthStddev() {
    return outputLengthStddev;
  }

  /** Counts a prompt's tokens, for {@code usage} and for prefill time. */
  public ToIntFunction<String> promptTokenCounter() {
    return promptTokenCounter;
  }

  /** Sees every token sent, or null. */
  public TokenSendListener tokenSendListener() {
    return tokenSendListener;
  }

  /** Builds a {@link SimConfig}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private long seed;
    private String modelName = "loadgen-sim";
    private long timeToFirstTokenNanos = 20_000_000;
    private long prefillNanosPerPromptToken = 10_000;
    private long interTokenIntervalNanos = 10_000_000;
    private int defaultMaxTokens = 256;
    private double outputLengthMean = 128;
    private double outputLengthStddev = 32;
    private ToIntFunction<String> promptTokenCounter = ApproximateTokens::count;
    private TokenSendListener tokenSendListener;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder modelName(String modelName) {
      this.modelName = Objects.requireNonNull(modelName);
      return this;
    }

    public Builder timeToFirstTokenNanos(long nanos) {
      this.timeToFirstTokenNanos = nonNegative("time to first token", nanos);
      return this;
    }

    public Builder prefillNanosPerPromptToken(long nanos) {
      this.prefillNanosPerPromptToken = nonNegative("prefill time per prompt token", nanos);
      return this;
    }

    public Builder interTokenIntervalNanos(long nanos) {
      this.interTokenIntervalNanos = nonNegative("inter-token interval", nanos);
      return this;
    }

    public Builder defaultMaxTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("default max tokens must be at least 1, got " + tokens);
      }
      this.defaultMaxTokens = tokens;
      return this;
    }

    /** The output length distribution for requests without {@code ignore_eos}. */
    public Builder outputLength(double mean, double stddev) {
      if (!(mean >= 1) || !(stddev >= 0)) {
        throw new IllegalArgumentException("output length needs mean >= 1 and stddev >= 0");
      }
      this.outputLengthMean = mean;
      this.outputLengthStddev = stddev;
      return this;
    }

    /** How prompts are counted; by default, about one token per four characters. */
    public Builder promptTokenCounter(ToIntFunction<String> counter) {
      this.promptTokenCounter = Objects.requireNonNull(counter);
      return this;
    }

    public Builder tokenSendListener(TokenSendListener listener) {
      this.tokenSendListener = listener;
      return this;
    }

    public SimConfig build() {
      return new SimConfig(this);
    }

    private static long nonNegative(String what, long nanos) {
      if (nanos < 0) {
        throw new IllegalArgumentException(what + " must not be negative, got " + nanos + " ns");
      }
      return nanos;
    }
  }

  /** The fallback prompt counter: English BPE tokenizers average about four characters a token. */
  private static final class ApproximateTokens {
    static int count(String text) {
      return (text.length() + 3) / 4;
    }
  }
}
