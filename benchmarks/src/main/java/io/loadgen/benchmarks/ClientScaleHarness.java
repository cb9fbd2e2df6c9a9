package io.loadgen.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.LoadGenerator;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RunHandle;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimServer;
import io.loadgen.sim.TokenSendListener;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The client at scale: {@code --streams} concurrent streams against the simulated server, with every
 * stream open and decoding during a measured window. Two modes:
 *
 * <ul>
 *   <li>{@code separate}: the server in a second process ({@code loadgen.jar sim}), the client alone
 *       in this one, so this process's CPU and heap are the client's: tokens/s received, CPU per
 *       token, heap per open stream;
 *   <li>{@code inprocess}: the server in this JVM, which lets each token's arrival at the client be
 *       set against the server's schedule for it: the client's timing error, against the time the
 *       server scheduled the token and against the time it actually wrote it.
 * </ul>
 *
 * Both clocks are {@link System#nanoTime()}: the client's wall clock is pinned to it so that its
 * records' "epoch" times are nanoTime values. Not JMH: it measures a system over tens of seconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loadgen.benchmarks.ClientScaleHarness \
 *   --mode separate --streams 10000 --step-millis 400 --output-tokens 150 --json results.json
 * </pre>
 */
public final class ClientScaleHarness {
  private ClientScaleHarness() {}

  public static void main(String[] args) throws Exception {
    String mode = "separate";
    int streams = 1000;
    double stepMillis = 40;
    int outputTokens = 500;
    int windowSeconds = 10;
    String jar = "loadgen-cli/target/loadgen.jar";
    String json = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--mode" -> mode = args[i + 1];
        case "--streams" -> streams = Integer.parseInt(args[i + 1]);
        case "--step-millis" -> stepMillis = Double.parseDouble(args[i + 1]);
        case "--output-tokens" -> outputTokens = Integer.parseInt(args[i + 1]);
        case "--window-seconds" -> windowSeconds = Integer.parseInt(args[i + 1]);
        case "--jar" -> jar = args[i + 1];
        case "--json" -> json = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    int promptTokens = 50;
    long blocks = (long) streams * ((promptTokens + outputTokens + 15) / 16) + 100;
    SimOverrides engine = new SimOverrides(null, null, null, null, blocks, streams, streams * (promptTokens + 1),
        0.0, stepMillis, null, null, null);
    Map<String, Long> serverIds = new ConcurrentHashMap<>();
    Map<Long, long[][]> schedule = new ConcurrentHashMap<>();
    int tokens = outputTokens;
    TokenSendListener listener = new TokenSendListener() {
      @Override
      public void onRequestAccepted(long requestId, String prompt) {
        serverIds.put(prompt, requestId);
        schedule.put(requestId, new long[][] {new long[tokens], new long[tokens]});
      }

      @Override
      public void onTokenSent(long requestId, int tokenIndex, long scheduledNanos, long sentNanos) {
        long[][] times = schedule.get(requestId);
        times[0][tokenIndex] = scheduledNanos;
        times[1][tokenIndex] = sentNanos;
      }
    };
    SimServer inProcess = null;
    Process child = null;
    URI target;
    if (mode.equals("inprocess")) {
      inProcess = SimServer.start(SimConfig.preset("default").overrides(engine).tokenSendListener(listener).build());
      target = inProcess.baseUri();
    } else {
      int port = freePort();
      child = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
          "-jar", jar, "sim", "--host", "127.0.0.1", "--port", String.valueOf(port), "--io-threads", "1",
          "--kv-blocks", String.valueOf(blocks), "--max-num-seqs", String.valueOf(streams),
          "--max-num-batched-tokens", String.valueOf(streams * (promptTokens + 1)),
          "--prefill-micros-per-token", "0", "--decode-step-millis", String.valueOf(stepMillis))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      awaitPort(port, child);
      target = URI.create("http://127.0.0.1:" + port);
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try {
      long heapBefore = Heap.usedAfterGc();
      List<RequestRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicLong inFlight = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      double[] rate = {0};
      Profile profile = Profile.builder().url(target).model("scale").streaming(true)
          .concurrency(streams).requestCount(streams)
          // Distinct prompts tie client requests to server ones; the separate mode needs no tie.
          .numDatasetEntries(mode.equals("inprocess") ? streams : 100)
          .inputTokens(new TokenLengthDistribution(promptTokens, 0))
          .extraInput("max_tokens", outputTokens).extraInput("ignore_eos", true)
          .serverMetricsInterval(null)
          .wallClock(() -> Instant.ofEpochSecond(0, System.nanoTime()))
          .progressListener(p -> {
            inFlight.set(p.inFlight());
            completed.set(p.completed());
            rate[0] = p.tokensPerSecond();
          })
          .recordSink(records::add)
          .build();
      RunHandle run = LoadGenerator.start(profile);
      // Every stream open and receiving: the state to measure.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (inFlight.get() < streams || rate[0] < 0.5 * streams * 1000 / stepMillis) {
        if (System.nanoTime() > deadline || completed.get() > 0) {
          throw new IllegalStateException("the streams never all ran together: in flight " + inFlight.get());
        }
        LockSupport.parkNanos(50_000_000);
      }
      List<Double> rates = new ArrayList<>();
      long cpuStart = os.getProcessCpuTime();
      long wallStart = System.nanoTime();
      for (int s = 0; s < windowSeconds; s++) {
        LockSupport.parkNanos(1_000_000_000L);
        rates.add(rate[0]);
      }
      long cpu = os.getProcessCpuTime() - cpuStart;
      long wallEnd = System.nanoTime();
      double wall = (wallEnd - wallStart) / 1e9;
      long heapOpen = Heap.usedAfterGc();
      long openAtHeap = inFlight.get();
      ProfileResult result = run.result().toCompletableFuture().join();
      double tokensPerSecond = rates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("mode", mode);
      out.put("streams", streams);
      out.put("engine_step_ms", stepMillis);
      out.put("requests_completed", result.summary().requestCount());
      out.put("errors", result.summary().errorCount());
      out.put("tokens_per_second", tokensPerSecond);
      out.put("process_cpu_us_per_token", cpu / 1e3 / (tokensPerSecond * wall));
      out.put("process_cpu_cores", cpu / 1e9 / wall);
      out.put("heap_bytes_per_open_stream", (heapOpen - heapBefore) / (double) Math.max(1, openAtHeap));
      out.put("open_streams_at_heap_reading", openAtHeap);
      if (inProcess != null) {
        Histogram vsScheduled = new Histogram(3);
        Histogram vsSent = new Histogram(3);
        ObjectMapper mapper = new ObjectMapper();
        for (RequestRecord r : records) {
          String prompt = mapper.readTree(r.requestBody()).path("messages").get(0).path("content").asText();
          Long id = serverIds.get(prompt);
          if (id == null) {
            continue;
          }
          long[][] times = schedule.get(id);
          long[] arrivals = r.responseEpochNanos();
          for (int k = 0; k < Math.min(arrivals.length, tokens); k++) {
            // Only tokens of the measured window, when every stream runs: not the start's burst.
            if (times[0][k] < wallStart || times[0][k] > wallEnd) {
              continue;
            }
            vsScheduled.recordValue(Math.max(0, arrivals[k] - times[0][k]) / 1000);
            vsSent.recordValue(Math.max(0, arrivals[k] - times[1][k]) / 1000);
          }
        }
        put(out, "timing_error_vs_scheduled_ms", vsScheduled);
        put(out, "timing_error_vs_sent_ms", vsSent);
      }
      String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
      System.out.println(text);
      if (json != null) {
        Files.writeString(Path.of(json), text);
      }
    } finally {
      if (inProcess != null) {
        inProcess.close();
      }
      if (child != null) {
        child.destroy();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void put(ObjectNode out, String name, Histogram h) {
    ObjectNode node = out.putObject(name);
    node.put("count", h.getTotalCount());
    node.put("p50", h.getValueAtPercentile(50) / 1e3);
    node.put("p99", h.getValueAtPercentile(99) / 1e3);
    node.put("max", h.getMaxValue() / 1e3);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port, Process child) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && child.isAlive()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (Exception e) {
        LockSupport.parkNanos(100_000_000);
      }
    }
    throw new IllegalStateException("the simulated server did not start on port " + port);
  }

}
