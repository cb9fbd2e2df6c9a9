package io.loadgen.sim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * An embeddings request (OpenAI's {@code POST /v1/embeddings}: {@code input}, a string or an array
 * of them) or a ranking request (NIM's {@code POST /v1/ranking}: {@code query.text} and {@code
 * passages[].text}), read as a real server reads it, rejecting what it would reject.
 *
 * @param texts the embeddings' inputs, or the passages to rank
 * @param query the ranking query; null for embeddings
 */
record RetrievalRequest(boolean ranking, String model, List<String> texts, String query) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static RetrievalRequest parse(boolean ranking, String body) throws RequestParser.InvalidRequest {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RequestParser.InvalidRequest(
          "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new RequestParser.InvalidRequest("the body must be a JSON object");
    }
    String model = root.path("model").asText("");
    List<String> texts = new ArrayList<>();
    if (ranking) {
      JsonNode query = root.path("query").path("text");
      if (!query.isTextual()) {
        throw new RequestParser.InvalidRequest("'query.text' must be a string");
      }
      JsonNode passages = root.path("passages");
      if (!passages.isArray() || passages.isEmpty()) {
        throw new RequestParser.InvalidRequest("'passages' must be a non-empty array");
      }
      for (JsonNode passage : passages) {
        if (!passage.path("text").isTextual()) {
          throw new RequestParser.InvalidRequest("each passage needs a 'text' string");
        }
        texts.add(passage.path("text").asText());
      }
      return new RetrievalRequest(true, model, texts, query.asText());
    }
    JsonNode input = root.path("input");
    if (input.isTextual()) {
      texts.add(input.asText());
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode text : input) {
        if (!text.isTextual()) {
          throw new RequestParser.InvalidRequest("'input' must be a string or strings");
        }
        texts.add(text.asText());
      }
    } else {
      throw new RequestParser.InvalidRequest("'input' must be a string or a non-empty array");
    }
    return new RetrievalRequest(false, model, texts, null);
  }
}
