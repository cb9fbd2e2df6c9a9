package io.loadgen.core.internal.sse;

/** What a decode says, copied out of the reused chunk, so that two decoders can be compared. */
record DecodeResult(
    boolean done,
    String content,
    boolean hasContent,
    String finishReason,
    boolean hasUsage,
    long promptTokens,
    long completionTokens,
    String error,
    String malformed) {
  static DecodeResult of(ChunkDecoder.Chunk c) {
    return new DecodeResult(
        c.done(),
        c.content(),
        c.hasContent(),
        c.finishReason(),
        c.hasUsage(),
        c.promptTokens(),
        c.completionTokens(),
        c.errorMessage(),
        c.malformedReason());
  }
}
