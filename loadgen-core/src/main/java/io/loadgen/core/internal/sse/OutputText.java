package io.loadgen.core.internal.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A response's generated text, appended a chunk at a time on the event loop and read once when the
 * request ends (to count its tokens, and for the raw export). While the text is ASCII, as streamed
 * English is, it is kept as bytes and each token's piece is one array copy straight from the
 * network buffer, with no string made per token; the first character outside ASCII turns it into a
 * {@link StringBuilder}, exact for any text. Confined to one thread.
 */
public final class OutputText {
  private byte[] ascii;
  private int length;
  private StringBuilder text;

  /**
   * @param expectedChars sizes the first buffer; it grows as needed
   */
  public OutputText(int expectedChars) {
    this.ascii = new byte[Math.max(16, Math.min(expectedChars, 1 << 20))];
  }

  /** Appends {@code bytes[offset, offset + count)}, which must all be ASCII. */
  void appendAscii(byte[] bytes, int offset, int count) {
    if (text != null) {
      text.append(new String(bytes, offset, count, StandardCharsets.US_ASCII));
      return;
    }
    if (length + count > ascii.length) {
      ascii = Arrays.copyOf(ascii, Math.max(length + count, ascii.length * 2));
    }
    System.arraycopy(bytes, offset, ascii, length, count);
    length += count;
  }

  /** Appends any text. */
  void append(String piece) {
    if (text == null) {
      if (isAscii(piece)) {
        byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
        appendAscii(bytes, 0, bytes.length);
        return;
      }
      text = new StringBuilder(length + piece.length() + 64).append(asciiString());
      ascii = null;
    }
    text.append(piece);
  }

  /** The whole text so far. */
  @Override
  public String toString() {
    return text != null ? text.toString() : asciiString();
  }

  private String asciiString() {
    return new String(ascii, 0, length, StandardCharsets.US_ASCII);
  }

  private static boolean isAscii(String piece) {
    for (int i = 0; i < piece.length(); i++) {
      if (piece.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
