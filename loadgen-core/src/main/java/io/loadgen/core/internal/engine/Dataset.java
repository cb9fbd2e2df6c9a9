package io.loadgen.core.internal.engine;

import io.loadgen.core.Profile;
import io.loadgen.core.internal.client.RequestBodies;
import io.loadgen.tokenizer.PromptSynthesizer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import io.loadgen.tokenizer.Tokenizer;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic dataset of a run, made before the first send as genai-perf makes it: {@code
 * --num-dataset-entries} prompts whose lengths are drawn from the input distribution and which have
 * exactly that many tokens under the profile's tokenizer; requests cycle through them in order.
 */
final class Dataset {
  private final List<DatasetEntry> entries;

  private Dataset(List<DatasetEntry> entries) {
    this.entries = entries;
  }

  static Dataset synthetic(Profile profile, Tokenizer tokenizer) {
    SplittableRandom random = new SplittableRandom(profile.randomSeed());
    PromptSynthesizer prompts = new PromptSynthesizer(tokenizer, profile.randomSeed());
    RequestBodies bodies =
        new RequestBodies(profile.endpointType(), profile.model(), profile.streaming(), profile.extraInputs());
    TokenLengthDistribution output = profile.outputTokens();
    List<DatasetEntry> entries = new ArrayList<>(profile.numDatasetEntries());
    for (int i = 0; i < profile.numDatasetEntries(); i++) {
      int inputTokens = profile.inputTokens().sample(random);
      String prompt = prompts.next(inputTokens);
      int maxTokens = output == null ? 0 : output.sample(random);
      String body = bodies.body(prompt, maxTokens, profile.outputTokensDeterministic());
      int hint = maxTokens > 0 ? maxTokens : extraMaxTokens(profile);
      entries.add(new DatasetEntry(body, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)), inputTokens, hint));
    }
    return new Dataset(List.copyOf(entries));
  }

  private static int extraMaxTokens(Profile profile) {
    Object value = profile.extraInputs().get("max_tokens");
    return value instanceof Number n ? (int) Math.min(1 << 20, Math.max(0, n.longValue())) : 0;
  }

  /** The entry for the {@code n}th request of the run. */
  DatasetEntry entry(long n) {
    return entries.get((int) (n % entries.size()));
  }
}
