package io.loadgen.benchmarks;

import io.loadgen.core.internal.record.RequestTimings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-request metric computation the recorder thread runs once per finished request. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestTimingsBenchmark {
  @Param({"200", "2000"})
  int tokens;

  private long[] responses;

  @Setup
  public void setUp() {
    responses = new long[tokens];
    for (int i = 0; i < tokens; i++) {
      responses[i] = 20_000_000L + i * 10_000_000L;
    }
  }

  @Benchmark
  public RequestTimings compute() {
    return RequestTimings.compute(0, responses, tokens, tokens);
  }
}
