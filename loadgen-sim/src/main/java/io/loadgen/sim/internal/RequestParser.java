package io.loadgen.sim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI completion request bodies, rejecting what a real server would reject. */
final class RequestParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestParser() {}

  /** Thrown with an OpenAI {@code invalid_request_error} message. */
  static final class InvalidRequest extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRequest(String message) {
      super(message, null, false, false);
    }
  }

  static CompletionRequest parse(boolean chat, String body) throws InvalidRequest {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequest("the body must be a JSON object");
    }
    String prompt = chat ? messagesText(root.get("messages")) : promptText(root.get("prompt"));
    String model = root.path("model").asText("");
    boolean stream = root.path("stream").asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    int maxTokens =
        positiveInt(
            root,
            chat && root.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens");
    int minTokens = nonNegativeInt(root, "min_tokens");
    if (maxTokens > 0 && minTokens > maxTokens) {
      throw new InvalidRequest(
          "min_tokens (" + minTokens + ") must be at most max_tokens (" + maxTokens + ")");
    }
    boolean ignoreEos = root.path("ignore_eos").asBoolean(false);
    return new CompletionRequest(
        chat, model, prompt, stream, includeUsage, maxTokens, minTokens, ignoreEos);
  }

  private static String messagesText(JsonNode messages) throws InvalidRequest {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequest("'messages' must be a non-empty array");
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode message : messages) {
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        continue;
      }
      if (content.isTextual()) {
        parts.add(content.asText());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
            parts.add(part.get("text").asText());
          }
        }
      } else {
        throw new InvalidRequest("a message's 'content' must be a string or an array of parts");
      }
    }
    return String.join(" ", parts);
  }

  private static String promptText(JsonNode prompt) throws InvalidRequest {
    if (prompt == null || prompt.isNull()) {
      throw new InvalidRequest("'prompt' is required");
    }
    if (prompt.isTextual()) {
      return prompt.asText();
    }
    if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      return prompt.get(0).asText();
    }
    throw new InvalidRequest("'prompt' must be a string");
  }

  private static int positiveInt(JsonNode root, String field) throws InvalidRequest {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw new InvalidRequest("'" + field + "' must be a positive integer, got " + node);
    }
    return node.asInt();
  }

  private static int nonNegativeInt(JsonNode root, String field) throws InvalidRequest {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
      throw new InvalidRequest("'" + field + "' must be a non-negative integer, got " + node);
    }
    return node.asInt();
  }
}
