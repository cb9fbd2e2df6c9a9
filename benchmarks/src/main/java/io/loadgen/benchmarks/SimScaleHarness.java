package io.loadgen.benchmarks;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimServer;
import io.loadgen.sim.SimStats;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The simulated engine's own cost and timing at scale: it serves {@code --streams} concurrent
 * streams in this JVM while the load generator runs in a second process beside it, and reports,
 * over a window with every stream open:
 *
 * <ul>
 *   <li>tokens sent per second, and this process's CPU time per token (the simulator alone);
 *   <li>heap per open stream: heap after a full GC with every stream open, less heap before any;
 *   <li>emission lateness: each token's write time minus the end of the engine step that made it.
 * </ul>
 *
 * Not JMH: what it measures is a two-process system over tens of seconds, not a method.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loadgen.benchmarks.SimScaleHarness \
 *   --streams 1000 --step-millis 40 --output-tokens 500 --jar loadgen-cli/target/loadgen.jar
 * </pre>
 */
public final class SimScaleHarness {
  private SimScaleHarness() {}

  public static void main(String[] args) throws Exception {
    int streams = 1000;
    double stepMillis = 40;
    int outputTokens = 500;
    int windowSeconds = 10;
    String jar = "loadgen-cli/target/loadgen.jar";
    int ioThreads = 1;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--streams" -> streams = Integer.parseInt(args[i + 1]);
        case "--step-millis" -> stepMillis = Double.parseDouble(args[i + 1]);
        case "--output-tokens" -> outputTokens = Integer.parseInt(args[i + 1]);
        case "--window-seconds" -> windowSeconds = Integer.parseInt(args[i + 1]);
        case "--jar" -> jar = args[i + 1];
        case "--io-threads" -> ioThreads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int promptTokens = 50;
    long blocksPerStream = (promptTokens + outputTokens + 15) / 16;
    Recorder lateness = new Recorder(3);
    // The first write of each step shows how closely the engine keeps its schedule; the rest of
    // the step's writes add the time to write to every other connection before them.
    java.util.concurrent.ConcurrentHashMap<Long, Long> firstWritePerStep = new java.util.concurrent.ConcurrentHashMap<>();
    boolean[] measuring = {false};
    // Room for every stream at once and free prefill, so all of them run together as soon as the
    // client has opened them: the state to measure is every stream open and decoding.
    SimOverrides engine = new SimOverrides(null, null, null, null, streams * blocksPerStream + 100, streams,
        streams * (promptTokens + 1), 0.0, stepMillis, null, null, null);
    SimConfig config = SimConfig.preset("default").overrides(engine).ioThreads(ioThreads)
        .tokenSendListener((id, index, scheduled, sent) -> {
          if (measuring[0]) {
            lateness.recordValue(Math.max(0, sent - scheduled) / 1000);
            firstWritePerStep.merge(scheduled, sent - scheduled, Math::min);
          }
        })
        .build();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (SimServer sim = SimServer.start(config)) {
      long heapBefore = Heap.usedAfterGc();
      Path artifacts = Files.createTempDirectory("loadgen-scale");
      List<String> command = new ArrayList<>(List.of(
          System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-jar", jar,
          "profile", "-m", "scale", "--streaming", "-u", sim.baseUri().toString(),
          "--concurrency", String.valueOf(streams), "--request-count", String.valueOf(streams),
          "--synthetic-input-tokens-mean", String.valueOf(promptTokens), "--synthetic-input-tokens-stddev", "0",
          "--extra-inputs", "max_tokens:" + outputTokens, "--extra-inputs", "ignore_eos:true",
          "--artifact-dir", artifacts.toString()));
      Process client = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(artifacts.resolve("client.log").toFile()).start();
      // Every stream open and in the batch: the steady state to measure.
      while (client.isAlive() && sim.stats().running() < streams) {
        LockSupport.parkNanos(50_000_000);
      }
      if (!client.isAlive()) {
        throw new IllegalStateException("the client ended before all streams ran; see " + artifacts.resolve("client.log"));
      }
      LockSupport.parkNanos(2_000_000_000L);
      lateness.reset();
      measuring[0] = true;
      SimStats start = sim.stats();
      long cpuStart = os.getProcessCpuTime();
      long wallStart = System.nanoTime();
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(windowSeconds));
      measuring[0] = false;
      SimStats end = sim.stats();
      long cpu = os.getProcessCpuTime() - cpuStart;
      double wall = (System.nanoTime() - wallStart) / 1e9;
      Histogram late = lateness.getIntervalHistogram();
      Histogram pacing = new Histogram(3);
      firstWritePerStep.values().forEach(v -> pacing.recordValue(Math.max(0, v) / 1000));
      long heapOpen = Heap.usedAfterGc();
      long open = sim.stats().streamsOpen();
      client.waitFor();
      long tokens = end.tokensSent() - start.tokensSent();
      System.out.printf(Locale.ROOT,
          "streams %d (open at the heap reading: %d), engine step %.1f ms, %d I/O threads, window %.1f s%n",
          streams, open, stepMillis, ioThreads, wall);
      System.out.printf(Locale.ROOT, "tokens sent %,d = %,.0f tokens/s; simulator CPU %.2f us per token (%.0f%% of a core)%n",
          tokens, tokens / wall, cpu / 1e3 / tokens, 100.0 * cpu / 1e9 / wall);
      System.out.printf(Locale.ROOT, "heap per open stream %,d bytes (%,d MB with %d open, %,d MB before)%n",
          (heapOpen - heapBefore) / Math.max(1, open), heapOpen >> 20, open, heapBefore >> 20);
      System.out.printf(Locale.ROOT, "emission lateness ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%,d tokens)%n",
          late.getValueAtPercentile(50) / 1e3, late.getValueAtPercentile(90) / 1e3,
          late.getValueAtPercentile(99) / 1e3, late.getValueAtPercentile(99.9) / 1e3, late.getMaxValue() / 1e3,
          late.getTotalCount());
 System.out.printf(Locale.ROOT, "step pacing (first write of each step) ms: p50 %.3f  p99 %.3f  max %.3f  (%d steps)%n",
          pacing.getValueAtPercentile(50) / 1e3, pacing.getValueAtPercentile(99) / 1e3, pacing.getMaxValue() / 1e3,
          pacing.getTotalCount());
      System.out.println("client exit " + client.exitValue() + "; its log: " + artifacts.resolve("client.log"));
    }
  }

}
