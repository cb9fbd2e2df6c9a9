package io.loadgen.sim.internal.engine;

/**
 * A paged KV cache as vLLM's block manager keeps it: fixed blocks of {@code blockSize} tokens, and
 * a sequence holding tokens holds ceil(tokens / blockSize) of them. Only counts are kept: the
 * simulation needs how many blocks are free, not which.
 */
public final class KvCache {
  private final int blockSizeTokens;
  private final long totalBlocks;
  private long usedBlocks;

  public KvCache(int blockSizeTokens, long totalBlocks) {
    this.blockSizeTokens = blockSizeTokens;
    this.totalBlocks = totalBlocks;
  }

  long blocksFor(long tokens) {
    return (tokens + blockSizeTokens - 1) / blockSizeTokens;
  }

  /**
   * Grows the sequence's holding to cover {@code tokens} tokens. Takes nothing and returns false
   * when the free blocks do not suffice.
   */
  boolean tryHold(Sequence sequence, long tokens) {
    long extra = blocksFor(tokens) - sequence.blocksHeld;
    if (extra <= 0) {
      return true;
    }
    if (extra > totalBlocks - usedBlocks) {
      return false;
    }
    usedBlocks += extra;
    sequence.blocksHeld += extra;
    return true;
  }

  /** Whether {@code tokens} more tokens' blocks are free now, for a sequence holding none. */
  boolean fits(long tokens) {
    return blocksFor(tokens) <= totalBlocks - usedBlocks;
  }

  void release(Sequence sequence) {
    usedBlocks -= sequence.blocksHeld;
    sequence.blocksHeld = 0;
  }

  public long usedBlocks() {
    return usedBlocks;
  }

  public long totalBlocks() {
    return totalBlocks;
  }

  /** Used blocks over total, 0 to 1: what {@code gpu_cache_usage_perc} reports. */
  public double usage() {
    return (double) usedBlocks / totalBlocks;
  }
}
