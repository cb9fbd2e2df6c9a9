package io.loadgen.sim.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The JSON of OpenAI's responses, written as text from per-response prefixes: a token event is one
 * concatenation, with no JSON tree built per token. Words need no escaping; the model name is
 * escaped once.
 */
final class ChunkFormat {
  private final boolean chat;
  private final String head;
  private final String tokenPrefix;
  private final String firstTokenPrefix;
  private final String tokenSuffix;
  private final byte[] tokenPrefixBytes;
  private final byte[] firstTokenPrefixBytes;
  private final byte[] tokenSuffixBytes;
  private final byte[] reasoningPrefixBytes;
  private final byte[] firstReasoningPrefixBytes;

  ChunkFormat(boolean chat, long requestId, String model, long createdSeconds) {
    this.chat = chat;
    String escapedModel = new String(JsonStringEncoder.getInstance().quoteAsString(model));
    String id = (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(requestId);
    String object = chat ? "chat.completion.chunk" : "text_completion";
    this.head =
        "{\"id\":\""
            + id
            + "\",\"object\":\""
            + object
            + "\",\"created\":"
            + createdSeconds
            + ",\"model\":\""
            + escapedModel
            + "\",\"choices\":[";
    if (chat) {
      this.tokenPrefix = "data: " + head + "{\"index\":0,\"delta\":{\"content\":\"";
      this.firstTokenPrefix =
          "data: " + head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"";
      this.tokenSuffix = "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    } else {
      this.tokenPrefix = "data: " + head + "{\"index\":0,\"text\":\"";
      this.firstTokenPrefix = tokenPrefix;
      this.tokenSuffix = "\",\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    }
    // A reasoning model's thinking, as vLLM's reasoning parsers stream it: its own delta field.
    String reasoningPrefix = "data: " + head + "{\"index\":0,\"delta\":{\"reasoning_content\":\"";
    String firstReasoningPrefix =
        "data: " + head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"";
    this.reasoningPrefixBytes = reasoningPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.firstReasoningPrefixBytes =
        firstReasoningPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.tokenPrefixBytes = tokenPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.firstTokenPrefixBytes = firstTokenPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.tokenSuffixBytes = tokenSuffix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The event for a token as bytes, assembled from pre-encoded parts: this runs once per token per
   * stream, so it neither concatenates strings nor encodes UTF-8.
   */
  io.vertx.core.buffer.Buffer tokenEventBuffer(byte[] word, boolean first) {
    return event(first ? firstTokenPrefixBytes : tokenPrefixBytes, word);
  }

  /** A reasoning token's event, as {@link #tokenEventBuffer}; chat only. */
  io.vertx.core.buffer.Buffer reasoningEventBuffer(byte[] word, boolean first) {
    return event(first ? firstReasoningPrefixBytes : reasoningPrefixBytes, word);
  }

  private io.vertx.core.buffer.Buffer event(byte[] prefix, byte[] word) {
    return io.vertx.core.buffer.Buffer.buffer(prefix.length + word.length + tokenSuffixBytes.length)
        .appendBytes(prefix)
        .appendBytes(word)
        .appendBytes(tokenSuffixBytes);
  }

  String finishEvent(String finishReason) {
    String choice =
        chat
            ? "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\""
                + finishReason
                + "\"}"
            : "{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\""
                + finishReason
                + "\"}";
    return "data: " + head + choice + "]}\n\n";
  }

  String usageEvent(int promptTokens, int completionTokens) {
    return "data: " + head + "]," + usage(promptTokens, completionTokens) + "}\n\n";
  }

  String wholeBody(
      String reasoning, String text, String finishReason, int promptTokens, int completionTokens) {
    String wholeHead = chat ? head.replace("chat.completion.chunk", "chat.completion") : head;
    String thinking =
        reasoning == null || reasoning.isEmpty()
            ? ""
            : "\"reasoning_content\":\"" + reasoning + "\",";
    String choice =
        chat
            ? "{\"index\":0,\"message\":{\"role\":\"assistant\","
                + thinking
                + "\"content\":\""
                + text
                + "\"},\"logprobs\":null,"
                + "\"finish_reason\":\""
                + finishReason
                + "\"}"
            : "{\"index\":0,\"text\":\""
                + text
                + "\",\"logprobs\":null,\"finish_reason\":\""
                + finishReason
                + "\"}";
    return wholeHead + choice + "]," + usage(promptTokens, completionTokens) + "}";
  }

  private static String usage(int promptTokens, int completionTokens) {
    return "\"usage\":{\"prompt_tokens\":"
        + promptTokens
        + ",\"completion_tokens\":"
        + completionTokens
        + ",\"total_tokens\":"
        + (promptTokens + completionTokens)
        + "}";
  }
}
