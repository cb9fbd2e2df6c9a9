package io.loadgen.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.EndpointType;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Tokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static Profile.Builder profile() {
    return Profile.builder().url("127.0.0.1:9").model("m").randomSeed(11);
  }

  private static String content(DatasetEntry entry) throws Exception {
    JsonNode body = JSON.readTree(entry.body());
    return body.has("messages")
        ? body.path("messages").get(0).path("content").asText()
        : body.path("prompt").asText();
  }

  @Test
  void everySyntheticPromptHasItsSampledLengthAndTheSameSeedGivesTheSameBytes() throws Exception {
    Profile p =
        profile().inputTokens(new TokenLengthDistribution(200, 10)).numDatasetEntries(300).build();
    Dataset a = Dataset.of(p, tokenizer);
    Dataset b = Dataset.of(p, tokenizer);
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.entry(i).inputTokens(), tokenizer.count(content(a.entry(i))), "entry " + i);
      assertEquals(a.entry(i).body(), b.entry(i).body());
      distinct.add(content(a.entry(i)));
    }
    assertEquals(300, distinct.size(), "prompts repeat");
    assertNotEquals(
        a.entry(0).body(),
        Dataset.of(p.toBuilder().randomSeed(12).build(), tokenizer).entry(0).body());
  }

  @Test
  void theEntriesTheRunUsesFollowTheAskedDistribution() {
    // 20 requests over a dataset of 100: those 20 prompts have mean 200 and deviation 10.
    Profile p = profile().inputTokens(new TokenLengthDistribution(200, 10)).concurrency(10).build();
    Dataset dataset = Dataset.of(p, tokenizer);
    double[] lengths = new double[20];
    for (int i = 0; i < 20; i++) {
      lengths[i] = dataset.entry(i).inputTokens();
    }
    double mean = java.util.Arrays.stream(lengths).average().orElseThrow();
    double std =
        Math.sqrt(java.util.Arrays.stream(lengths).map(l -> (l - mean) * (l - mean)).sum() / 20);
    assertEquals(200, mean, 1.0);
    assertEquals(10, std, 1.0);
  }

  @Test
  void prefixPromptsComeFromASharedPoolAndCountInTheInputLength() throws Exception {
    Profile p =
        profile()
            .inputTokens(new TokenLengthDistribution(50, 0))
            .numDatasetEntries(40)
            .prefixPrompts(3, 120)
            .build();
    Dataset dataset = Dataset.of(p, tokenizer);
    Set<String> prefixes = new HashSet<>();
    for (int i = 0; i < dataset.size(); i++) {
      String prompt = content(dataset.entry(i));
      long[] ids = tokenizer.encode(prompt);
      prefixes.add(tokenizer.decode(java.util.Arrays.copyOf(ids, 100)));
      assertEquals(tokenizer.count(prompt), dataset.entry(i).inputTokens());
      assertTrue(
          Math.abs(dataset.entry(i).inputTokens() - 170) <= 1,
          "length " + dataset.entry(i).inputTokens());
    }
    assertEquals(3, prefixes.size(), "prompts should start with one of three prefixes");
  }

  @Test
  void fileLinesBecomeBodiesWithTheirOwnLengthsAndMessages(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("in.jsonl"),
            String.join(
                "\n",
                "{\"text\": \"Tell me about caches.\", \"output_length\": 7}",
                "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi there\"}]}",
                "{\"input_length\": 64}"));
    Profile p =
        profile()
            .inputFile(file, false)
            .outputTokens(new TokenLengthDistribution(30, 0))
            .outputTokensDeterministic(true)
            .build();
    Dataset dataset = Dataset.of(p, tokenizer);
    assertEquals(3, dataset.size());
    assertNull(dataset.scheduleNanos());
    JsonNode first = JSON.readTree(dataset.entry(0).body());
    assertEquals("Tell me about caches.", first.path("messages").get(0).path("content").asText());
    assertEquals(7, first.path("max_tokens").asInt());
    assertEquals(7, first.path("min_tokens").asInt());
    assertEquals(tokenizer.count("Tell me about caches."), dataset.entry(0).inputTokens());
    JsonNode chat = JSON.readTree(dataset.entry(1).body());
    assertEquals("system", chat.path("messages").get(0).path("role").asText());
    assertEquals(
        30, chat.path("max_tokens").asInt(), "no output_length: the profile's output length");
    assertEquals(tokenizer.count("Be brief. Hi there"), dataset.entry(1).inputTokens());
    assertEquals(64, tokenizer.count(content(dataset.entry(2))));
  }

  @Test
  void aTraceKeepsItsScheduleAndItsSharedPrefixBlocks(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("trace.jsonl"),
            String.join(
                "\n",
                "{\"timestamp\": 1000, \"input_length\": 1100, \"output_length\": 3, \"hash_ids\": [7, 8, 9]}",
                "{\"timestamp\": 1250, \"input_length\": 700, \"output_length\": 3, \"hash_ids\": [7, 10]}",
                "{\"timestamp\": 4000, \"input_length\": 600, \"output_length\": 3, \"hash_ids\": [11, 12]}"));
    Profile p = profile().endpointType(EndpointType.COMPLETIONS).inputFile(file, true).build();
    Dataset dataset = Dataset.of(p, tokenizer);
    assertArrayEquals(new long[] {0, 250_000_000L, 3_000_000_000L}, dataset.scheduleNanos());
    String a = content(dataset.entry(0));
    String b = content(dataset.entry(1));
    String c = content(dataset.entry(2));
    assertEquals(1100, tokenizer.count(a));
    assertEquals(700, tokenizer.count(b));
    assertEquals(600, tokenizer.count(c));
    String sharedBlock = a.substring(0, 2000);
    assertTrue(b.startsWith(sharedBlock), "hash id 7 is the same text in both requests");
    assertTrue(!c.startsWith(a.substring(0, 200)), "other hash ids, other text");
    assertEquals(3, JSON.readTree(dataset.entry(0).body()).path("max_tokens").asInt());
  }

  @Test
  void cutsAWideOutputDistributionsTailAtTheLongestOutputAllowed() throws Exception {
    Profile p =
        profile()
            .inputTokens(new TokenLengthDistribution(8, 0))
            .outputTokens(new TokenLengthDistribution(1_000_000, 1_000_000))
            .numDatasetEntries(40)
            .build();
    Dataset dataset = Dataset.of(p, tokenizer);
    int longest = 0;
    for (int i = 0; i < dataset.size(); i++) {
      int maxTokens = JSON.readTree(dataset.entry(i).body()).path("max_tokens").asInt();
      assertTrue(maxTokens >= 1 && maxTokens <= 1_000_000, "entry " + i + ": " + maxTokens);
      longest = Math.max(longest, maxTokens);
    }
    assertEquals(1_000_000, longest, "the upper half of the draws is cut to the bound");
  }

  @Test
  void refusesAPromptPoolTheHeapCannotHoldBeforeMakingAnyPrompt() {
    Profile p = profile().prefixPrompts(1_000_000, 1_000).numDatasetEntries(100).build();
    ProfileConfigException e =
        assertThrows(ProfileConfigException.class, () -> Dataset.of(p, tokenizer, 0, 1L << 30));
    assertNull(e.setting());
    assertEquals(
        "the synthetic prompts would take about 15750 MiB (1000155000 tokens in 100 prompts and"
            + " 1000000 shared prefixes), more than half of the 1024 MiB the JVM may use: use fewer"
            + " or shorter prompts, or give the JVM more heap (-Xmx)",
        e.getMessage());
    // The same pool of short prefixes fits.
    Dataset.of(
        profile().prefixPrompts(10, 1_000).numDatasetEntries(100).build(), tokenizer, 0, 1L << 30);
  }
}
