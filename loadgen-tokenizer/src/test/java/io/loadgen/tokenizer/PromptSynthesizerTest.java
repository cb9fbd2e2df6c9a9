package io.loadgen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptSynthesizerTest {
  private static Tokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = Tokenizer.bundled();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void everyPromptFromOneToThreeHundredTokensReencodesToItsLength() {
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, 1);
    for (int length = 1; length <= 300; length++) {
      assertEquals(length, tokenizer.count(prompts.next(length)), "length " + length);
    }
  }

  @Test
  void longPromptsWrapAroundTheCorpusAndStayExact() {
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, 2);
    SplittableRandom lengths = new SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      int length = 1 + lengths.nextInt(4096);
      assertEquals(length, tokenizer.count(prompts.next(length)), "length " + length);
    }
  }

  @Test
  void sameSeedGivesTheSamePromptsAndCallsDiffer() {
    PromptSynthesizer a = new PromptSynthesizer(tokenizer, 42);
    PromptSynthesizer b = new PromptSynthesizer(tokenizer, 42);
    PromptSynthesizer c = new PromptSynthesizer(tokenizer, 43);
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String prompt = a.next(100);
      assertEquals(prompt, b.next(100));
      distinct.add(prompt);
    }
    assertTrue(distinct.size() >= 18, "prompts repeat: " + distinct.size() + " distinct of 20");
    assertNotEquals(new PromptSynthesizer(tokenizer, 42).next(100), c.next(100));
  }

  @Test
  void gpt2TakesTheAdditivePathAndTheReencodingPathIsExactToo() {
    assertTrue(new PromptSynthesizer(tokenizer, 1).additive());
    PromptSynthesizer slow = new PromptSynthesizer(tokenizer, 1, false);
    assertTrue(!slow.additive());
    for (int length : new int[] {1, 2, 7, 64, 333, 2500}) {
      assertEquals(length, tokenizer.count(slow.next(length)), "length " + length);
    }
  }

  @Test
  void thousandsOfPromptsOfRandomLengthsAllReencodeExactly() {
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, 99);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 3_000; i++) {
      int length = 1 + random.nextInt(400);
      assertEquals(length, tokenizer.count(prompts.next(length)), "prompt " + i);
    }
  }

  /**
   * Llama-3's tokenizer is not ours to ship; CI fetches it from npm ({@code .ci/run}) and names it
   * in {@code LOADGEN_LLAMA3_TOKENIZER}.
   */
  @Test
  @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(
      named = "LOADGEN_LLAMA3_TOKENIZER",
      matches = ".+")
  void llama3PromptsAreExactOnTheAdditivePath() {
    try (Tokenizer llama3 = Tokenizer.load(System.getenv("LOADGEN_LLAMA3_TOKENIZER"))) {
      PromptSynthesizer prompts = new PromptSynthesizer(llama3, 5);
      assertTrue(prompts.additive());
      SplittableRandom random = new SplittableRandom(8);
      for (int i = 0; i < 1_000; i++) {
        int length = 1 + random.nextInt(2500);
        assertEquals(length, llama3.count(prompts.next(length)), "prompt " + i);
      }
    }
  }

  @Test
  void stratifiedLengthsHaveTheAskedMeanAndDeviationEvenForFewPrompts() {
    for (int count : new int[] {10, 20, 100, 1000}) {
      for (long seed = 0; seed < 5; seed++) {
        int[] lengths = new TokenLengthDistribution(200, 10).stratifiedLengths(count, seed);
        double mean = java.util.Arrays.stream(lengths).average().orElseThrow();
        double variance =
            java.util.Arrays.stream(lengths).mapToDouble(l -> (l - mean) * (l - mean)).sum()
                / count;
        assertEquals(200, mean, 0.5, "count " + count + " seed " + seed);
        assertEquals(10, Math.sqrt(variance), 1.0, "count " + count + " seed " + seed);
      }
    }
    int[] a = new TokenLengthDistribution(200, 10).stratifiedLengths(50, 1);
    assertTrue(
        java.util.Arrays.equals(a, new TokenLengthDistribution(200, 10).stratifiedLengths(50, 1)));
    assertTrue(
        !java.util.Arrays.equals(a, new TokenLengthDistribution(200, 10).stratifiedLengths(50, 2)));
    assertTrue(
        java.util.Arrays.stream(new TokenLengthDistribution(3, 50).stratifiedLengths(100, 1))
            .allMatch(l -> l >= 1));
  }

  @Test
  void refusesAnEmptyPrompt() {
    assertThrows(IllegalArgumentException.class, () -> new PromptSynthesizer(tokenizer, 0).next(0));
  }

  @Test
  void samplesLengthsWithTheRequestedMeanAndDeviation() {
    TokenLengthDistribution distribution = new TokenLengthDistribution(200, 10);
    SplittableRandom random = new SplittableRandom(9);
    int n = 20_000;
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      int sample = distribution.sample(random);
      sum += sample;
      sumSquares += (double) sample * sample;
    }
    double mean = sum / n;
    assertEquals(200, mean, 0.3);
    assertEquals(10, Math.sqrt(sumSquares / n - mean * mean), 0.3);
    assertEquals(7, new TokenLengthDistribution(7, 0).sample(random));
    assertEquals(
        1, new TokenLengthDistribution(1, 50).sample(new SplittableRandom(1)) >= 1 ? 1 : 0);
  }

  @Test
  void rejectsImpossibleDistributionsWithAReadableMessage() {
    TokenLengthException e =
        assertThrows(TokenLengthException.class, () -> new TokenLengthDistribution(0, 1));
    assertTrue(e.getMessage().contains("mean"), e.getMessage());
    e = assertThrows(TokenLengthException.class, () -> new TokenLengthDistribution(10, -1));
    assertTrue(e.getMessage().contains("standard deviation"), e.getMessage());
  }
}
