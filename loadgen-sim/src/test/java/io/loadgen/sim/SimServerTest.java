package io.loadgen.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class SimServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ConcurrentLinkedQueue<long[]> SENDS = new ConcurrentLinkedQueue<>();
  private static Tokenizer tokenizer;
  private static SimServer sim;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    tokenizer = Tokenizer.bundled();
    sim =
        SimServer.start(
            SimConfig.preset("default")
                .seed(7)
                .promptTokenCounter(tokenizer::count)
                .tokenSendListener(
                    (id, token, scheduled, sent) ->
                        SENDS.add(new long[] {id, token, scheduled, sent}))
                .build());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    sim.close();
    tokenizer.close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(sim.baseUri().resolve(path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(sim.baseUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The data of each SSE event in a whole streamed body. */
  private static List<String> events(String body) {
    List<String> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.startsWith("data: ")) {
        events.add(block.substring("data: ".length()));
      }
    }
    return events;
  }

  @Test
  void streamsChatChunksAsOpenAiDoesEndingWithUsageAndDone() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/chat/completions",
            "{\"model\":\"meta/llama\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hello there, how are you\"}],\"stream\":true,\"max_tokens\":5,"
                + "\"ignore_eos\":true,\"stream_options\":{\"include_usage\":true}}");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> events = events(response.body());
    assertEquals(5 + 3, events.size(), response.body());
    JsonNode first = JSON.readTree(events.get(0));
    assertEquals("chat.completion.chunk", first.path("object").asText());
    assertEquals("meta/llama", first.path("model").asText());
    assertEquals("assistant", first.path("choices").get(0).path("delta").path("role").asText());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      JsonNode chunk = JSON.readTree(events.get(i));
      text.append(chunk.path("choices").get(0).path("delta").path("content").asText());
      assertTrue(chunk.path("choices").get(0).path("finish_reason").isNull());
    }
    assertEquals(5, tokenizer.count(text.toString()));
    JsonNode finish = JSON.readTree(events.get(5));
    assertEquals("length", finish.path("choices").get(0).path("finish_reason").asText());
    JsonNode usage = JSON.readTree(events.get(6));
    assertEquals(0, usage.path("choices").size());
    assertEquals(5, usage.path("usage").path("completion_tokens").asInt());
    assertEquals(
        tokenizer.count("Hello there, how are you"),
        usage.path("usage").path("prompt_tokens").asInt());
    assertEquals("[DONE]", events.get(7));
  }

  @Test
  void streamsCompletionsTextWithoutUsageUnlessAsked() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/completions",
            "{\"model\":\"m\",\"prompt\":\"Once upon a time\",\"stream\":true,\"max_tokens\":3,\"ignore_eos\":true}");
    List<String> events = events(response.body());
    assertEquals(3 + 2, events.size(), response.body());
    JsonNode first = JSON.readTree(events.get(0));
    assertEquals("text_completion", first.path("object").asText());
    assertTrue(first.path("choices").get(0).path("text").asText().startsWith(" "));
    assertFalse(response.body().contains("\"usage\""));
  }

  @Test
  void answersWithoutStreamingInOneBodyWithUsage() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":12,\"ignore_eos\":true}");
    assertEquals(200, response.statusCode());
    JsonNode body = JSON.readTree(response.body());
    assertEquals("chat.completion", body.path("object").asText());
    String content = body.path("choices").get(0).path("message").path("content").asText();
    assertEquals(12, tokenizer.count(content));
    assertEquals(12, body.path("usage").path("completion_tokens").asInt());
  }

  @Test
  void keepsOutputsWithinMinAndMaxTokensWithoutIgnoreEos() throws Exception {
    // All at once: the default preset's step costs the same whatever the batch, so twenty take as
    // long as one, where one after another they took twenty times 30 to 40 steps.
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      responses.add(
          http.sendAsync(
              HttpRequest.newBuilder(sim.baseUri().resolve("/v1/completions"))
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"m\",\"prompt\":\"prompt "
                              + i
                              + "\",\"max_tokens\":40,\"min_tokens\":30}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      int length =
          JSON.readTree(response.join().body()).path("usage").path("completion_tokens").asInt();
      assertTrue(length >= 30 && length <= 40, "length " + length);
    }
    HttpResponse<String> exact =
        post(
            "/v1/completions",
            "{\"model\":\"m\",\"prompt\":\"p\",\"max_tokens\":7,\"min_tokens\":7}");
    assertEquals(7, JSON.readTree(exact.body()).path("usage").path("completion_tokens").asInt());
  }

  @Test
  void givesTheSameAnswerToTheSameRequest() throws Exception {
    String request = "{\"model\":\"m\",\"prompt\":\"same prompt\",\"max_tokens\":20}";
    // Sent together: the answer follows from the request alone, not from what else is running.
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (String body : List.of(request, request, request.replace("same", "other"))) {
      responses.add(
          http.sendAsync(
              HttpRequest.newBuilder(sim.baseUri().resolve("/v1/completions"))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<String> texts = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      texts.add(JSON.readTree(response.join().body()).path("choices").get(0).path("text").asText());
    }
    assertEquals(texts.get(0), texts.get(1));
    assertNotEquals(texts.get(0), texts.get(2));
  }

  @Test
  void rejectsInvalidRequestsAsOpenAiDoes() throws Exception {
    for (String[] bad :
        new String[][] {
          {"/v1/chat/completions", "{not json"},
          {"/v1/chat/completions", "{\"model\":\"m\"}"},
          {"/v1/completions", "{\"model\":\"m\"}"},
          {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"p\",\"max_tokens\":0}"},
          {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"p\",\"max_tokens\":\"many\"}"},
          {
            "/v1/completions",
            "{\"model\":\"m\",\"prompt\":\"p\",\"max_tokens\":5,\"min_tokens\":9}"
          },
          {"/v1/embeddings", "{}"},
          {"/v1/embeddings", "{\"input\":[1,2]}"},
          {"/v1/ranking", "{\"query\":{\"text\":\"q\"}}"},
          {"/v1/ranking", "{\"query\":\"q\",\"passages\":[{\"text\":\"p\"}]}"}
        }) {
      HttpResponse<String> response = post(bad[0], bad[1]);
      assertEquals(400, response.statusCode(), bad[1]);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertEquals("invalid_request_error", error.path("type").asText());
      assertFalse(error.path("message").asText().isEmpty());
    }
    assertEquals(404, post("/v1/rerank", "{}").statusCode());
  }

  @Test
  void answersEmbeddingsAndRankingsInOneBodyWithUsage() throws Exception {
    HttpResponse<String> embeddings =
        post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\" the cat\",\" a dog\"]}");
    assertEquals(200, embeddings.statusCode(), embeddings.body());
    JsonNode data = JSON.readTree(embeddings.body()).path("data");
    assertEquals(2, data.size());
    assertEquals(1, data.get(1).path("index").asInt());
    assertTrue(data.get(0).path("embedding").size() > 0);
    assertEquals(4, JSON.readTree(embeddings.body()).path("usage").path("prompt_tokens").asInt());
    HttpResponse<String> rankings =
        post(
            "/v1/ranking",
            "{\"model\":\"r\",\"query\":{\"text\":\" the\"},"
                + "\"passages\":[{\"text\":\" a\"},{\"text\":\" b\"},{\"text\":\" c\"}]}");
    assertEquals(200, rankings.statusCode(), rankings.body());
    JsonNode ranked = JSON.readTree(rankings.body()).path("rankings");
    assertEquals(3, ranked.size());
    for (int i = 1; i < ranked.size(); i++) {
      assertTrue(
          ranked.get(i - 1).path("logit").asDouble() >= ranked.get(i).path("logit").asDouble());
    }
    // A cross-encoder reads the query beside each passage: 3 x (1 + 1) tokens.
    assertEquals(6, JSON.readTree(rankings.body()).path("usage").path("prompt_tokens").asInt());
  }

  @Test
  void listsItsModelAndAnswersHealthChecks() throws Exception {
    JsonNode models = JSON.readTree(get("/v1/models").body());
    assertEquals("list", models.path("object").asText());
    assertEquals("loadgen-sim", models.path("data").get(0).path("id").asText());
    assertEquals(200, get("/health").statusCode());
  }

  @Test
  void sendsEveryTokenOnScheduleAndNeverEarly() throws Exception {
    SENDS.clear();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      responses.add(
          http.sendAsync(
              HttpRequest.newBuilder(sim.baseUri().resolve("/v1/completions"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"m\",\"prompt\":\"timing "
                              + i
                              + "\",\"stream\":true,\"max_tokens\":30,\"ignore_eos\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    responses.forEach(CompletableFuture::join);
    List<long[]> sends = new ArrayList<>(SENDS);
    assertEquals(20 * 30, sends.size());
    long[] lateness = sends.stream().mapToLong(s -> s[3] - s[2]).sorted().toArray();
    assertTrue(lateness[0] >= 0, "a token was sent early");
    // How late, on the wall clock, is a benchmark's figure, not a test's: a loaded CI machine
    // can stall any thread for tens of milliseconds.
    // Consecutive tokens of a request come from consecutive engine steps, each at least the
    // decode step long; with the default preset's batch-independent cost, decode-only steps are
    // exactly that long, so most gaps are.
    long step = sim.config().engine().decodeStepFixedNanos();
    sends.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int exact = 0;
    int gaps = 0;
    for (int i = 1; i < sends.size(); i++) {
      if (sends.get(i)[0] == sends.get(i - 1)[0]) {
        long gap = sends.get(i)[2] - sends.get(i - 1)[2];
        assertTrue(gap >= step, "tokens " + gap + " ns apart, under one step");
        gaps++;
        exact += gap == step ? 1 : 0;
      }
    }
    assertTrue(exact > gaps / 2, exact + " of " + gaps + " gaps were one plain decode step");
  }

  @Test
  void servesHundredsOfConcurrentStreams() {
    int streams = 300;
    long before = sim.stats().requestsCompleted();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      responses.add(
          http.sendAsync(
              HttpRequest.newBuilder(sim.baseUri().resolve("/v1/chat/completions"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"c"
                              + i
                              + "\"}],\"stream\":true,\"max_tokens\":5,\"ignore_eos\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertTrue(response.join().body().endsWith("data: [DONE]\n\n"));
    }
    assertEquals(before + streams, sim.stats().requestsCompleted());
  }

  @Test
  void cancelsAStreamWhenTheClientGoesAway() throws Exception {
    long cancelledBefore = sim.stats().requestsCancelled();
    String body =
        "{\"model\":\"m\",\"prompt\":\"long\",\"stream\":true,\"max_tokens\":1000,\"ignore_eos\":true}";
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sim.port())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = reader.readLine();
      } while (line != null && !line.startsWith("data: "));
      assertTrue(line != null, "no token arrived before the stream ended");
    }
    awaitTrue(() -> sim.stats().requestsCancelled() > cancelledBefore, Duration.ofSeconds(10));
    assertTrue(sim.stats().tokensSent() > 0);
  }

  @Test
  void everyOutputWordIsOneGpt2TokenAndTheyNeverMerge() {
    StringBuilder text = new StringBuilder();
    for (String word : io.loadgen.sim.internal.WordsAccess.words()) {
      assertEquals(1, tokenizer.count(word), word);
      text.append(word);
    }
    java.util.Random random = new java.util.Random(5);
    List<String> words = io.loadgen.sim.internal.WordsAccess.words();
    for (int i = 0; i < 2000; i++) {
      text.append(words.get(random.nextInt(words.size())));
    }
    assertEquals(words.size() + 2000, tokenizer.count(text.toString()));
  }

  @Test
  void refusesAPortInUseWithOneClearLine() {
    SimServerException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SimServerException.class,
            () -> SimServer.start(SimConfig.preset("default").port(sim.port()).build()));
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void namesTheKnownPresetsForAnUnknownOne() {
    SimConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SimConfigException.class, () -> SimConfig.preset("gpt-5-on-a-toaster"));
    assertTrue(e.getMessage().contains("default"), e.getMessage());
  }

  /** Waits for a condition the server reaches asynchronously, failing after {@code limit}. */
  private static void awaitTrue(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached within " + limit);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
