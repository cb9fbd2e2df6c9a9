package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * genai-perf's multi-turn chat sessions against the simulated server: every turn sends the whole
 * conversation, the server's own earlier answers included, the prompt grows turn by turn, the
 * delays between turns hold, and the concurrency counts sessions.
 */
@Tag("e2e")
class SessionsTest {
  @RegisterExtension static final SimTarget target = new SimTarget(8);

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Profile.Builder profile() {
    return Profile.builder()
        .url(target.sim().baseUri())
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .outputTokens(new TokenLengthDistribution(5, 0))
        .extraInput("max_tokens", 5)
        .extraInput("min_tokens", 5)
        .sessions(new Sessions(4, 2, 3, 0, 50, 0));
  }

  @Test
  void eachTurnSendsTheConversationSoFarWithTheServersAnswers() throws Exception {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        LoadGenerator.run(
            profile().build(),
            RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
    RunSummary summary = result.summary();
    assertEquals(12, summary.requestCount(), "4 sessions of 3 turns");
    Map<Long, List<RequestRecord>> bySession = new TreeMap<>();
    for (RequestRecord record : records) {
      bySession.computeIfAbsent(record.id() >>> 20, s -> new ArrayList<>()).add(record);
    }
    assertEquals(4, bySession.size());
    for (List<RequestRecord> turns : bySession.values()) {
      turns.sort(Comparator.comparingLong(r -> r.id() & 0xFFFFF));
      for (int t = 0; t < turns.size(); t++) {
        JsonNode messages = JSON.readTree(turns.get(t).requestBody()).path("messages");
        assertEquals(2 * t + 1, messages.size(), "turn " + t + ": " + messages);
        if (t > 0) {
          // The answer the server streamed last turn comes back as the assistant's message.
          assertEquals(
              turns.get(t - 1).outputText(), messages.get(2 * t - 1).path("content").asText());
          assertEquals("assistant", messages.get(2 * t - 1).path("role").asText());
          // The session waited its 50 ms after the last answer.
          long gap =
              turns.get(t).sendEpochNanos()
                  - turns.get(t - 1).responseEpochNanos(turns.get(t - 1).responseCount() - 1);
          assertTrue(gap >= 49_000_000L, "gap " + gap + " ns");
          assertTrue(turns.get(t).inputTokens() > turns.get(t - 1).inputTokens());
        }
      }
    }
    // By turn: three rows, the prompt growing by about a message and an answer each.
    List<TurnStats> byTurn = summary.sessionTurns();
    assertEquals(List.of(1, 2, 3), byTurn.stream().map(TurnStats::turn).toList());
    byTurn.forEach(turn -> assertEquals(4, turn.requests()));
    assertEquals(20, byTurn.get(0).inputSequenceLengthAvg(), 2);
    assertEquals(20 + 5 + 20, byTurn.get(1).inputSequenceLengthAvg(), 4);
    assertTrue(byTurn.get(2).timeToFirstTokenP50Millis() > 0);
    assertTrue(maxOverlappingSessions(bySession) <= 2, "session concurrency 2");
  }

  @Test
  void readsSessionsFromAFileWithTheirTurnsAndDelays(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("sessions.jsonl");
    java.nio.file.Files.writeString(
        file,
        String.join(
            "\n",
            "{\"session_id\": \"a\", \"text\": \"What is a KV cache?\"}",
            "{\"session_id\": \"b\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"Hello\"}]}",
            "{\"session_id\": \"a\", \"text\": \"And paged attention?\", \"delay\": 80}",
            ""));
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        LoadGenerator.run(
            profile().sessions(new Sessions(2, 2, 1, 0, 0, 0)).inputFile(file, false).build(),
            RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
    assertEquals(3, result.summary().requestCount(), "session a has 2 turns, b one");
    RequestRecord first = records.stream().filter(r -> r.id() == 0).findFirst().orElseThrow();
    RequestRecord second = records.stream().filter(r -> r.id() == 1).findFirst().orElseThrow();
    JsonNode messages = JSON.readTree(second.requestBody()).path("messages");
    assertEquals(3, messages.size(), messages.toString());
    assertEquals("What is a KV cache?", messages.get(0).path("content").asText());
    assertEquals(first.outputText(), messages.get(1).path("content").asText());
    assertEquals("And paged attention?", messages.get(2).path("content").asText());
    long gap = second.sendEpochNanos() - first.responseEpochNanos(first.responseCount() - 1);
    assertTrue(gap >= 79_000_000L, "the file's 80 ms delay: " + gap + " ns");
    RequestRecord b = records.stream().filter(r -> r.id() == 1L << 20).findFirst().orElseThrow();
    assertEquals(
        "system", JSON.readTree(b.requestBody()).path("messages").get(0).path("role").asText());
  }

  @Test
  void refusesSessionsOnAnEndpointWithoutConversations() {
    assertEquals(
        "numSessions",
        assertThrows(
                ProfileConfigException.class,
                () -> profile().endpointType(EndpointType.COMPLETIONS).build())
            .setting());
  }

  private static int maxOverlappingSessions(Map<Long, List<RequestRecord>> bySession) {
    List<long[]> events = new ArrayList<>();
    for (List<RequestRecord> turns : bySession.values()) {
      long start = turns.stream().mapToLong(RequestRecord::sendEpochNanos).min().orElseThrow();
      long end =
          turns.stream()
              .mapToLong(r -> r.responseEpochNanos(r.responseCount() - 1))
              .max()
              .orElseThrow();
      events.add(new long[] {start, 1});
      events.add(new long[] {end, -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }
}
