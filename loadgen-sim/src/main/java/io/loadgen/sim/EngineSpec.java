package io.loadgen.sim;

/**
 * The numbers that drive the simulated engine: its paged KV cache, its batch limits and the cost of
 * one engine step. Every time is in virtual nanoseconds, which the real-time driver paces onto
 * {@link System#nanoTime()}.
 *
 * <p>One engine step is one forward pass over the batch. It takes
 *
 * <pre>
 *   decodeStepFixedNanos
 *   + decodeNanosPerSequence   x sequences in the batch
 *   + decodeNanosPerCachedToken x KV tokens those sequences hold
 *   + prefillNanosPerToken     x prompt tokens prefilled in the step
 * </pre>
 *
 * so time to first token and inter-token latency grow with the batch, as on a GPU whose decode is
 * bound by reading weights (the fixed part) and the KV cache (the per-token part).
 *
 * @param kvBlockSizeTokens tokens per KV block (vLLM's {@code block_size}, 16 by default)
 * @param kvBlocksTotal blocks in the cache; a request holds ceil((prompt + generated) / block size)
 * @param maxRunningSequences at most this many requests run at once (vLLM's {@code max_num_seqs})
 * @param maxBatchedTokens tokens one step may process, prefill and decode together (vLLM's {@code
 *     max_num_batched_tokens}); longer prompts are prefilled in chunks over several steps
 * @param prefillNanosPerToken cost of prefilling one prompt token
 * @param decodeStepFixedNanos cost of a step whatever its batch
 * @param decodeNanosPerSequence cost added by each sequence in the batch
 * @param decodeNanosPerCachedToken cost added by each token those sequences hold in the KV cache
 */
public record EngineSpec(
    int kvBlockSizeTokens,
    long kvBlocksTotal,
    int maxRunningSequences,
    int maxBatchedTokens,
    long prefillNanosPerToken,
    long decodeStepFixedNanos,
    long decodeNanosPerSequence,
    double decodeNanosPerCachedToken) {

  /**
   * @throws SimConfigException for a number out of range, naming it as the overrides do
   */
  public EngineSpec {
    positive("KV block size (block_size)", kvBlockSizeTokens, "tokens");
    positive("KV blocks (kv_blocks)", kvBlocksTotal, "");
    positive("max running sequences (max_num_seqs)", maxRunningSequences, "");
    positive("max batched tokens (max_num_batched_tokens)", maxBatchedTokens, "tokens");
    notNegative("prefill time per token (prefill_micros_per_token)", prefillNanosPerToken);
    notNegative("decode step time (decode_step_millis)", decodeStepFixedNanos);
    notNegative("decode time per sequence (decode_micros_per_sequence)", decodeNanosPerSequence);
    if (!(decodeNanosPerCachedToken >= 0)) {
      throw new SimConfigException(
          "decode time per cached token (decode_nanos_per_cached_token) must not be negative, got "
              + decodeNanosPerCachedToken
              + " ns");
    }
    if (decodeStepFixedNanos + prefillNanosPerToken == 0) {
      throw new SimConfigException(
          "an engine step must take some time: set decode_step_millis or "
              + "prefill_micros_per_token above 0");
    }
  }

  /** How many tokens the cache holds. */
  public long kvTokenCapacity() {
    return kvBlocksTotal * kvBlockSizeTokens;
  }

  /** The blocks a sequence holding {@code tokens} tokens needs. */
  public long blocksFor(long tokens) {
    return (tokens + kvBlockSizeTokens - 1) / kvBlockSizeTokens;
  }

  /** The time of one step, by the formula above. */
  public long stepNanos(int sequences, long cachedTokens, long prefillTokens) {
    return decodeStepFixedNanos
        + decodeNanosPerSequence * sequences
        + Math.round(decodeNanosPerCachedToken * cachedTokens)
        + prefillNanosPerToken * prefillTokens;
  }

  private static void positive(String what, long value, String unit) {
    if (value < 1) {
      throw new SimConfigException(
          what + " must be at least 1, got " + value + (unit.isEmpty() ? "" : " " + unit));
    }
  }

  private static void notNegative(String what, long nanos) {
    if (nanos < 0) {
      throw new SimConfigException(what + " must not be negative, got " + nanos + " ns");
    }
  }
}
