package io.loadgen.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text a session turn's input length counts: its messages' contents joined by a space, as
 * genai-perf counts a conversation. Read back from the body on the recorder's thread, once per
 * turn: the body is made per turn on the event loop, which must not tokenize.
 */
final class SessionBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionBodies() {}

  static String conversationText(String body) {
    try {
      List<String> contents = new ArrayList<>();
      for (JsonNode message : JSON.readTree(body).path("messages")) {
        contents.add(message.path("content").asText(""));
      }
      return String.join(" ", contents);
    } catch (IOException e) {
      throw new IllegalStateException("a session body of our own is not JSON", e);
    }
  }
}
