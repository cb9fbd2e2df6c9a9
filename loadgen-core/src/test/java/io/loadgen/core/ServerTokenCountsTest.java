package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server's token counts: asked for in every streamed request, checked against the tokenizer's,
 * used instead of it on request, and dropped for a server that refuses the option.
 */
@Tag("e2e")
class ServerTokenCountsTest {
  private static Tokenizer tokenizer;

  @BeforeAll
  static void loadTokenizer() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  /** Ten tokens of " hi" (ten by GPT-2's tokenizer), and a usage chunk claiming {@code claimed}. */
  private static String stream(int claimed) {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sse.append(ScriptedServer.chatChunk(" hi"));
    }
    return sse.append(
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":")
        .append(claimed)
        .append(",\"total_tokens\":")
        .append(31 + claimed)
        .append("}}\n\n")
        .append("data: [DONE]\n\n")
        .toString();
  }

  private static ScriptedServer claiming(int completionTokens) {
    return ScriptedServer.start(
        request ->
            request
                .response()
                .putHeader("content-type", "text/event-stream")
                .end(stream(completionTokens)));
  }

  private static Profile.Builder profile(ScriptedServer server) {
    return Profile.builder()
        .url(server.baseUri().toString())
        .model("m")
        .streaming(true)
        .concurrency(1)
        .requestCount(6)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .serverMetricsInterval(null);
  }

  private static ProfileResult run(Profile profile, List<RunWarning> warnings) {
    return LoadGenerator.run(
        profile, RunOptions.defaults().withTokenizer(tokenizer).withWarningListener(warnings::add));
  }

  @Test
  void everyStreamedRequestAsksForUsageAndCountsThatAgreeSayNothing() {
    try (ScriptedServer server = claiming(10)) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      ProfileResult result = run(profile(server).build(), warnings);
      assertEquals(6, result.summary().requestCount());
      assertEquals(60, result.summary().serverCompletionTokens());
      for (int i = 0; i < 6; i++) {
        String body = server.takeRequest().body();
        assertTrue(body.contains("\"stream_options\":{\"include_usage\":true}"), body);
      }
      assertEquals(List.of(), warnings);
    }
  }

  @Test
  void countsThatDisagreeByMoreThanFivePercentAreSaidOnce() {
    try (ScriptedServer server = claiming(20)) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      ProfileResult result = run(profile(server).build(), warnings);
      assertEquals(10, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 0, "the tokenizer's");
      assertEquals(1, warnings.size(), warnings.toString());
      assertEquals("useServerTokenCount", warnings.get(0).setting());
      assertTrue(
          warnings
              .get(0)
              .message()
              .startsWith(
                  "the tokenizer counted 60 output tokens where the server reported 120 (-50.0%)"),
          warnings.get(0).message());
    }
  }

  @Test
  void serverCountsReplaceTheTokenizersWhenAskedAndSetTheLengthsAndInterTokenLatency() {
    try (ScriptedServer server = claiming(20)) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      ProfileResult result = run(profile(server).useServerTokenCount(true).build(), warnings);
      assertEquals(20, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 0);
      assertEquals(31, result.stats(Metric.INPUT_SEQUENCE_LENGTH).avg(), 0);
      assertEquals(List.of(), warnings, "nothing to compare: the server's counts are the counts");
    }
  }

  @Test
  void aServerThatRefusesTheUsageOptionGetsEachRequestAgainWithoutItOnce() {
    AtomicInteger refused = new AtomicInteger();
    try (ScriptedServer server =
        ScriptedServer.start(
            (request, body) -> {
              if (body.contains("stream_options")) {
                refused.incrementAndGet();
                request
                    .response()
                    .setStatusCode(400)
                    .putHeader("content-type", "application/json")
                    .end(
                        "{\"object\":\"error\",\"message\":\"[{'type': 'extra_forbidden', 'loc':"
                            + " ('body', 'stream_options'), 'msg': 'Extra inputs are not"
                            + " permitted'}]\",\"code\":400}");
              } else {
                request
                    .response()
                    .putHeader("content-type", "text/event-stream")
                    .end(stream(10).replaceAll("data: \\{\"choices\":\\[\\],\"usage.*\\n\\n", ""));
              }
            })) {
      List<RunWarning> warnings = new CopyOnWriteArrayList<>();
      ProfileResult result = run(profile(server).concurrency(3).requestCount(12).build(), warnings);
      assertEquals(0, result.summary().errorCount(), result.summary().errorsByKind().toString());
      assertEquals(12, result.summary().requestCount());
      // Only the requests in flight when the first refusal came back carried the option.
      assertTrue(refused.get() >= 1 && refused.get() <= 3, "refused " + refused.get());
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(
          warnings.get(0).message().startsWith("the server refused stream_options.include_usage"),
          warnings.get(0).message());
      int withOption = 0;
      for (int i = 0; i < 12 + refused.get(); i++) {
        withOption += server.takeRequest().body().contains("stream_options") ? 1 : 0;
      }
      assertEquals(refused.get(), withOption, "each refused request was sent again without it");
      assertEquals(0, server.pendingRequestCount());
    }
  }

  @Test
  void extraInputsThatSetStreamOptionsWin() {
    try (ScriptedServer server = claiming(10)) {
      run(
          profile(server)
              .requestCount(2)
              .extraInput("stream_options", java.util.Map.of("include_usage", false))
              .build(),
          new CopyOnWriteArrayList<>());
      for (int i = 0; i < 2; i++) {
        String body = server.takeRequest().body();
        assertTrue(body.contains("\"stream_options\":{\"include_usage\":false}"), body);
        assertFalse(body.contains("\"include_usage\":true"), body);
      }
    }
  }
}
