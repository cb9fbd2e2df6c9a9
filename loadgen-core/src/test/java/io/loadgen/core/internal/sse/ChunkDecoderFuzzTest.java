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

  @FuzzTest
  void decodesAnyBytesAsJacksonDoesWithoutThrowing(byte[] data) {
    DecodeResult expected = DecodeResult.of(jackson.decodeWithJackson(data, data.length));
    DecodeResult actual = DecodeResult.of(fastThenJackson.decode(data, data.length));
    assertEquals(expected, actual);
  }
}
