package io.loadgen.core.internal.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One line describing a non-2xx response from its body, as {@code HTTP 422: what the server said}.
 *
 * <p>A JSON object is searched for the shapes {@link ErrorFields} knows, including a bare top-level
 * {@code message}, and for FastAPI's {@code detail} (a string, or vLLM's and pydantic's list of
 * validation errors, read as {@code body.max_tokens: message; ...}). Any other body is text: when
 * it looks like HTML, its head, scripts, styles, comments and tags are dropped first. Either way
 * the result is cut to {@value OneLine#LIMIT_CHARS} characters; a body that says nothing gives
 * {@code HTTP 503} alone.
 */
final class ErrorSummary {
  /** An error page's message is near its start; this bounds the work on a huge body. */
  private static final int TEXT_PREFIX_BYTES = 64 * 1024;

  private static final Pattern HIDDEN_MARKUP =
      Pattern.compile("(?is)<(head|script|style)\\b.*?</\\1\\s*>|<!--.*?-->");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");

  private ErrorSummary() {}

  static String of(int status, byte[] body, JsonFactory json) {
    String detail = fromJson(body, json);
    if (detail == null) {
      detail = fromText(body);
    }
    return detail.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + detail;
  }

  /** What a JSON object body says went wrong, or null when the body is not one or says nothing. */
  private static String fromJson(byte[] body, JsonFactory json) {
    ErrorFields fields = new ErrorFields();
    String detail = null;
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("detail")) {
          detail = readDetail(parser, value, body);
        } else if (!fields.read(name, value, parser)) {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      // Not JSON, or JSON cut short: the text, summarised below, says more than a parse error.
      return null;
    }
    String error = fields.describe(true);
    return error != null ? error : detail;
  }

  private static String readDetail(JsonParser parser, JsonToken value, byte[] body)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value.isScalarValue()) {
      return OneLine.of(parser.getText());
    }
    long start = parser.currentTokenLocation().getByteOffset();
    String messages =
        value == JsonToken.START_ARRAY ? readDetailList(parser) : readDetailEntry(parser);
    if (messages != null) {
      return OneLine.of(messages);
    }
    // An unknown shape: its JSON text, which is still more use than nothing.
    long end = parser.currentLocation().getByteOffset();
    if (start < 0 || end <= start || end > body.length) {
      return null;
    }
    return OneLine.of(new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8));
  }

  /** {@code [{"loc": [...], "msg": ...}, "text", ...]} as {@code loc: msg; text}, or null. */
  private static String readDetailList(JsonParser parser) throws IOException {
    StringBuilder messages = new StringBuilder();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      String message = null;
      if (token == JsonToken.START_OBJECT) {
        message = readDetailEntry(parser);
      } else if (token == JsonToken.VALUE_STRING) {
        message = parser.getText();
      } else {
        parser.skipChildren();
      }
      if (message != null) {
        messages.append(messages.length() == 0 ? "" : "; ").append(message);
      }
    }
    return messages.length() == 0 ? null : messages.toString();
  }

  /** One validation error, {@code {"loc": ["body", "n"], "msg": "..."}}, as {@code body.n: ...}. */
  private static String readDetailEntry(JsonParser parser) throws IOException {
    String location = null;
    String message = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ((name.equals("msg") || name.equals("message")) && value == JsonToken.VALUE_STRING) {
        message = parser.getText();
      } else if (name.equals("loc") && value == JsonToken.START_ARRAY) {
        location = readLocation(parser);
      } else {
        parser.skipChildren();
      }
    }
    if (message == null) {
      return null;
    }
    return location == null || location.isEmpty() ? message : location + ": " + message;
  }

  private static String readLocation(JsonParser parser) throws IOException {
    StringBuilder location = new StringBuilder();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      if (token.isScalarValue()) {
        location.append(location.length() == 0 ? "" : ".").append(parser.getText());
      } else {
        parser.skipChildren();
      }
    }
    return location.toString();
  }

  private static String fromText(byte[] body) {
    String text =
        new String(body, 0, Math.min(body.length, TEXT_PREFIX_BYTES), StandardCharsets.UTF_8);
    if (text.stripLeading().startsWith("<")) {
      String visible = TAG.matcher(HIDDEN_MARKUP.matcher(text).replaceAll(" ")).replaceAll(" ");
      if (visible.isBlank()) {
        // A page whose only words are in its head, such as its title.
        visible = TAG.matcher(text).replaceAll(" ");
      }
      text = unescapeEntities(visible);
    }
    return OneLine.of(text);
  }

  /** The few entities error pages use; the rest are left as written. */
  private static String unescapeEntities(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    return text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }
}
