package io.loadgen.cli;

import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.TokenLengthException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code profile}'s flags for what is sent: prompts, lengths, and the tokenizer that measures them.
 */
final class WorkloadOptions {
  private static final String PAYLOAD = "payload:";

  @Option(
      names = "--input-file",
      paramLabel = "FILE",
      description = {
        "Prompts from a JSONL file instead of synthetic ones: a line is {\"text\": ...}, "
            + "{\"text_input\": ...}, {\"messages\": [...]} or {\"input_length\": N, \"output_length\": M, "
            + "\"hash_ids\": [...]}. payload:FILE replays a trace: every line has a \"timestamp\" (ms) and "
            + "is sent then, whatever the load mode."
      })
  String inputFile;

  @Option(
      names = {"--num-dataset-entries", "--num-prompts"},
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Distinct synthetic prompts, up to 10,000,000 and half the heap; requests cycle "
              + "through them (default: ${DEFAULT-VALUE}).")
  int numDatasetEntries;

  @Option(
      names = {"--num-prefix-prompts"},
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Shared prefixes, one prepended to each synthetic prompt, for prefix-cache studies "
              + "(default: ${DEFAULT-VALUE}).")
  int numPrefixPrompts;

  @Option(
      names = {"--prefix-prompt-length"},
      paramLabel = "N",
      defaultValue = "100",
      description = "Length of each prefix in tokens, up to 1,000,000 (default: ${DEFAULT-VALUE}).")
  int prefixPromptLength;

  @Option(
      names = {"--output-tokens-mean", "--osl"},
      paramLabel = "N",
      defaultValue = "-1",
      description =
          "Mean output length, sent as max_tokens, up to 1,000,000; longer draws are cut "
              + "(default: let the server decide).")
  int outputTokensMean;

  @Option(
      names = "--output-tokens-mean-deterministic",
      description = "Also send min_tokens, so every output has the sampled length.")
  boolean outputTokensDeterministic;

  @Option(
      names = "--output-tokens-stddev",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Standard deviation of the output length, up to 1,000,000 (default: ${DEFAULT-VALUE}).")
  double outputTokensStddev;

  @Option(
      names = "--random-seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "Seed of prompts, lengths and Poisson arrivals (default: ${DEFAULT-VALUE}).")
  long randomSeed;

  @Option(
      names = {"--synthetic-input-tokens-mean", "--isl"},
      paramLabel = "N",
      defaultValue = "550",
      description =
          "Mean prompt length in tokens, up to 1,000,000; longer draws are cut "
              + "(default: ${DEFAULT-VALUE}).")
  int inputTokensMean;

  @Option(
      names = "--synthetic-input-tokens-stddev",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Standard deviation of the prompt length, up to 1,000,000 (default: ${DEFAULT-VALUE}).")
  double inputTokensStddev;

  @Option(
      names = {"--batch-size-text", "--batch-size", "-b"},
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Embeddings: texts per request; rankings: passages per request; chat and completions"
              + " take 1 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--tokenizer",
      paramLabel = "NAME",
      description = {
        "A Hugging Face model id (from the local HF cache, else downloaded into it, with HF_TOKEN "
            + "for gated models), a tokenizer.json, or a folder holding one (default: the bundled GPT-2 tokenizer)."
      })
  String tokenizer;

  @Option(
      names = "--use-server-token-count",
      description = {
        "Take each request's input and output lengths from the server's usage (prompt_tokens, "
            + "completion_tokens) instead of the tokenizer, where the server sends it (AIPerf's "
            + "flag). Without it, loadgen says when the two counts of the outputs differ by more "
            + "than 5%%."
      })
  boolean useServerTokenCount;

  @Option(
      names = "--tokenizer-revision",
      paramLabel = "REV",
      defaultValue = "main",
      description =
          "Branch, tag or commit of a Hugging Face tokenizer (default: ${DEFAULT-VALUE}).")
  String tokenizerRevision;

  @Option(names = "--tokenizer-trust-remote-code", description = "Accepted for compatibility.")
  boolean tokenizerTrustRemoteCode;

  void applyTo(Profile.Builder builder) {
    if (outputTokensMean != -1 && outputTokensMean < 1) {
      throw new ProfileConfigException("--output-tokens-mean must be a positive number of tokens");
    }
    builder
        .randomSeed(randomSeed)
        .numDatasetEntries(numDatasetEntries)
        .prefixPrompts(numPrefixPrompts, prefixPromptLength)
        .tokenizer(tokenizer)
        .tokenizerRevision(tokenizerRevision)
        .useServerTokenCount(useServerTokenCount)
        .batchSizeText(batchSize)
        .inputTokens(distribution("--synthetic-input-tokens", inputTokensMean, inputTokensStddev))
        .outputTokens(
            outputTokensMean == -1
                ? null
                : distribution("--output-tokens", outputTokensMean, outputTokensStddev))
        .outputTokensDeterministic(outputTokensMean != -1 && outputTokensDeterministic);
    if (inputFile != null) {
      boolean payload = inputFile.startsWith(PAYLOAD);
      builder.inputFile(
          Path.of(payload ? inputFile.substring(PAYLOAD.length()) : inputFile), payload);
    }
  }

  void ignored(Map<String, Boolean> notes) {
    notes.put("--tokenizer-trust-remote-code", tokenizerTrustRemoteCode);
  }

  private static TokenLengthDistribution distribution(String flag, double mean, double stddev) {
    try {
      return new TokenLengthDistribution(mean, stddev);
    } catch (TokenLengthException e) {
      throw new ProfileConfigException(flag + "-mean/-stddev: " + e.getMessage());
    }
  }
}
