package io.loadgen.core.internal.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes OpenAI responses, streamed chunks and whole bodies alike, into one reusable {@link
 * Chunk}. A chunk of the usual shape (strict JSON, ASCII strings without escapes, no error) is read
 * by a single validating pass over its bytes ({@link FastChunkScanner}); any other goes to
 * Jackson's streaming parser, which builds no tree and skips every field it does not read, however
 * deeply nested. Both give the same result. Confined to one thread (an event loop); each decode
 * overwrites the previous result.
 *
 * <p>What it reads: the {@code [DONE]} sentinel that ends a stream; of the first choice only,
 * {@code delta.content} (chat chunk), {@code text} (completions), {@code message.content} (whole
 * chat body) and {@code finish_reason}; {@code usage.prompt_tokens} and {@code
 * usage.completion_tokens}; and an error, in the shapes {@link ErrorFields} lists. A reasoning
 * model's thinking ({@code reasoning_content}, or {@code reasoning} as some servers name it, in the
 * delta or message) is read apart from the content, as {@link Chunk#hasReasoning()}.
 */
public final class ChunkDecoder {
  /**
   * Thread-safe once built; sharing it shares the table of canonical field names, so the names of
   * every chunk after the first are matched without creating strings.
   */
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Bounds the copy of a malformed payload made for its description. */
  private static final int MALFORMED_PREFIX_BYTES = 4 * OneLine.LIMIT_CHARS;

  private final Chunk chunk = new Chunk();
  private final ErrorFields errorFields = new ErrorFields();
  private final FastChunkScanner fast = new FastChunkScanner();

  /** What one response or chunk said. Reused by the next decode: read it before decoding again. */
  public static final class Chunk {
    private boolean done;

    /** The content as a string, when Jackson decoded it. */
    private String content;

    /** The content as ASCII bytes in the decoded data, when the fast path read it. */
    private byte[] contentBytes;

    private int contentOffset;
    private int contentLength;

    /** The reasoning as a string, when Jackson decoded it. */
    private String reasoning;

    /** The reasoning as ASCII bytes in the decoded data, when the fast path read it. */
    private byte[] reasoningBytes;

    private int reasoningOffset;
    private int reasoningLength;
    String finishReason;
    boolean hasUsage;
    long promptTokens;
    long completionTokens;
    private String errorMessage;
    private String malformedReason;

    private Chunk() {}

    private void reset() {
      done = false;
      content = null;
      contentBytes = null;
      reasoning = null;
      reasoningBytes = null;
      finishReason = null;
      hasUsage = false;
      promptTokens = -1;
      completionTokens = -1;
      errorMessage = null;
      malformedReason = null;
    }

    /** True when the data is {@code [DONE]}, give or take white space; nothing else is then set. */
    public boolean done() {
      return done;
    }

    /**
     * The first choice's text: {@code delta.content}, {@code text} or {@code message.content}; null
     * when absent, JSON null or empty, so that null alone means "no token here".
     */
    public String content() {
      if (content == null && contentBytes != null) {
        content = new String(contentBytes, contentOffset, contentLength, StandardCharsets.US_ASCII);
      }
      return content;
    }

    /** True when the first choice has content: {@link #content()} is not null. */
    public boolean hasContent() {
      return content != null || contentBytes != null;
    }

    /**
     * Appends the content to {@code text}; valid only until the decoded data is overwritten, so
     * call it before the next event.
     */
    public void appendContentTo(OutputText text) {
      if (contentBytes != null) {
        text.appendAscii(contentBytes, contentOffset, contentLength);
      } else if (content != null) {
        text.append(content);
      }
    }

    /**
     * True when the first choice carries reasoning ({@code reasoning_content} or {@code
     * reasoning}): a token of a reasoning model's thinking, not of its answer.
     */
    public boolean hasReasoning() {
      return reasoning != null || reasoningBytes != null;
    }

    /** The reasoning text, or null; see {@link #hasReasoning()}. */
    public String reasoning() {
      if (reasoning == null && reasoningBytes != null) {
        reasoning =
            new String(reasoningBytes, reasoningOffset, reasoningLength, StandardCharsets.US_ASCII);
      }
      return reasoning;
    }

    /** Appends the reasoning to {@code text}, as {@link #appendContentTo} does the content. */
    public void appendReasoningTo(OutputText text) {
      if (reasoningBytes != null) {
        text.appendAscii(reasoningBytes, reasoningOffset, reasoningLength);
      } else if (reasoning != null) {
        text.append(reasoning);
      }
    }

    /** Sets the reasoning to ASCII bytes found in the data; an empty string is none. */
    void setAsciiReasoning(byte[] data, int offset, int length) {
      reasoning = null;
      if (length == 0) {
        reasoningBytes = null;
        return;
      }
      reasoningBytes = data;
      reasoningOffset = offset;
      reasoningLength = length;
    }

    /** Sets the content to ASCII bytes found in the data; an empty string is no content. */
    void setAsciiContent(byte[] data, int offset, int length) {
      content = null;
      if (length == 0) {
        contentBytes = null;
        return;
      }
      contentBytes = data;
      contentOffset = offset;
      contentLength = length;
    }

    private void setContent(String text) {
      contentBytes = null;
      content = text;
    }

    /** The first choice's {@code finish_reason}, or null. */
    public String finishReason() {
      return finishReason;
    }

    /** True when the response carried a {@code usage} object (not JSON null). */
    public boolean hasUsage() {
      return hasUsage;
    }

    /** {@code usage.prompt_tokens}, or -1 when absent. */
    public long promptTokens() {
      return promptTokens;
    }

    /** {@code usage.completion_tokens}, or -1 when absent. */
    public long completionTokens() {
      return completionTokens;
    }

    /**
     * A one-line description of the error the response reported, {@code message (type, code 500)},
     * or null when it reported none.
     */
    public String errorMessage() {
      return errorMessage;
    }

    /** True when the data is not a single JSON object; no other field is then set. */
    public boolean malformed() {
      return malformedReason != null;
    }

    /** Why the data is malformed, with the start of it, on one line; null when it is not. */
    public String malformedReason() {
      return malformedReason;
    }
  }

  /**
   * Decodes the first {@code length} bytes of {@code data}: one event's data, or a whole body. The
   * chunk may refer to {@code data} until the next decode.
   */
  public Chunk decode(byte[] data, int length) {
    chunk.reset();
    if (isDone(data, length)) {
      chunk.done = true;
      return chunk;
    }
    if (fast.scan(data, length, chunk)) {
      return chunk;
    }
    return decodeWithJackson(data, length);
  }

  /**
   * Decodes with Jackson alone, as {@link #decode} does whatever the fast path cannot read; public
   * for the tests and benchmarks that compare the two paths.
   */
  public Chunk decodeWithJackson(byte[] data, int length) {
    chunk.reset();
    errorFields.reset();
    if (isDone(data, length)) {
      chunk.done = true;
      return chunk;
    }
    try (JsonParser parser = JSON.createParser(data, 0, length)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return malformed("no data where a JSON object was expected");
      }
      if (first != JsonToken.START_OBJECT) {
        return malformed("not a JSON object: " + prefix(data, length));
      }
      readTopLevel(parser);
      if (parser.nextToken() != null) {
        return malformed("more than one JSON value: " + prefix(data, length));
      }
    } catch (JsonEOFException e) {
      return malformed("JSON cut short: " + prefix(data, length));
    } catch (StreamReadException e) {
      return malformed("not JSON: " + prefix(data, length));
    } catch (IOException e) {
      // Jackson's limits (nesting depth, number and string lengths); a byte array does no real I/O.
      return malformed("JSON beyond the parser's limits: " + prefix(data, length));
    }
    chunk.errorMessage = errorFields.describe(false);
    return chunk;
  }

  /** Decodes a whole non-streaming response body. */
  public Chunk decodeBody(Buffer body) {
    byte[] bytes = body.getBytes();
    return decode(bytes, bytes.length);
  }

  /**
   * One line describing a non-2xx response, for a failure message: {@code HTTP 400: } and the
   * message of an OpenAI {@code error}, of vLLM's flat error, of FastAPI's {@code detail} or of a
   * top-level {@code message}, when the body is such JSON; otherwise the body's text with any HTML
   * markup dropped and white space collapsed. Cut to about 200 characters.
   */
  public static String errorSummary(int status, byte[] body) {
    return ErrorSummary.of(status, body, JSON);
  }

  private Chunk malformed(String reason) {
    chunk.reset();
    chunk.malformedReason = reason;
    return chunk;
  }

  private static boolean isDone(byte[] data, int length) {
    int start = 0;
    int end = length;
    while (start < end && isWhiteSpace(data[start])) {
      start++;
    }
    while (end > start && isWhiteSpace(data[end - 1])) {
      end--;
    }
    return end - start == 6
        && data[start] == '['
        && data[start + 1] == 'D'
        && data[start + 2] == 'O'
        && data[start + 3] == 'N'
        && data[start + 4] == 'E'
        && data[start + 5] == ']';
  }

  private static boolean isWhiteSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private void readTopLevel(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("choices") && value == JsonToken.START_ARRAY) {
        readChoices(parser);
      } else if (name.equals("usage") && value == JsonToken.START_OBJECT) {
        readUsage(parser);
      } else if (!errorFields.read(name, value, parser)) {
        parser.skipChildren();
      }
    }
  }

  private void readChoices(JsonParser parser) throws IOException {
    boolean first = true;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      if (first && token == JsonToken.START_OBJECT) {
        readChoice(parser);
      } else {
        parser.skipChildren();
      }
      first = false;
    }
  }

  private void readChoice(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ((name.equals("delta") || name.equals("message")) && value == JsonToken.START_OBJECT) {
        readMessage(parser);
      } else if (name.equals("text")) {
        readContent(parser, value);
      } else if (name.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
        chunk.finishReason = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
  }

  private void readMessage(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("content")) {
        readContent(parser, value);
      } else if ((name.equals("reasoning_content") || name.equals("reasoning"))
          && value == JsonToken.VALUE_STRING) {
        chunk.reasoningBytes = null;
        chunk.reasoning = parser.getTextLength() == 0 ? null : parser.getText();
      } else {
        parser.skipChildren();
      }
    }
  }

  private void readContent(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      chunk.setContent(parser.getTextLength() == 0 ? null : parser.getText());
    } else {
      parser.skipChildren();
    }
  }

  private void readUsage(JsonParser parser) throws IOException {
    chunk.hasUsage = true;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NUMBER_INT && name.equals("prompt_tokens")) {
        chunk.promptTokens = parser.getLongValue();
      } else if (value == JsonToken.VALUE_NUMBER_INT && name.equals("completion_tokens")) {
        chunk.completionTokens = parser.getLongValue();
      } else {
        parser.skipChildren();
      }
    }
  }

  private static String prefix(byte[] data, int length) {
    return OneLine.of(
        new String(data, 0, Math.min(length, MALFORMED_PREFIX_BYTES), StandardCharsets.UTF_8));
  }
}
