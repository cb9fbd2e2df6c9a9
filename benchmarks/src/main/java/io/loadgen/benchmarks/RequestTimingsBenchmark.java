package io.loadgen.benchmarks;

import io.loadgen.core.internal.record.RequestTimings;
import io.loadgen.core.internal.record.ResponseTimes;
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

/**
 * Per-token recording: a stream of {@code tokens} content arrivals into {@link ResponseTimes} (the
 * event loop's work, once per token), then the genai-perf metrics the recorder thread computes once
 * per request. Per request; divide by {@code tokens} for the cost per token. {@code everyArrival}
 * is what a run with a raw export does, {@code firstSecondAndLast} one without.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestTimingsBenchmark {
  @Param({"200", "2000"})
  int tokens;

  private long[] arrivals;

  @Setup
  public void setUp() {
    arrivals = new long[tokens];
    for (int i = 0; i < tokens; i++) {
      arrivals[i] = 20_000_000L + i * 10_000_000L;
    }
  }

  @Benchmark
  public RequestTimings everyArrival() {
    return record(ResponseTimes.every(tokens));
  }

  @Benchmark
  public RequestTimings firstSecondAndLast() {
    return record(ResponseTimes.firstSecondAndLast());
  }

  private RequestTimings record(ResponseTimes times) {
    for (long arrival : arrivals) {
      times.add(arrival);
    }
    return RequestTimings.compute(0, times, tokens);
  }
}
