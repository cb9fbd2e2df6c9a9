package io.loadgen.benchmarks;

import io.loadgen.tokenizer.PromptSynthesizer;
import io.loadgen.tokenizer.Tokenizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Synthetic prompt generation, the figure: 10,000 prompts of 2,000 tokens, each exact under
 * the tokenizer, on one thread. {@code tokenizer} is {@code gpt2} (bundled) or a path to a
 * tokenizer.json, e.g. Llama-3's: {@code -p tokenizer=/path/to/tokenizer.json}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class PromptSynthesisBenchmark {
  @Param({"gpt2"})
  String tokenizer;

  @Param({"10000"})
  int prompts;

  @Param({"2000"})
  int tokens;

  private Tokenizer loaded;
  private PromptSynthesizer synthesizer;

  @Setup(Level.Trial)
  public void load() {
    loaded = Tokenizer.load(tokenizer);
    synthesizer = new PromptSynthesizer(loaded, 1);
  }

  @TearDown(Level.Trial)
  public void close() {
    loaded.close();
  }

  @Benchmark
  public void tenThousandPrompts(Blackhole sink) {
    for (int i = 0; i < prompts; i++) {
      sink.consume(synthesizer.next(tokens));
    }
  }
}
