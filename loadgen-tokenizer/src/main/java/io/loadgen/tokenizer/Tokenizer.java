package io.loadgen.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) run by DJL's bindings to the Rust {@code
 * tokenizers} library, counting tokens the way genai-perf does: without special tokens, so a
 * Llama-3 prompt is not charged for its {@code <|begin_of_text|>}.
 *
 * <p>The native library is always the CPU build bundled in the jar, on GPU hosts too: see {@code
 * BundledNativeLibrary}. Nothing is downloaded to load it.
 *
 * <p>Instances are safe to share between threads: encoding does not mutate the native tokenizer.
 * Close it to free the native memory.
 */
public final class Tokenizer implements AutoCloseable {
  /** The name genai-perf users know the bundled tokenizer by. */
  public static final String BUNDLED_NAME = "gpt2";

  private static final String BUNDLED_RESOURCE = "gpt2/tokenizer.json";
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer delegate;
  private final String name;

  private Tokenizer(HuggingFaceTokenizer delegate, String name) {
    this.delegate = delegate;
    this.name = name;
  }

  /**
   * The tokenizer that ships inside loadgen: OpenAI's GPT-2 byte-level BPE (MIT licence), so that
   * loadgen works offline with no flag.
   */
  public static Tokenizer bundled() {
    BundledNativeLibrary.pin();
    try (InputStream in = Tokenizer.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new TokenizerException("the bundled GPT-2 tokenizer is missing from the loadgen jar");
      }
      return new Tokenizer(HuggingFaceTokenizer.newInstance(in, OPTIONS), BUNDLED_NAME);
    } catch (IOException e) {
      throw new TokenizerException(
          "could not read the bundled GPT-2 tokenizer: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the tokenizer a user named, at the Hub's default revision: see {@link #load(String,
   * String)}.
   *
   * @throws TokenizerException when nothing loadable is there
   */
  public static Tokenizer load(String spec) {
    return load(spec, null);
  }

  /**
   * Loads the tokenizer a user named: blank, {@code null} or {@value #BUNDLED_NAME} means {@link
   * #bundled()}, whatever the revision; otherwise a path to a {@code tokenizer.json} or to a folder
   * holding one, or a Hugging Face repo id found in the local cache or downloaded, as {@link
   * TokenizerResolver#fromEnvironment()} finds it.
   *
   * @param revision the branch, tag or commit of a repo id; {@code null} for {@value
   *     TokenizerResolver#DEFAULT_REVISION}
   * @throws TokenizerException when nothing loadable is there
   */
  public static Tokenizer load(String spec, String revision) {
    if (isBundled(spec)) {
      return bundled();
    }
    return load(spec, revision, TokenizerResolver.fromEnvironment());
  }

  /**
   * As {@link #load(String, String)}, finding files with {@code resolver}: its environment rather
   * than this process's.
   *
   * @throws TokenizerException when nothing loadable is there
   */
  public static Tokenizer load(String spec, String revision, TokenizerResolver resolver) {
    if (isBundled(spec)) {
      return bundled();
    }
    Path file = resolver.resolve(spec, revision);
    BundledNativeLibrary.pin();
    try {
      return new Tokenizer(HuggingFaceTokenizer.newInstance(file, OPTIONS), spec);
    } catch (IOException | RuntimeException e) {
      throw new TokenizerException(
          "could not load tokenizer '"
              + spec
              + "' from "
              + file.toAbsolutePath()
              + ": it is not a valid Hugging Face tokenizer.json ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static boolean isBundled(String spec) {
    return spec == null || spec.isBlank() || spec.equals(BUNDLED_NAME);
  }

  /** What the user named, or {@value #BUNDLED_NAME} for the bundled tokenizer. */
  public String name() {
    return name;
  }

  /** The number of tokens in {@code text}, special tokens not counted. */
  public int count(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    return delegate.encode(text, false, false).getIds().length;
  }

  /** The token ids of {@code text}, without special tokens. */
  public long[] encode(String text) {
    Encoding encoding = delegate.encode(text, false, false);
    return encoding.getIds();
  }

  /** The text of {@code ids}, special tokens skipped. */
  public String decode(long[] ids) {
    return delegate.decode(ids, true);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
