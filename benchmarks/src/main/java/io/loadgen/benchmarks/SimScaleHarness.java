package io.loadgen.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.sim.SimStats;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *   --streams 1000 --step-millis 40 --output-tokens 500 --jar loadgen-cli/target/loadgen.jar --json sim.json
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
    String json = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--streams" -> streams = Integer.parseInt(args[i + 1]);
        case "--step-millis" -> stepMillis = Double.parseDouble(args[i + 1]);
        case "--output-tokens" -> outputTokens = Integer.parseInt(args[i + 1]);
        case "--window-seconds" -> windowSeconds = Integer.parseInt(args[i + 1]);
        case "--jar" -> jar = args[i + 1];
        case "--io-threads" -> ioThreads = Integer.parseInt(args[i + 1]);
        case "--json" -> json = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int promptTokens = 50;
    Recorder lateness = new Recorder(3);
    // The first write of each step shows how closely the engine keeps its schedule; the rest of
    // the step's writes add the time to write to every other connection before them.
    java.util.concurrent.ConcurrentHashMap<Long, Long> firstWritePerStep =
        new java.util.concurrent.ConcurrentHashMap<>();
    boolean[] measuring = {false};
    // Room for every stream at once and free prefill, so all of them run together as soon as the
    // client has opened them: the state to measure is every stream open and decoding.
    SimConfig config =
        SimConfig.preset("default")
            .overrides(SimProcess.engineFor(streams, stepMillis, promptTokens, outputTokens))
            .ioThreads(ioThreads)
            .tokenSendListener(
                (id, index, scheduled, sent) -> {
                  if (measuring[0]) {
                    lateness.recordValue(Math.max(0, sent - scheduled) / 1000);
                    firstWritePerStep.merge(scheduled, sent - scheduled, Math::min);
                  }
                })
            .build();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (SimServer sim = SimServer.start(config)) {
      long heapBefore = Heap.usedAfterGc();
      Path artifacts = Files.createTempDirectory("loadgen-scale");
      List<String> command =
          new ArrayList<>(
              List.of(
                  System.getProperty("java.home")
                      + File.separator
                      + "bin"
                      + File.separator
                      + "java",
                  "-jar",
                  jar,
                  "profile",
                  "-m",
                  "scale",
                  "--streaming",
                  "-u",
                  sim.baseUri().toString(),
                  "--concurrency",
                  String.valueOf(streams),
                  "--request-count",
                  String.valueOf(streams),
                  "--synthetic-input-tokens-mean",
                  String.valueOf(promptTokens),
                  "--synthetic-input-tokens-stddev",
                  "0",
                  "--extra-inputs",
                  "max_tokens:" + outputTokens,
                  "--extra-inputs",
                  "ignore_eos:true",
                  "--artifact-dir",
                  artifacts.toString()));
      Process client =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(artifacts.resolve("client.log").toFile())
              .start();
      // Every stream open and in the batch: the steady state to measure.
      while (client.isAlive() && sim.stats().running() < streams) {
        LockSupport.parkNanos(50_000_000);
      }
      if (!client.isAlive()) {
        throw new IllegalStateException(
            "the client ended before all streams ran; see " + artifacts.resolve("client.log"));
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
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("streams", streams);
      out.put("open_streams_at_heap_reading", open);
      out.put("engine_step_ms", stepMillis);
      out.put("io_threads", ioThreads);
      out.put("window_seconds", wall);
      out.put("tokens_per_second", tokens / wall);
      out.put("simulator_cpu_us_per_token", cpu / 1e3 / tokens);
      out.put("simulator_cpu_cores", cpu / 1e9 / wall);
      out.put("heap_bytes_per_open_stream", (heapOpen - heapBefore) / (double) Math.max(1, open));
      LatencyJson.put(out, "write_lateness_ms", late);
      LatencyJson.put(out, "step_pacing_ms", pacing);
      out.put("client_exit_code", client.exitValue());
      out.put("client_log", artifacts.resolve("client.log").toString());
      String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
      System.out.println(text);
      if (json != null) {
        Files.writeString(Path.of(json), text);
      }
    }
  }
}
