package io.loadgen.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic prompts with an exact token count under a given tokenizer, cut from a bundled
 * public-domain English corpus (see {@code corpus/NOTICE.md}) at a seeded random position, so that
 * prompts differ across requests (a server with prefix caching is not flattered) and the same seed
 * gives the same prompts, byte for byte.
 *
 * <p>Fast path: the corpus is cut into words, each with its leading space, and each distinct word
 * is encoded once. A prompt starts at a random word and, at each sentence's end, goes on with a
 * random sentence, so that two prompts share little more than a few words at their start, however
 * small the corpus. Tokenizers that split text into words before merging (GPT-2's and Llama-3's
 * byte-level BPE, SentencePiece's metaspace) never merge across such a cut, so a run of words has
 * exactly the sum of their counts, and a prompt is a run of words summing to the target, topped up
 * with a one-token filler word. That costs a few microseconds where a re-encode of 2,000 tokens
 * costs about 2 ms. The synthesizer checks that premise on the whole corpus first: the corpus must
 * encode to the sum of its words' counts, and every word cut must be a token boundary. A tokenizer
 * that fails the check takes the slow path: decode a slice of the corpus's token ids, re-encode it
 * and adjust the slice until the count is exact.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class PromptSynthesizer {
  private static final String CORPUS = "corpus/public-domain.txt";
  private static final int MAX_ADJUSTMENTS = 16;

  private final Tokenizer tokenizer;
  private final SplittableRandom random;
  private final long[] corpusIds;
  private final Words words;

  public PromptSynthesizer(Tokenizer tokenizer, long seed) {
    this(tokenizer, seed, true);
  }

  /** With {@code allowAdditive} false, always the slow path: for tests of that path. */
  PromptSynthesizer(Tokenizer tokenizer, long seed, boolean allowAdditive) {
    this.tokenizer = tokenizer;
    this.random = new SplittableRandom(seed);
    String corpus = corpus();
    this.corpusIds = tokenizer.encode(corpus);
    if (corpusIds.length < 16) {
      throw new TokenizerException(
          "tokenizer '" + tokenizer.name() + "' encodes the prompt corpus to almost nothing");
    }
    this.words = allowAdditive ? Words.ofCorpus(tokenizer, corpus) : null;
  }

  /** Whether this tokenizer passed the additivity check and prompts take the fast path. */
  public boolean additive() {
    return words != null;
  }

  /**
   * The corpus cut into words with their leading spaces, each with its token count, when the
   * tokenizer's counts add up across those cuts; null when they do not.
   */
  private record Words(
      String[] text, int[] tokens, String filler, boolean[] endsSentence, int[] sentenceStarts) {
    static Words ofCorpus(Tokenizer tokenizer, String corpus) {
      String[] text = (" " + corpus).split("(?= )");
      int[] tokens = new int[text.length];
      java.util.Map<String, Integer> counts = new java.util.HashMap<>();
      long sum = 0;
      for (int i = 0; i < text.length; i++) {
        tokens[i] = counts.computeIfAbsent(text[i], tokenizer::count);
        if (tokens[i] < 1) {
          return null;
        }
        sum += tokens[i];
      }
      // The corpus with a leading space must encode to the sum, and so must the wrap-around from
      // its end to its start, which a long prompt crosses.
      if (tokenizer.count(" " + corpus) != sum
          || tokenizer.count(text[text.length - 1] + text[0])
              != tokens[text.length - 1] + tokens[0]) {
        return null;
      }
      String filler = " the";
      if (tokenizer.count(filler) != 1
          || tokenizer.count(filler + filler + filler) != 3
          || tokenizer.count(text[0] + filler + text[1]) != tokens[0] + 1 + tokens[1]) {
        return null;
      }
      List<Integer> starts = new ArrayList<>();
      boolean[] endsSentence = new boolean[text.length];
      for (int i = 0; i < text.length; i++) {
        endsSentence[i] = text[i].matches(".*[.!?]\\W*");
        if (endsSentence[i] && i + 1 < text.length) {
          starts.add(i + 1);
        }
      }
      if (starts.isEmpty()) {
        starts.add(0);
      }
      return new Words(
          text,
          tokens,
          filler,
          endsSentence,
          starts.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The word after {@code i}: the next one, or after a sentence's end, a random sentence's first.
     */
    int after(int i, SplittableRandom random) {
      if (endsSentence[i] && sentenceStarts.length > 1) {
        return sentenceStarts[random.nextInt(sentenceStarts.length)];
      }
      return (i + 1) % text.length;
    }
  }

  private static String corpus() {
    try (InputStream in = PromptSynthesizer.class.getResourceAsStream(CORPUS)) {
      if (in == null) {
        throw new TokenizerException("the prompt corpus is missing from the loadgen jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
    } catch (IOException e) {
      throw new TokenizerException("could not read the prompt corpus: " + e.getMessage(), e);
    }
  }

  /**
   * A prompt of exactly {@code tokenCount} tokens under this synthesizer's tokenizer.
   *
   * @throws IllegalArgumentException when {@code tokenCount} is below 1
   */
  public String next(int tokenCount) {
    if (tokenCount < 1) {
      throw new IllegalArgumentException("a prompt needs at least 1 token, got " + tokenCount);
    }
    return words != null ? nextAdditive(tokenCount) : nextByReencoding(tokenCount);
  }

  private String nextAdditive(int tokenCount) {
    int n = words.text().length;
    int i = random.nextInt(n);
    StringBuilder prompt = new StringBuilder(tokenCount * 6);
    int count = 0;
    while (count + words.tokens()[i] <= tokenCount) {
      prompt.append(words.text()[i]);
      count += words.tokens()[i];
      i = words.after(i, random);
    }
    for (; count < tokenCount; count++) {
      prompt.append(words.filler());
    }
    // The prompt keeps its first word's leading space: without it the word could count differently.
    return prompt.toString();
  }

  private String nextByReencoding(int tokenCount) {
    int start = random.nextInt(corpusIds.length);
    int length = tokenCount;
    String text = "";
    for (int attempt = 0; attempt < MAX_ADJUSTMENTS; attempt++) {
      text = decodeSlice(start, length);
      int count = tokenizer.count(text);
      if (count == tokenCount) {
        return text;
      }
      length = Math.max(1, length + (tokenCount - count));
    }
    return padOrTrim(text, tokenCount);
  }

  private String decodeSlice(int start, int length) {
    long[] ids = new long[length];
    for (int i = 0; i < length; i++) {
      ids[i] = corpusIds[(start + i) % corpusIds.length];
    }
    return tokenizer.decode(ids);
  }

  /**
   * The last resort when slices keep merging at the cut: whole words are added or removed until the
   * count is exact. Each step changes the count by a few tokens at most, and removing a word from
   * the end or adding " a" can always reach a count of 1.
   */
  private String padOrTrim(String text, int tokenCount) {
    String current = text.strip();
    int count = tokenizer.count(current);
    for (int step = 0; step < 4 * tokenCount + 64 && count != tokenCount; step++) {
      if (count < tokenCount) {
        current = current + " a";
      } else {
        int cut = current.lastIndexOf(' ');
        current =
            cut > 0
                ? current.substring(0, cut)
                : current.substring(0, Math.max(1, current.length() - 1));
      }
      count = tokenizer.count(current);
    }
    if (count != tokenCount) {
      throw new IllegalStateException(
          "could not make a prompt of exactly " + tokenCount + " tokens with " + tokenizer.name());
    }
    return current;
  }
}
