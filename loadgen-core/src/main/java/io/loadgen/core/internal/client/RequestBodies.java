package io.loadgen.core.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.EndpointType;
import java.util.Map;

/**
 * Builds OpenAI request bodies as genai-perf does: model, the prompt (one user message for chat,
 * {@code prompt} for completions), {@code stream}, the sampled output length as {@code max_tokens}
 * (and {@code min_tokens} when deterministic), when streamed a request for the server's usage, then
 * every {@code --extra-inputs} key, which wins. Bodies are serialised once per dataset entry, never
 * on the hot path.
 */
public final class RequestBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EndpointType endpointType;
  private final String model;
  private final boolean streaming;
  private final Map<String, Object> extraInputs;

  public RequestBodies(
      EndpointType endpointType, String model, boolean streaming, Map<String, Object> extraInputs) {
    this.endpointType = endpointType;
    this.model = model;
    this.streaming = streaming;
    this.extraInputs = extraInputs;
  }

  /**
   * What a streamed body holds, right after {@code "stream":true}, to ask for the server's token
   * counts in a last chunk (OpenAI's {@code stream_options.include_usage}), unless the extra inputs
   * set {@code stream_options} themselves: so the tokenizer's count can always be checked against
   * the server's. {@link #withoutUsageOption} takes it out again for a server that rejects it.
   */
  public static final String USAGE_OPTION = ",\"stream_options\":{\"include_usage\":true}";

  /** Whether the bodies carry {@link #USAGE_OPTION}. */
  public boolean asksForUsage() {
    return streaming && !extraInputs.containsKey("stream_options");
  }

  /** {@code body} without {@link #USAGE_OPTION}: the same request for a server that rejects it. */
  public static String withoutUsageOption(String body) {
    int at = body.indexOf(USAGE_OPTION);
    return at < 0 ? body : body.substring(0, at) + body.substring(at + USAGE_OPTION.length());
  }

  /**
   * The body for one prompt.
   *
   * @param maxTokens the output length to ask for, or 0 to leave it to the server
   * @param deterministic also ask for at least {@code maxTokens}
   */
  public String body(String prompt, int maxTokens, boolean deterministic) {
    if (!endpointType.generative()) {
      return retrievalBody(prompt, java.util.List.of(prompt));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    if (endpointType == EndpointType.CHAT) {
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "user").put("content", prompt);
    } else {
      body.put("prompt", prompt);
    }
    return finish(body, maxTokens, deterministic);
  }

  /**
   * The body of an embeddings request ({@code input}: the texts) or a rankings request ({@code
   * query.text} and {@code passages[].text}, NIM's reranking API, as genai-perf sends it); then
   * every extra input, which wins. No output length and no {@code stream}: neither endpoint
   * generates tokens.
   *
   * @param query the rankings query; ignored for embeddings
   */
  public String retrievalBody(String query, java.util.List<String> texts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    if (endpointType == EndpointType.RANKINGS) {
      body.putObject("query").put("text", query);
      ArrayNode passages = body.putArray("passages");
      texts.forEach(text -> passages.addObject().put("text", text));
    } else {
      ArrayNode input = body.putArray("input");
      texts.forEach(input::add);
    }
    extraInputs.forEach((key, value) -> body.set(key, JSON.valueToTree(value)));
    return write(body);
  }

  /**
   * The body for a conversation, as {@code (role, content)} pairs, for chat; for completions the
   * contents joined by new lines are the prompt.
   */
  public String body(
      java.util.List<Map.Entry<String, String>> conversation,
      int maxTokens,
      boolean deterministic) {
    if (endpointType != EndpointType.CHAT) {
      return body(
          String.join("\n", conversation.stream().map(Map.Entry::getValue).toList()),
          maxTokens,
          deterministic);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    conversation.forEach(
        m -> messages.addObject().put("role", m.getKey()).put("content", m.getValue()));
    return finish(body, maxTokens, deterministic);
  }

  private String finish(ObjectNode body, int maxTokens, boolean deterministic) {
    body.put("stream", streaming);
    if (asksForUsage()) {
      body.putObject("stream_options").put("include_usage", true);
    }
    if (maxTokens > 0) {
      body.put("max_tokens", maxTokens);
      if (deterministic) {
        body.put("min_tokens", maxTokens);
      }
    }
    extraInputs.forEach((key, value) -> body.set(key, JSON.valueToTree(value)));
    return write(body);
  }

  private static String write(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request body could not be serialised", e);
    }
  }
}
