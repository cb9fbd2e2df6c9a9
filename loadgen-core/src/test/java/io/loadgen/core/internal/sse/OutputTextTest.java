package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTextTest {

  @Test
  void joinsAsciiPiecesGrowingPastItsFirstBuffer() {
    OutputText text = new OutputText(16);
    StringBuilder expected = new StringBuilder();
    byte[] piece = " token".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 100; i++) {
      text.appendAscii(piece, 1, 5);
      expected.append("token");
    }
    assertEquals(expected.toString(), text.toString());
  }

  @Test
  void staysExactOnceTextLeavesAscii() {
    OutputText text = new OutputText(16);
    byte[] ascii = "ab".getBytes(StandardCharsets.US_ASCII);
    text.appendAscii(ascii, 0, 2);
    text.append("-é-");
    text.appendAscii(ascii, 1, 1);
    // A surrogate pair split over two chunks joins into one character, as a StringBuilder joins it.
    text.append("\ud83d");
    text.append("\ude00");
    assertEquals("ab-é-b😀", text.toString());
  }

  @Test
  void keepsAsciiStringsFromJacksonInTheByteBuffer() {
    OutputText text = new OutputText(16);
    text.append("plain");
    text.appendAscii(" more".getBytes(StandardCharsets.US_ASCII), 0, 5);
    assertEquals("plain more", text.toString());
  }
}
