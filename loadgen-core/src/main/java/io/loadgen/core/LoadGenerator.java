package io.loadgen.core;

import io.loadgen.core.internal.engine.Runs;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs profiles: the entry point of loadgen's Java API.
 *
 * <pre>{@code
 * Profile profile = Profile.builder()
 *     .url("http://127.0.0.1:8000").model("meta/llama-3.1-8b-instruct")
 *     .streaming(true).concurrency(10).build();
 * ProfileResult result = LoadGenerator.run(profile);
 * double ttftP99Millis = result.stats(Metric.TIME_TO_FIRST_TOKEN).p99();
 * }</pre>
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  /**
   * Prepares the run (tokenizer, dataset, a check that the target accepts connections) on the calling
   * thread, then starts it on its own event loop and returns at once.
   *
   * @throws LoadgenException when the profile cannot run: a tokenizer that does not load, a target
   *     that does not accept connections
   */
  public static RunHandle start(Profile profile) {
    return Runs.start(profile, null);
  }

  /**
   * As {@link #start(Profile)}, counting tokens with {@code tokenizer} rather than loading the one
   * the profile names: for runs one after another (a sweep, a test class) that would otherwise each
   * load it. It must be the tokenizer {@link Profile#tokenizer()} names, which the exports record;
   * the caller keeps it and closes it after the run.
   */
  public static RunHandle start(Profile profile, io.loadgen.tokenizer.Tokenizer tokenizer) {
    return Runs.start(profile, java.util.Objects.requireNonNull(tokenizer, "tokenizer"));
  }

  /** {@link #start} and wait for the result. */
  public static ProfileResult run(Profile profile) {
    return await(start(profile).result());
  }

  /** {@link #start(Profile, io.loadgen.tokenizer.Tokenizer)} and wait for the result. */
  public static ProfileResult run(Profile profile, io.loadgen.tokenizer.Tokenizer tokenizer) {
    return await(start(profile, tokenizer).result());
  }

  /** The result of {@code start(profile).result()}. */
  public static CompletionStage<ProfileResult> runAsync(Profile profile) {
    return start(profile).result();
  }

  private static ProfileResult await(CompletionStage<ProfileResult> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
