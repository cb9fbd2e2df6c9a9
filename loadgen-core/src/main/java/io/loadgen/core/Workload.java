package io.loadgen.core;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What is sent: the prompts (synthetic, from a file, or a trace to replay), their lengths, the
 * output lengths asked for, and the tokenizer that measures them. Part of a {@link Profile};
 * defaults are genai-perf's.
 *
 * @param inputTokens the prompt length distribution, in tokens
 * @param outputTokens the output length to ask for ({@code max_tokens}), or null to let the server
 *     decide
 * @param outputTokensDeterministic whether {@code min_tokens} is sent equal to {@code max_tokens},
 *     so every output has the sampled length
 * @param randomSeed the seed of prompts, lengths and Poisson arrivals
 * @param tokenizer a path to a tokenizer.json or its folder, or a Hugging Face repo id (from the
 *     local cache, else downloaded); null for the bundled GPT-2 tokenizer
 * @param tokenizerRevision the revision of a tokenizer named by repo id; null for {@code main}
 * @param numDatasetEntries distinct synthetic prompts, which requests cycle through
 * @param numPrefixPrompts shared prefixes that synthetic prompts start with, one each; 0 for none
 * @param prefixPromptLength the length of each shared prefix, in tokens
 * @param inputFile a JSONL file of prompts or of a trace, instead of synthetic prompts; or null
 * @param inputFilePayload whether {@code inputFile} is a trace whose timestamps set when each
 *     request is sent, instead of the load mode
 * @param useServerTokenCount take each request's input and output lengths from the server's {@code
 *     usage} (its {@code prompt_tokens} and {@code completion_tokens}) instead of the tokenizer,
 *     where the server sends one; the tokenizer counts those it does not
 * @param batchSizeText genai-perf's {@code --batch-size-text}: the texts of one embeddings request
 *     ({@code input}), or the passages of one rankings request, each a synthetic prompt of the
 *     input length; 1 for the generative endpoints
 */
public record Workload(
    TokenLengthDistribution inputTokens,
    TokenLengthDistribution outputTokens,
    boolean outputTokensDeterministic,
    long randomSeed,
    String tokenizer,
    String tokenizerRevision,
    int numDatasetEntries,
    int numPrefixPrompts,
    int prefixPromptLength,
    Path inputFile,
    boolean inputFilePayload,
    boolean useServerTokenCount,
    int batchSizeText) {
  /** The most texts one embeddings or rankings request carries. */
  public static final int MAX_BATCH_SIZE_TEXT = 100_000;

  /**
   * The longest prompt, and the largest standard deviation of prompt lengths, in tokens: the
   * longest context windows hold about a million. Longer draws are cut to this.
   */
  public static final int MAX_PROMPT_TOKENS = 1_000_000;

  /**
   * The largest {@code max_tokens} asked for, and standard deviation of it; longer draws are cut.
   */
  public static final int MAX_OUTPUT_TOKENS = 1_000_000;

  /**
   * The most synthetic prompts, or shared prefixes, a dataset holds. All of them are made before
   * the run and held in memory, which the run also checks against the heap when it makes them.
   */
  public static final int MAX_DATASET_ENTRIES = 10_000_000;

  public Workload {
    Objects.requireNonNull(inputTokens, "inputTokens");
    checkLengths("inputTokens", inputTokens, MAX_PROMPT_TOKENS);
    if (outputTokens != null) {
      checkLengths("outputTokens", outputTokens, MAX_OUTPUT_TOKENS);
    }
    if (numDatasetEntries < 1 || numDatasetEntries > MAX_DATASET_ENTRIES) {
      throw new ProfileConfigException(
          "numDatasetEntries",
          "must be 1 to " + MAX_DATASET_ENTRIES + ", got " + numDatasetEntries);
    }
    if (numPrefixPrompts < 0 || numPrefixPrompts > MAX_DATASET_ENTRIES) {
      throw new ProfileConfigException(
          "numPrefixPrompts", "must be 0 to " + MAX_DATASET_ENTRIES + ", got " + numPrefixPrompts);
    }
    if (numPrefixPrompts > 0
        && (prefixPromptLength < 1 || prefixPromptLength > MAX_PROMPT_TOKENS)) {
      throw new ProfileConfigException(
          "prefixPromptLength",
          "must be 1 to " + MAX_PROMPT_TOKENS + " tokens, got " + prefixPromptLength);
    }
    if (batchSizeText < 1 || batchSizeText > MAX_BATCH_SIZE_TEXT) {
      throw new ProfileConfigException(
          "batchSizeText", "must be 1 to " + MAX_BATCH_SIZE_TEXT + ", got " + batchSizeText);
    }
    inputFilePayload = inputFile != null && inputFilePayload;
  }

  private static void checkLengths(String setting, TokenLengthDistribution lengths, int maxTokens) {
    // TokenLengthDistribution has seen to the lower bounds, NaN and infinity.
    if (lengths.mean() > maxTokens) {
      throw new ProfileConfigException(
          setting, "mean must be at most " + maxTokens + " tokens, got " + whole(lengths.mean()));
    }
    if (lengths.stddev() > maxTokens) {
      throw new ProfileConfigException(
          setting,
          "standard deviation must be at most "
              + maxTokens
              + " tokens, got "
              + whole(lengths.stddev()));
    }
  }

  /** A number of tokens as typed: 10000000 rather than 1.0E7. */
  private static String whole(double tokens) {
    return tokens == Math.rint(tokens) && Math.abs(tokens) < 1e15
        ? Long.toString((long) tokens)
        : Double.toString(tokens);
  }

  /** Fills a {@link Workload}; {@link Profile.Builder} sets it. */
  static final class Builder {
    private TokenLengthDistribution inputTokens = new TokenLengthDistribution(550, 0);
    private TokenLengthDistribution outputTokens;
    private boolean outputTokensDeterministic;
    private long randomSeed;
    private String tokenizer;
    private String tokenizerRevision;
    private int numDatasetEntries = 100;
    private int numPrefixPrompts;
    private int prefixPromptLength = 100;
    private Path inputFile;
    private boolean inputFilePayload;
    private boolean useServerTokenCount;
    private int batchSizeText = 1;

    Builder() {}

    Builder(Workload w) {
      inputTokens = w.inputTokens;
      outputTokens = w.outputTokens;
      outputTokensDeterministic = w.outputTokensDeterministic;
      randomSeed = w.randomSeed;
      tokenizer = w.tokenizer;
      tokenizerRevision = w.tokenizerRevision;
      numDatasetEntries = w.numDatasetEntries;
      numPrefixPrompts = w.numPrefixPrompts;
      prefixPromptLength = w.prefixPromptLength;
      inputFile = w.inputFile;
      inputFilePayload = w.inputFilePayload;
      useServerTokenCount = w.useServerTokenCount;
      batchSizeText = w.batchSizeText;
    }

    void inputTokens(TokenLengthDistribution distribution) {
      this.inputTokens = Objects.requireNonNull(distribution);
    }

    void outputTokens(TokenLengthDistribution distribution) {
      this.outputTokens = distribution;
    }

    void outputTokensDeterministic(boolean deterministic) {
      this.outputTokensDeterministic = deterministic;
    }

    void randomSeed(long seed) {
      this.randomSeed = seed;
    }

    void tokenizer(String tokenizer) {
      this.tokenizer = tokenizer;
    }

    void tokenizerRevision(String revision) {
      this.tokenizerRevision = revision;
    }

    void numDatasetEntries(int entries) {
      this.numDatasetEntries = entries;
    }

    void prefixPrompts(int count, int lengthTokens) {
      this.numPrefixPrompts = count;
      this.prefixPromptLength = lengthTokens;
    }

    void inputFile(Path file, boolean payload) {
      this.inputFile = file;
      this.inputFilePayload = payload;
    }

    void useServerTokenCount(boolean use) {
      this.useServerTokenCount = use;
    }

    void batchSizeText(int texts) {
      this.batchSizeText = texts;
    }

    Workload build() {
      return new Workload(
          inputTokens,
          outputTokens,
          outputTokensDeterministic,
          randomSeed,
          tokenizer,
          tokenizerRevision,
          numDatasetEntries,
          numPrefixPrompts,
          prefixPromptLength,
          inputFile,
          inputFilePayload,
          useServerTokenCount,
          batchSizeText);
    }
  }
}
