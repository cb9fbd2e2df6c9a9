package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.ScriptedServer.RecordedRequest;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What reaches the server: each request's method, path, headers and body, as the profile asked. */
@Tag("e2e")
class RequestsAsSentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Loaded once: a run given a tokenizer does not load its own. */
  private static Tokenizer tokenizer;

  @BeforeAll
  static void loadTokenizer() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  /** Answers a streamed request with two tokens, any other with one whole completion. */
  private static ScriptedServer server() {
    return ScriptedServer.start(
        request -> {
          if ("text/event-stream".equals(request.getHeader("accept"))) {
            request
                .response()
                .putHeader("content-type", "text/event-stream")
                .end(
                    ScriptedServer.chatChunk(" one")
                        + ScriptedServer.chatChunk(" two")
                        + "data: [DONE]\n\n");
          } else {
            request
                .response()
                .putHeader("content-type", "application/json")
                .end(
                    "{\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" one two\","
                        + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2}}");
          }
        });
  }

  private static Profile.Builder profile(String url) {
    return Profile.builder()
        .url(url)
        .model("meta/llama-3.1-8b-instruct")
        .streaming(true)
        .concurrency(1)
        .requestCount(3)
        .inputTokens(new TokenLengthDistribution(20, 0))
        // Only the run's own requests: no /metrics scrapes among them.
        .serverMetricsInterval(null);
  }

  /** Runs the profile and returns every request the server received, in order, all of them. */
  private static List<RecordedRequest> sent(ScriptedServer server, Profile profile) {
    ProfileResult result =
        LoadGenerator.run(profile, RunOptions.defaults().withTokenizer(tokenizer));
    assertEquals(0, result.summary().errorCount(), result.summary().errorsByKind().toString());
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = 0; i < profile.load().requestCount(); i++) {
      requests.add(server.takeRequest());
    }
    assertEquals(
        0, server.pendingRequestCount(), "the server got exactly the run's requests, no more");
    return requests;
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return JSON.readTree(request.body());
  }

  @Test
  void postsAStreamedChatRequestToTheDefaultPathWithTheModelLengthAndExtraInputs()
      throws Exception {
    try (ScriptedServer server = server()) {
      List<RecordedRequest> requests =
          sent(
              server,
              profile(server.baseUri().toString())
                  .outputTokens(new TokenLengthDistribution(7, 0))
                  .extraInput("ignore_eos", true)
                  .extraInput("temperature", 0.25)
                  .extraInput("nvext", java.util.Map.of("top_k", 3))
                  .build());
      for (RecordedRequest request : requests) {
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions", request.uri());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("text/event-stream", request.header("Accept"));
        assertNull(request.header("Authorization"), "no API key, no Authorization header");
        JsonNode body = body(request);
        assertEquals("meta/llama-3.1-8b-instruct", body.path("model").asText());
        assertTrue(
            body.path("stream").isBoolean() && body.path("stream").asBoolean(), request.body());
        assertEquals(7, body.path("max_tokens").intValue(), request.body());
        assertFalse(body.has("min_tokens"), "min_tokens only when the length is deterministic");
        assertEquals(1, body.path("messages").size(), request.body());
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertFalse(
            body.path("messages").get(0).path("content").asText().isBlank(), request.body());
        // Extra inputs keep the JSON types they were given or inferred.
        assertTrue(
            body.path("ignore_eos").isBoolean() && body.path("ignore_eos").asBoolean(),
            request.body());
        assertEquals(0.25, body.path("temperature").doubleValue(), 0.0, request.body());
        assertEquals(3, body.path("nvext").path("top_k").intValue(), request.body());
      }
    }
  }

  @Test
  void postsACompletionsRequestWithoutStreamingAsAPromptAndAtLeastMaxTokensWhenDeterministic()
      throws Exception {
    try (ScriptedServer server = server()) {
      List<RecordedRequest> requests =
          sent(
              server,
              profile(server.baseUri().toString())
                  .endpointType(EndpointType.COMPLETIONS)
                  .streaming(false)
                  .outputTokens(new TokenLengthDistribution(5, 0))
                  .outputTokensDeterministic(true)
                  .build());
      for (RecordedRequest request : requests) {
        assertEquals("/v1/completions", request.path());
        assertEquals("application/json", request.header("Accept"));
        JsonNode body = body(request);
        assertTrue(
            body.path("stream").isBoolean() && !body.path("stream").asBoolean(), request.body());
        assertFalse(body.path("prompt").asText().isBlank(), request.body());
        assertFalse(body.has("messages"), request.body());
        assertEquals(5, body.path("max_tokens").intValue(), request.body());
        assertEquals(5, body.path("min_tokens").intValue(), request.body());
      }
    }
  }

  @Test
  void putsTheDefaultPathUnderTheUrlsBasePath() {
    try (ScriptedServer server = server()) {
      // A trailing slash on the URL does not double the one before the path.
      List<RecordedRequest> requests = sent(server, profile(server.baseUri() + "/openai/").build());
      requests.forEach(request -> assertEquals("/openai/v1/chat/completions", request.uri()));
    }
  }

  @Test
  void sendsACustomEndpointPathUnderTheUrlsBasePathInsteadOfTheTypesDefault() {
    try (ScriptedServer server = server()) {
      List<RecordedRequest> requests =
          sent(
              server,
              profile(server.baseUri() + "/gateway/llm")
                  .endpointPath("/v2/models/ensemble/generate_stream")
                  .build());
      requests.forEach(
          request ->
              assertEquals("/gateway/llm/v2/models/ensemble/generate_stream", request.uri()));
    }
  }

  @Test
  void sendsTheApiKeyAsABearerTokenAndEveryCustomHeaderAsGiven() {
    try (ScriptedServer server = server()) {
      List<RecordedRequest> requests =
          sent(
              server,
              profile(server.baseUri().toString())
                  .apiKey("sk-test-123")
                  .header("X-Team", "search ranking")
                  .header("X-Request-Source", "loadgen")
                  .build());
      for (RecordedRequest request : requests) {
        assertEquals("Bearer sk-test-123", request.header("authorization"));
        assertEquals(List.of("search ranking"), request.headers().getAll("X-Team"));
        assertEquals(List.of("loadgen"), request.headers().getAll("x-request-source"));
        assertEquals(
            "application/json",
            request.header("Content-Type"),
            "custom headers replace none of ours");
      }
    }
  }
}
