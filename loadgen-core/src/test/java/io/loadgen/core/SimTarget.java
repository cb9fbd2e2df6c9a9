package io.loadgen.core;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.Tokenizer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's simulated server (the {@code default} preset, seeded, counting prompts with the
 * bundled tokenizer) and that tokenizer, started before its tests and closed after them:
 * {@code @RegisterExtension static final SimTarget target = new SimTarget(7);}.
 */
final class SimTarget implements BeforeAllCallback, AfterAllCallback {
  private final long seed;
  private final UnaryOperator<SimConfig.Builder> more;
  private Tokenizer tokenizer;
  private SimConfig config;
  private SimServer sim;

  SimTarget(long seed) {
    this(seed, UnaryOperator.identity());
  }

  /** With {@code more} settings on top of the default preset's. */
  SimTarget(long seed, UnaryOperator<SimConfig.Builder> more) {
    this.seed = seed;
    this.more = more;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    tokenizer = Tokenizer.bundled();
    config =
        more.apply(SimConfig.preset("default").seed(seed).promptTokenCounter(tokenizer::count))
            .build();
    sim = SimServer.start(config);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    sim.close();
    tokenizer.close();
  }

  Tokenizer tokenizer() {
    return tokenizer;
  }

  SimServer sim() {
    return sim;
  }

  SimConfig config() {
    return config;
  }

  /** Runs {@code profile} with the tokenizer already loaded, records to {@code sink} (or none). */
  ProfileResult run(Profile profile, RequestRecordSink sink) {
    return LoadGenerator.run(
        profile, RunOptions.defaults().withTokenizer(tokenizer).withRecordSink(sink));
  }
}
