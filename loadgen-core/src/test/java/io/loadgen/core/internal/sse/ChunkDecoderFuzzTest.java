package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes decode to the same chunk on the fast path as with Jackson alone (or are malformed the
 * same way), and neither throws. Seeds in {@code ChunkDecoderFuzzTestInputs}; {@code -Pfuzz}
 * fuzzes.
 */
class ChunkDecoderFuzzTest {
  private final ChunkDecoder fastThenJackson = new ChunkDecoder();
  private final ChunkDecoder jackson = new ChunkDecoder();

  private record Result(
      boolean done,
      String content,
      boolean hasContent,
      String finishReason,
      boolean hasUsage,
      long promptTokens,
      long completionTokens,
      String error,
      String malformed) {
    static Result of(ChunkDecoder.Chunk c) {
      return new Result(
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

  @FuzzTest
  void decodesAnyBytesAsJacksonDoesWithoutThrowing(byte[] data) {
    Result expected = Result.of(jackson.decodeWithJackson(data, data.length));
    Result actual = Result.of(fastThenJackson.decode(data, data.length));
    assertEquals(expected, actual);
  }
}
