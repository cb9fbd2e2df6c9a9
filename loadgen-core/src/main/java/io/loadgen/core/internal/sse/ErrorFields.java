package io.loadgen.core.internal.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Collects the fields of a top-level JSON object in which servers report errors, and describes the
 * error on one line as {@code message (type, code 500)}. Reused: {@link #reset()} before each
 * object.
 *
 * <p>The shapes recognised: OpenAI's {@code {"error": {"message", "type", "code"}}}; a bare string
 * {@code {"error": "..."}}, with Hugging Face TGI's sibling {@code error_type}; and vLLM's flat
 * {@code {"object": "error", "message", "type", "code"}}. A top-level {@code message} without
 * {@code "object": "error"} is an error only where the caller already knows the response failed (a
 * non-2xx status), since a successful response could carry such a field.
 */
final class ErrorFields {
  private static final String NO_MESSAGE = "error without a message";

  /** The description of an {@code error} object, complete in itself. */
  private String errorObject;

  /**
   * The text of an {@code error} that was a string (or another scalar), to describe with siblings.
   */
  private String errorText;

  private boolean objectIsError;
  private String message;
  private String type;
  private String code;

  void reset() {
    errorObject = null;
    errorText = null;
    objectIsError = false;
    message = null;
    type = null;
    code = null;
  }

  /**
   * Reads the value of the top-level field {@code name}, whose first token {@code value} is
   * current, when it is one this class collects; returns false, leaving the value unread, when it
   * is not.
   */
  boolean read(String name, JsonToken value, JsonParser parser) throws IOException {
    switch (name) {
      case "error":
        readError(value, parser);
        return true;
      case "object":
        objectIsError = value == JsonToken.VALUE_STRING && textIs(parser, "error");
        parser.skipChildren();
        return true;
      case "message":
        message = scalarText(value, parser);
        return true;
      case "type":
      case "error_type":
        type = scalarText(value, parser);
        return true;
      case "code":
        code = scalarText(value, parser);
        return true;
      default:
        return false;
    }
  }

  /**
   * The error, or null when the object reported none.
   *
   * @param bareMessageIsError whether a top-level {@code message} is an error even without {@code
   *     "object": "error"}
   */
  String describe(boolean bareMessageIsError) {
    if (errorObject != null) {
      return errorObject;
    }
    if (errorText != null) {
      return describe(errorText, type, code);
    }
    if (objectIsError || (bareMessageIsError && message != null)) {
      return describe(message, type, code);
    }
    return null;
  }

  private void readError(JsonToken value, JsonParser parser) throws IOException {
    if (value == JsonToken.START_OBJECT) {
      String innerMessage = null;
      String innerType = null;
      String innerCode = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (name) {
          case "message":
            innerMessage = scalarText(token, parser);
            break;
          case "type":
            innerType = scalarText(token, parser);
            break;
          case "code":
            innerCode = scalarText(token, parser);
            break;
          default:
            parser.skipChildren();
        }
      }
      errorObject = describe(innerMessage, innerType, innerCode);
    } else if (value == JsonToken.VALUE_NULL || value == JsonToken.VALUE_FALSE) {
      // How some servers say there is no error.
    } else if (value == JsonToken.VALUE_TRUE) {
      errorText = "";
    } else if (value.isScalarValue()) {
      errorText = parser.getText();
    } else {
      parser.skipChildren();
      errorText = "";
    }
  }

  private static String describe(String message, String type, String code) {
    String text = message == null || message.isBlank() ? NO_MESSAGE : OneLine.of(message);
    if (type == null && code == null) {
      return text;
    }
    StringBuilder line = new StringBuilder(text).append(" (");
    if (type != null) {
      line.append(OneLine.of(type));
    }
    if (code != null) {
      line.append(type != null ? ", " : "").append("code ").append(OneLine.of(code));
    }
    return line.append(')').toString();
  }

  /** A scalar's text, or null for JSON null, an object or an array (which are skipped). */
  private static String scalarText(JsonToken value, JsonParser parser) throws IOException {
    if (value == JsonToken.VALUE_NULL || !value.isScalarValue()) {
      parser.skipChildren();
      return null;
    }
    return parser.getText();
  }

  /** Compares the current string value with {@code expected} without making a String of it. */
  private static boolean textIs(JsonParser parser, String expected) throws IOException {
    int length = parser.getTextLength();
    if (length != expected.length()) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (chars[offset + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
