package io.loadgen.core.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Checks an embeddings or rankings answer has the shape of one: OpenAI's {@code data} array of
 * {@code embedding}s, one per text sent, or NIM's {@code rankings} array. Read once per response,
 * with a tree: these answers carry no tokens, so nothing here is on a per-token path.
 */
final class RetrievalResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RetrievalResponses() {}

  /** Why {@code body} is not such an answer, on one line; null when it is one. */
  static String problem(byte[] body, boolean ranking) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return "the response is not JSON";
    }
    if (root == null || !root.isObject()) {
      return "the response is not a JSON object";
    }
    if (ranking) {
      JsonNode rankings = root.path("rankings");
      if (!rankings.isArray() || rankings.isEmpty()) {
        return "the response has no 'rankings' array, as NIM's reranking API answers";
      }
      return null;
    }
    JsonNode data = root.path("data");
    if (!data.isArray() || data.isEmpty() || !data.get(0).path("embedding").isArray()) {
      return "the response has no 'data' array of embeddings, as OpenAI's embeddings API answers";
    }
    return null;
  }
}
