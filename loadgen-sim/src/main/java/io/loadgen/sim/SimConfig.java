package io.loadgen.sim;

import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * How a simulated server behaves: where it listens, the engine it models ({@link SimPreset}, with
 * any {@link SimOverrides}), output lengths and {@link SimFaults}. Immutable; start from {@link
 * #preset(String)} or {@link #builder()}.
 *
 * <p>Outputs are {@code max_tokens} long with {@code ignore_eos}; otherwise their length is drawn,
 * seeded by the request's content, from a Normal distribution and kept within [{@code min_tokens},
 * {@code max_tokens}].
 */
public final class SimConfig {
  /** The presets {@link #preset(String)} knows. */
  public static final List<String> PRESETS = SimPreset.names();

  private final String host;
  private final int port;
  private final long seed;
  private final SimPreset preset;
  private final SimFaults faults;
  private final int defaultMaxTokens;
  private final double outputLengthMean;
  private final double outputLengthStddev;
  private final ToIntFunction<String> promptTokenCounter;
  private final TokenSendListener tokenSendListener;
  private final int ioThreads;
  private final boolean warmUp;
  private final int reasoningTokens;

  private SimConfig(Builder b) {
    this.warmUp = b.warmUp;
    this.reasoningTokens = b.reasoningTokens;
    this.ioThreads = b.ioThreads;
    this.host = b.host;
    this.port = b.port;
    this.seed = b.seed;
    this.preset = b.overrides.applyTo(b.preset);
    this.faults = b.faults;
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.outputLengthMean = b.outputLengthMean;
    this.outputLengthStddev = b.outputLengthStddev;
    this.promptTokenCounter = b.promptTokenCounter;
    this.tokenSendListener = b.tokenSendListener;
  }

  /** A builder with the {@code default} preset. */
  public static Builder builder() {
    return preset("default");
  }

  /**
   * A builder holding a named preset (see {@link SimPreset#ALL}).
   *
   * @throws SimConfigException for an unknown name, listing the known ones
   */
  public static Builder preset(String name) {
    return new Builder(
        SimPreset.named(name)
            .orElseThrow(
                () ->
                    new SimConfigException(
                        "unknown simulator preset '"
                            + name
                            + "': use one of "
                            + String.join(", ", PRESETS))));
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

  /** The preset with its overrides applied. */
  public SimPreset preset() {
    return preset;
  }

  /** The engine's numbers. */
  public EngineSpec engine() {
    return preset.engine();
  }

  /** The model /v1/models lists and /metrics labels; requests naming any model are served. */
  public String modelName() {
    return preset.servedModel();
  }

  public SimFaults faults() {
    return faults;
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

  /** Counts a prompt's tokens, for {@code usage}, prefill time and KV blocks. */
  public ToIntFunction<String> promptTokenCounter() {
    return promptTokenCounter;
  }

  /** Sees every token sent, or null. */
  public TokenSendListener tokenSendListener() {
    return tokenSendListener;
  }

  /** Event loops that write responses, when the server has a Vert.x of its own. */
  /** Whether the server warms its request path before it listens: see {@link Builder#warmUp}. */
  public boolean warmUp() {
    return warmUp;
  }

  /** Tokens of each chat response sent as reasoning before its content; 0 for none. */
  public int reasoningTokens() {
    return reasoningTokens;
  }

  public int ioThreads() {
    return ioThreads;
  }

  /** Builds a {@link SimConfig}. */
  public static final class Builder {
    private final SimPreset preset;
    private SimOverrides overrides = SimOverrides.NONE;
    private SimFaults faults = SimFaults.NONE;
    private String host = "127.0.0.1";
    private int port;
    private long seed;
    private int defaultMaxTokens = 256;
    private double outputLengthMean = 128;
    private double outputLengthStddev = 32;
    private ToIntFunction<String> promptTokenCounter = ApproximateTokens::count;
    private TokenSendListener tokenSendListener;
    private int ioThreads = 1;
    private boolean warmUp = true;
    private int reasoningTokens;

    private Builder(SimPreset preset) {
      this.preset = preset;
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /**
     * @throws SimConfigException outside 0 to 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new SimConfigException("port must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The model name served, instead of the preset's. */
    public Builder modelName(String modelName) {
      return overrides(
          new SimOverrides(
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              Objects.requireNonNull(modelName)));
    }

    /** Changes to the preset's numbers, on top of any given before. */
    public Builder overrides(SimOverrides more) {
      this.overrides = overrides.then(Objects.requireNonNull(more));
      return this;
    }

    public Builder faults(SimFaults faults) {
      this.faults = Objects.requireNonNull(faults);
      return this;
    }

    /**
     * @throws SimConfigException below 1
     */
    public Builder defaultMaxTokens(int tokens) {
      if (tokens < 1) {
        throw new SimConfigException("default max tokens must be at least 1, got " + tokens);
      }
      this.defaultMaxTokens = tokens;
      return this;
    }

    /**
     * The output length distribution for requests without {@code ignore_eos}.
     *
     * @throws SimConfigException for a mean below 1 or a negative deviation
     */
    public Builder outputLength(double mean, double stddev) {
      if (!(mean >= 1) || !(stddev >= 0)) {
        throw new SimConfigException(
            "output length needs mean >= 1 and stddev >= 0 tokens, got mean "
                + mean
                + " and stddev "
                + stddev);
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

    /** Event loops to write responses on (default 1); connections are spread over them. */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new SimConfigException("I/O threads must be at least 1, got " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Whether the server first streams a few requests through a throwaway copy of itself, so its
     * first real requests do not wait on class loading (default true). A client in the same JVM
     * that warms its own path warms most of the server's too, and may turn this off.
     */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /**
     * Makes the server a reasoning model: the first {@code tokens} tokens of each chat response
     * come as {@code delta.reasoning_content} (and {@code message.reasoning_content} in a whole
     * body), as vLLM's reasoning parsers send them, and the rest as content; a response keeps at
     * least one content token. 0 (the default) sends no reasoning.
     *
     * @throws SimConfigException below 0
     */
    public Builder reasoningTokens(int tokens) {
      if (tokens < 0) {
        throw new SimConfigException("reasoning tokens must be 0 or more, got " + tokens);
      }
      this.reasoningTokens = tokens;
      return this;
    }

    public Builder tokenSendListener(TokenSendListener listener) {
      this.tokenSendListener = listener;
      return this;
    }

    /**
     * @throws SimConfigException when the overrides do not fit the preset
     */
    public SimConfig build() {
      return new SimConfig(this);
    }
  }

  /** The fallback prompt counter: English BPE tokenizers average about four characters a token. */
  private static final class ApproximateTokens {
    static int count(String text) {
      return (text.length() + 3) / 4;
    }
  }
}
