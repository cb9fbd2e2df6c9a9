package io.loadgen.core.internal.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes OpenAI responses, streamed chunks and whole bodies alike, with Jackson's streaming parser:
 * no tree is built, unknown fields are skipped, and the result lands in one reusable {@link Chunk}.
 * Confined to one thread (an event loop).
 *
 * <p>Reads {@code choices[0].delta.content} (chat chunk), {@code choices[0].text} (completions),
 * {@code choices[0].message.content} (whole chat body), {@code finish_reason}, {@code usage} and a
 * top-level {@code error}; {@code [DONE]} ends a stream.
 */
public final class ChunkDecoder {
  // A mapper's factory, so that a FastAPI {@code detail} array can be read as a tree.
  private static final JsonFactory JSON = new com.fasterxml.jackson.databind.ObjectMapper().getFactory();
  private static final int SUMMARY_LIMIT = 200;

  private final Chunk chunk = new Chunk();

  /** What one response said. Reused by the next decode: read it before decoding again. */
  public static final class Chunk {
    private boolean done;
    private String content;
    private String finishReason;
    private boolean hasUsage;
    private long promptTokens;
    private long completionTokens;
    private String errorMessage;
    private String malformedReason;

    private void reset() {
      done = false;
      content = null;
      finishReason = null;
      hasUsage = false;
      promptTokens = -1;
      completionTokens = -1;
      errorMessage = null;
      malformedReason = null;
    }

    /** True for the {@code [DONE]} sentinel. */
    public boolean done() {
      return done;
    }

    /** The text of the first choice, or null. */
    public String content() {
      return content;
    }

    public String finishReason() {
      return finishReason;
    }

    /** True when the response carried a {@code usage} object. */
    public boolean hasUsage() {
      return hasUsage;
    }

    /** {@code usage.prompt_tokens}, or -1. */
    public long promptTokens() {
      return promptTokens;
    }

    /** {@code usage.completion_tokens}, or -1. */
    public long completionTokens() {
      return completionTokens;
    }

    /** A one-line description of the response's {@code error}, or null. */
    public String errorMessage() {
      return errorMessage;
    }

    /** True when the response is not an OpenAI JSON object. */
    public boolean malformed() {
      return malformedReason != null;
    }

    /** Why the response is malformed, or null. */
    public String malformedReason() {
      return malformedReason;
    }
  }

  /** Decodes the first {@code length} bytes of {@code data}. */
  public Chunk decode(byte[] data, int length) {
    chunk.reset();
    if (isDone(data, length)) {
      chunk.done = true;
      return chunk;
    }
    try (JsonParser parser = JSON.createParser(data, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        chunk.malformedReason = "not a JSON object: " + summary(data, length);
        return chunk;
      }
      readTopLevel(parser);
      if (parser.nextToken() != null) {
        chunk.malformedReason = "trailing data after the JSON object: " + summary(data, length);
      }
    } catch (IOException e) {
      chunk.malformedReason = "not JSON: " + summary(data, length);
    }
    return chunk;
  }

  private static boolean isDone(byte[] data, int length) {
    int start = 0;
    int end = length;
    while (start < end && data[start] <= ' ') {
      start++;
    }
    while (end > start && data[end - 1] <= ' ') {
      end--;
    }
    return end - start == 6 && data[start] == '[' && data[start + 1] == 'D' && data[start + 2] == 'O'
        && data[start + 3] == 'N' && data[start + 4] == 'E' && data[start + 5] == ']';
  }

  private void readTopLevel(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "choices":
          if (value == JsonToken.START_ARRAY) {
            readChoices(parser);
          } else {
            parser.skipChildren();
          }
          break;
        case "usage":
          if (value == JsonToken.START_OBJECT) {
            readUsage(parser);
          } else {
            parser.skipChildren();
          }
          break;
        case "error":
          chunk.errorMessage = readError(parser, value);
          break;
        default:
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
      switch (name) {
        case "delta":
        case "message":
          if (value == JsonToken.START_OBJECT) {
            readMessage(parser);
          } else {
            parser.skipChildren();
          }
          break;
        case "text":
          if (value == JsonToken.VALUE_STRING) {
            chunk.content = parser.getText();
          }
          break;
        case "finish_reason":
          if (value == JsonToken.VALUE_STRING) {
            chunk.finishReason = parser.getText();
          }
          break;
        default:
          parser.skipChildren();
      }
    }
  }

  private void readMessage(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("content") && value == JsonToken.VALUE_STRING) {
        chunk.content = parser.getText();
      } else {
        parser.skipChildren();
      }
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

  /** {@code "error": "text"} or {@code "error": {"message", "type", "code"}}, as one line. */
  private static String readError(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return oneLine(parser.getText());
    }
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return value == JsonToken.VALUE_NULL ? null : "error";
    }
    String message = null;
    String type = null;
    String code = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      boolean scalar = token.isScalarValue() && token != JsonToken.VALUE_NULL;
      if (name.equals("message") && scalar) {
        message = parser.getText();
      } else if (name.equals("type") && scalar) {
        type = parser.getText();
      } else if (name.equals("code") && scalar) {
        code = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
    StringBuilder line = new StringBuilder(message == null ? "error" : oneLine(message));
    if (type != null || code != null) {
      line.append(" (");
      if (type != null) {
        line.append(type);
      }
      if (code != null) {
        line.append(type != null ? ", " : "").append("code ").append(code);
      }
      line.append(')');
    }
    return line.toString();
  }

  /**
   * One line describing a non-2xx answer: the message of an OpenAI {@code error}, a FastAPI
   * {@code detail} or a {@code message} when the body is JSON; else the body's text with markup and
   * runs of white space collapsed, cut at 200 characters.
   */
  public static String errorSummary(int status, byte[] body) {
    String detail = jsonMessage(body);
    if (detail == null) {
      String text = new String(body, StandardCharsets.UTF_8).replaceAll("<[^>]*>", " ");
      detail = truncate(oneLine(text));
    }
    return "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
  }

  private static String jsonMessage(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String found = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("error")) {
          found = readError(parser, value);
        } else if ((name.equals("detail") || name.equals("message")) && found == null) {
          if (value.isScalarValue()) {
            found = oneLine(parser.getText());
          } else {
            found = oneLine(parser.readValueAsTree().toString());
          }
        } else {
          parser.skipChildren();
        }
      }
      return found == null ? null : truncate(found);
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  private static String summary(byte[] data, int length) {
    return truncate(oneLine(new String(data, 0, Math.min(length, 4 * SUMMARY_LIMIT), StandardCharsets.UTF_8)));
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static String truncate(String text) {
    return text.length() <= SUMMARY_LIMIT ? text : text.substring(0, SUMMARY_LIMIT) + "...";
  }
}
