package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * genai-perf's embeddings and rankings endpoints against the simulated server, which runs each
 * request's texts as one prefill through its engine: whole answers, request latency and throughput,
 * the batch's texts in each body, and no token metrics.
 */
@Tag("e2e")
class RetrievalEndpointsTest {
  @RegisterExtension static final SimTarget target = new SimTarget(6);

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Profile.Builder profile(EndpointType type) {
    return Profile.builder()
        .url(target.sim().baseUri())
        .model("nv-embed")
        .endpointType(type)
        .inputTokens(new TokenLengthDistribution(30, 0))
        .batchSizeText(4)
        .concurrency(2)
        .requestCount(8);
  }

  private static ProfileResult run(Profile profile, List<RequestRecord> records) {
    return LoadGenerator.run(
        profile,
        RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
  }

  @Test
  void embeddingsSendTheBatchAndMeasureEachWholeAnswer() throws Exception {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result = run(profile(EndpointType.EMBEDDINGS).build(), records);
    assertEquals(8, result.summary().requestCount(), result.summary().errorsByKind().toString());
    assertEquals(0, result.summary().errorCount());
    assertTrue(result.stats(Metric.REQUEST_LATENCY).min() > 0);
    assertTrue(result.summary().requestThroughput() > 0);
    assertEquals(4 * 30, result.stats(Metric.INPUT_SEQUENCE_LENGTH).avg(), 4 * 30 * 0.1);
    assertFalse(Metric.TIME_TO_FIRST_TOKEN.appliesTo(result.profile()));
    assertFalse(Metric.OUTPUT_SEQUENCE_LENGTH.appliesTo(result.profile()));
    for (RequestRecord record : records) {
      JsonNode body = JSON.readTree(record.requestBody());
      assertEquals(4, body.path("input").size(), record.requestBody());
      assertFalse(body.has("stream"), "an embeddings body is not a completion's");
      assertEquals(1, record.responseCount());
      // The server's usage counts the batch's tokens, as the tokenizer does.
      assertEquals(record.inputTokens(), record.serverPromptTokens(), 4 * 2);
    }
  }

  @Test
  void rankingsSendAQueryAndItsPassages() throws Exception {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result = run(profile(EndpointType.RANKINGS).build(), records);
    assertEquals(8, result.summary().requestCount(), result.summary().errorsByKind().toString());
    JsonNode body = JSON.readTree(records.get(0).requestBody());
    assertTrue(body.path("query").path("text").isTextual(), body.toString());
    assertEquals(4, body.path("passages").size());
    // A query and four passages of 30 tokens.
    assertEquals(5 * 30, result.stats(Metric.INPUT_SEQUENCE_LENGTH).avg(), 5 * 30 * 0.1);
  }

  @Test
  void aServerAnsweringWithACompletionIsNotAnEmbeddingsServer() {
    // The simulator's completions route answers 200, but with a completion, not embeddings: the
    // run stops as incompatible, saying why, rather than count those answers as done.
    TargetUnreachableException stopped =
        assertThrows(
            TargetUnreachableException.class,
            () ->
                run(
                    profile(EndpointType.EMBEDDINGS)
                        .endpointPath("v1/completions")
                        .extraInput("prompt", "hello")
                        .build(),
                    new CopyOnWriteArrayList<>()));
    assertTrue(
        stopped.getMessage().contains("invalid_response: the response has no 'data' array"),
        stopped.getMessage());
  }

  @Test
  void refusesToStreamAnEndpointThatAnswersInOneBody() {
    ProfileConfigException streaming =
        assertThrows(
            ProfileConfigException.class,
            () -> profile(EndpointType.EMBEDDINGS).streaming(true).build());
    assertEquals("streaming", streaming.setting());
    assertEquals(
        "batchSizeText",
        assertThrows(
                ProfileConfigException.class,
                () -> profile(EndpointType.RANKINGS).batchSizeText(0).build())
            .setting());
  }
}
