package io.loadgen.core.internal.sse;

/**
 * The per-token fast path of {@link ChunkDecoder}: one validating pass over a chunk's bytes that
 * reads what the decoder reads (the first choice's content, {@code text} or {@code
 * message.content}, its {@code finish_reason}, and {@code usage}'s two counts) without building
 * tokens, names or strings. It answers only for chunks it can read exactly; for anything else it
 * returns false and Jackson decodes the chunk, so that every result, malformed or not, is
 * Jackson's.
 *
 * <p>It answers only for strict JSON (RFC 8259) whose strings are printable ASCII without escapes,
 * where no top-level field could report an error ({@code error}, or {@code object} set to {@code
 * "error"}), nested at most {@value #MAX_DEPTH} deep, with numbers of at most {@value
 * #MAX_NUMBER_CHARS} characters and usage counts of at most 18 digits. Those are what vLLM, SGLang,
 * TGI, TensorRT-LLM and llama.cpp stream for English text; escapes, other scripts, errors and
 * anything unusual take Jackson's path. Within those bounds it accepts exactly what Jackson
 * accepts, reads fields in the same order with the same overwriting, and so gives the same result,
 * which {@code FastChunkScannerTest} checks against Jackson on generated and corrupted chunks.
 *
 * <p>Written by hand because this runs once per streamed token and a general parser costs several
 * times as much: Jackson creates a parser, a context per nesting level and a string per value.
 * Confined to one thread, like the decoder that owns it.
 */
final class FastChunkScanner {
  static final int MAX_DEPTH = 32;
  static final int MAX_NUMBER_CHARS = 100;
  private static final int MAX_COUNT_DIGITS = 18;

  private static final byte[] CHOICES = ascii("choices");
  private static final byte[] USAGE = ascii("usage");
  private static final byte[] ERROR = ascii("error");
  private static final byte[] OBJECT = ascii("object");
  private static final byte[] DELTA = ascii("delta");
  private static final byte[] MESSAGE = ascii("message");
  private static final byte[] TEXT = ascii("text");
  private static final byte[] CONTENT = ascii("content");
  private static final byte[] REASONING_CONTENT = ascii("reasoning_content");
  private static final byte[] REASONING = ascii("reasoning");
  private static final byte[] FINISH_REASON = ascii("finish_reason");
  private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
  private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
  private static final byte[] STOP = ascii("stop");
  private static final byte[] LENGTH = ascii("length");

  /** Thrown to abandon the fast path; preallocated, without a stack, since it is control flow. */
  private static final class Bail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bail() {
      super(null, null, false, false);
    }
  }

  private static final Bail BAIL = new Bail();

  private byte[] data;
  private int end;
  private int at;

  /** Where the last string scanned starts and ends, quotes excluded. */
  private int stringStart;

  private int stringEnd;
  private ChunkDecoder.Chunk chunk;

  /**
   * Reads {@code data[0, length)} into {@code chunk}, which the caller has reset. Returns false
   * when Jackson must decode it instead; {@code chunk} may then hold partial results, to be reset.
   */
  boolean scan(byte[] data, int length, ChunkDecoder.Chunk chunk) {
    this.data = data;
    this.end = length;
    this.at = 0;
    this.chunk = chunk;
    try {
      skipWhiteSpace();
      expect('{');
      topLevel();
      skipWhiteSpace();
      return at == end;
    } catch (Bail bail) {
      return false;
    } finally {
      this.data = null;
      this.chunk = null;
    }
  }

  private void topLevel() {
    if (members()) {
      do {
        int nameStart = stringStart;
        int nameEnd = stringEnd;
        colon();
        byte first = peek();
        if (is(nameStart, nameEnd, CHOICES) && first == '[') {
          choices();
        } else if (is(nameStart, nameEnd, USAGE) && first == '{') {
          usage();
        } else if (is(nameStart, nameEnd, ERROR)) {
          throw BAIL;
        } else if (is(nameStart, nameEnd, OBJECT) && first == '"') {
          string();
          if (is(stringStart, stringEnd, ERROR)) {
            throw BAIL;
          }
        } else {
          value(1);
        }
      } while (nextMember());
    }
  }

  private void choices() {
    at++; // [
    skipWhiteSpace();
    if (peek() == ']') {
      at++;
      return;
    }
    if (peek() == '{') {
      choice();
    } else {
      value(2);
    }
    while (nextElement()) {
      value(2);
    }
  }

  private void choice() {
    at++; // {
    if (!members()) {
      return;
    }
    do {
      int nameStart = stringStart;
      int nameEnd = stringEnd;
      colon();
      byte first = peek();
      if ((is(nameStart, nameEnd, DELTA) || is(nameStart, nameEnd, MESSAGE)) && first == '{') {
        message();
      } else if (is(nameStart, nameEnd, TEXT)) {
        content(3);
      } else if (is(nameStart, nameEnd, FINISH_REASON) && first == '"') {
        string();
        chunk.finishReason = finishReason(stringStart, stringEnd);
      } else {
        value(3);
      }
    } while (nextMember());
  }

  private void message() {
    at++; // {
    if (!members()) {
      return;
    }
    do {
      int nameStart = stringStart;
      int nameEnd = stringEnd;
      colon();
      if (is(nameStart, nameEnd, CONTENT)) {
        content(4);
      } else if ((is(nameStart, nameEnd, REASONING_CONTENT) || is(nameStart, nameEnd, REASONING))
          && peek() == '"') {
        string();
        chunk.setAsciiReasoning(data, stringStart, stringEnd - stringStart);
      } else {
        value(4);
      }
    } while (nextMember());
  }

  /**
   * As the decoder: a string sets the content (an empty one clears it); anything else leaves it.
   */
  private void content(int depth) {
    if (peek() != '"') {
      value(depth);
      return;
    }
    string();
    chunk.setAsciiContent(data, stringStart, stringEnd - stringStart);
  }

  private void usage() {
    at++; // {
    chunk.hasUsage = true;
    if (!members()) {
      return;
    }
    do {
      int nameStart = stringStart;
      int nameEnd = stringEnd;
      colon();
      if (is(nameStart, nameEnd, PROMPT_TOKENS)) {
        long count = count();
        if (count != Long.MIN_VALUE) {
          chunk.promptTokens = count;
        }
      } else if (is(nameStart, nameEnd, COMPLETION_TOKENS)) {
        long count = count();
        if (count != Long.MIN_VALUE) {
          chunk.completionTokens = count;
        }
      } else {
        value(2);
      }
    } while (nextMember());
  }

  /**
   * A usage count: an integer's value; {@link Long#MIN_VALUE} for any other value, which it skips,
   * as the decoder ignores a count that is not an integer.
   */
  private long count() {
    int start = at;
    if (peek() != '-' && (peek() < '0' || peek() > '9')) {
      value(2);
      return Long.MIN_VALUE;
    }
    boolean integer = number();
    if (!integer) {
      return Long.MIN_VALUE;
    }
    boolean negative = data[start] == '-';
    int digits = at - start - (negative ? 1 : 0);
    if (digits > MAX_COUNT_DIGITS) {
      throw BAIL;
    }
    long value = 0;
    for (int i = negative ? start + 1 : start; i < at; i++) {
      value = value * 10 + (data[i] - '0');
    }
    return negative ? -value : value;
  }

  /**
   * Reads the opening of an object's members after its {@code {}: true with the first member's name
   * scanned, false when the object is empty (and closed).
   */
  private boolean members() {
    skipWhiteSpace();
    if (peek() == '}') {
      at++;
      return false;
    }
    string();
    return true;
  }

  /**
   * After a member's value: true with the next member's name scanned, false at the closing brace.
   */
  private boolean nextMember() {
    if (!another('}')) {
      return false;
    }
    string();
    return true;
  }

  /**
   * After an array element: true when another follows (white space skipped), false at the bracket.
   */
  private boolean nextElement() {
    return another(']');
  }

  /**
   * After a value in an object or array: true past a comma and white space, false past {@code
   * close}.
   */
  private boolean another(char close) {
    skipWhiteSpace();
    byte b = next();
    if (b == close) {
      return false;
    }
    if (b != ',') {
      throw BAIL;
    }
    skipWhiteSpace();
    return true;
  }

  private void colon() {
    skipWhiteSpace();
    expect(':');
    skipWhiteSpace();
  }

  /** Validates and skips any JSON value, nested {@code depth} deep. */
  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw BAIL;
    }
    byte b = peek();
    switch (b) {
      case '"' -> string();
      case '{' -> {
        at++;
        if (members()) {
          do {
            colon();
            value(depth + 1);
          } while (nextMember());
        }
      }
      case '[' -> {
        at++;
        skipWhiteSpace();
        if (peek() == ']') {
          at++;
        } else {
          do {
            value(depth + 1);
          } while (nextElement());
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (b == '-' || (b >= '0' && b <= '9')) {
          number();
        } else {
          throw BAIL;
        }
      }
    }
  }

  /** Scans a string of printable ASCII without escapes, leaving its span in stringStart/End. */
  private void string() {
    expect('"');
    int start = at;
    while (true) {
      if (at >= end) {
        throw BAIL;
      }
      byte b = data[at];
      if (b == '"') {
        stringStart = start;
        stringEnd = at;
        at++;
        return;
      }
      // Escapes, control characters and bytes of non-ASCII characters: Jackson's to decode.
      if (b == '\\' || b < 0x20) { // a byte of 0x80 and above is negative
        throw BAIL;
      }
      at++;
    }
  }

  /**
   * Scans a number by RFC 8259's grammar: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)?
   * ([eE][+-]?[0-9]+)?}. Returns whether it was an integer (no fraction, no exponent).
   */
  private boolean number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    byte first = next();
    if (first == '0') {
      if (at < end && isDigit(data[at])) {
        throw BAIL; // a leading zero
      }
    } else if (first >= '1' && first <= '9') {
      digits();
    } else {
      throw BAIL;
    }
    boolean integer = true;
    if (at < end && data[at] == '.') {
      at++;
      requireDigits();
      integer = false;
    }
    if (at < end && (data[at] == 'e' || data[at] == 'E')) {
      at++;
      if (at < end && (data[at] == '+' || data[at] == '-')) {
        at++;
      }
      requireDigits();
      integer = false;
    }
    if (at - start > MAX_NUMBER_CHARS) {
      throw BAIL;
    }
    // A number must end where a value may end; "1x" or "1true" is not JSON.
    if (at < end && !isValueEnd(data[at])) {
      throw BAIL;
    }
    return integer;
  }

  private void requireDigits() {
    if (at >= end || !isDigit(data[at])) {
      throw BAIL;
    }
    digits();
  }

  private void digits() {
    while (at < end && isDigit(data[at])) {
      at++;
    }
  }

  private void literal(String word) {
    if (end - at < word.length()) {
      throw BAIL;
    }
    for (int i = 0; i < word.length(); i++) {
      if (data[at + i] != word.charAt(i)) {
        throw BAIL;
      }
    }
    at += word.length();
    if (at < end && !isValueEnd(data[at])) {
      throw BAIL;
    }
  }

  private void skipWhiteSpace() {
    while (at < end) {
      byte b = data[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      at++;
    }
  }

  private byte peek() {
    if (at >= end) {
      throw BAIL;
    }
    return data[at];
  }

  private byte next() {
    if (at >= end) {
      throw BAIL;
    }
    return data[at++];
  }

  private void expect(char c) {
    if (next() != c) {
      throw BAIL;
    }
  }

  private boolean is(int from, int to, byte[] name) {
    return to - from == name.length
        && java.util.Arrays.equals(data, from, to, name, 0, name.length);
  }

  /** The reason as a string; the two every stream ends with are shared, not made per chunk. */
  private String finishReason(int from, int to) {
    if (is(from, to, STOP)) {
      return "stop";
    }
    if (is(from, to, LENGTH)) {
      return "length";
    }
    return new String(data, from, to - from, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isValueEnd(byte b) {
    return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
