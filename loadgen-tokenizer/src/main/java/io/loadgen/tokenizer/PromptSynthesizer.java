package io.loadgen.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Synthetic prompts with an exact token count under a given tokenizer, cut from a bundled
 * public-domain English corpus (see {@code corpus/NOTICE.md}) at a seeded random position, so that
 * prompts differ across requests (a server with prefix caching is not flattered) and the same seed
 * gives the same prompts, byte for byte.
 *
 * <p>Decoding a slice of token ids and encoding the text again does not always give the same count
 * (tokens can merge across the cut), so each prompt is re-encoded and its slice adjusted until the
 * count is exact. Not thread-safe: one instance per thread.
 */
public final class PromptSynthesizer {
  private static final String CORPUS = "corpus/public-domain.txt";
  private static final int MAX_ADJUSTMENTS = 16;

  private final Tokenizer tokenizer;
  private final SplittableRandom random;
  private final long[] corpusIds;

  public PromptSynthesizer(Tokenizer tokenizer, long seed) {
    this.tokenizer = tokenizer;
    this.random = new SplittableRandom(seed);
    this.corpusIds = tokenizer.encode(corpus());
    if (corpusIds.length < 16) {
      throw new TokenizerException("tokenizer '" + tokenizer.name() + "' encodes the prompt corpus to almost nothing");
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
        current = cut > 0 ? current.substring(0, cut) : current.substring(0, Math.max(1, current.length() - 1));
      }
      count = tokenizer.count(current);
    }
    if (count != tokenCount) {
      throw new IllegalStateException("could not make a prompt of exactly " + tokenCount + " tokens with "
          + tokenizer.name());
    }
    return current;
  }
}
