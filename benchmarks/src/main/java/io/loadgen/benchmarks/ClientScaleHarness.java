package io.loadgen.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.LoadGenerator;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RunHandle;
import io.loadgen.core.RunOptions;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The client at scale: {@code --streams} concurrent streams against the simulated server, with
 * every stream open and decoding during a measured window. Two modes:
 *
 * <ul>
 *   <li>{@code separate}: the server in a second process ({@link SimProcess}), the client alone in
 *       this one, so this process's CPU and heap are the client's: tokens/s received, CPU per
 *       token, heap per open stream;
 *   <li>{@code inprocess}: the server in this JVM, sharing the client's heap and CPU.
 * </ul>
 *
 * With {@code --timing} (always in {@code inprocess}), each token's arrival at the client is set
 * against the server's schedule for it: the client's timing error, against the end of the engine
 * step that scheduled the token and against the server's actual write. That needs every arrival
 * time kept (a record sink) and a distinct prompt per request, so a timing run's heap figure
 * includes 8 bytes per token received; without it the client keeps three times a stream, as the CLI
 * does with {@code --no-raw-export}.
 *
 * <p>Both processes' clocks are {@link System#nanoTime()}: the client's wall clock is pinned to it
 * so that its records' "epoch" times are nanoTime values. Not JMH: it measures a system over tens
 * of seconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loadgen.benchmarks.ClientScaleHarness \
 *   --mode separate --streams 10000 --step-millis 400 --output-tokens 150 [--timing] --json results.json
 * </pre>
 */
public final class ClientScaleHarness {
  private static final int PROMPT_TOKENS = 50;

  private ClientScaleHarness() {}

  public static void main(String[] args) throws Exception {
    String mode = "separate";
    int streams = 1000;
    double stepMillis = 40;
    int outputTokens = 500;
    int windowSeconds = 10;
    int warmupSeconds = 0;
    boolean timing = false;
    String json = null;
    io.loadgen.core.Transport transport = io.loadgen.core.Transport.AUTO;
    int eventLoops = 1;
    int sims = 1;
    int simIoThreads = 1;
    String simCpus = null;
    double requestRate = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--streams" -> streams = Integer.parseInt(args[++i]);
        case "--step-millis" -> stepMillis = Double.parseDouble(args[++i]);
        case "--output-tokens" -> outputTokens = Integer.parseInt(args[++i]);
        case "--window-seconds" -> windowSeconds = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--timing" -> timing = true;
        case "--json" -> json = args[++i];
        case "--transport" ->
            transport = io.loadgen.core.Transport.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--event-loops" -> eventLoops = Integer.parseInt(args[++i]);
        case "--sims" -> sims = Integer.parseInt(args[++i]);
        case "--sim-io-threads" -> simIoThreads = Integer.parseInt(args[++i]);
        case "--sim-cpus" -> simCpus = args[++i];
        case "--rate" -> requestRate = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    boolean inProcessMode = mode.equals("inprocess");
    if (!inProcessMode && !mode.equals("separate")) {
      throw new IllegalArgumentException("--mode is separate or inprocess, not " + mode);
    }
    timing |= inProcessMode;
    ServerSchedule localSchedule = null;
    SimServer inProcess = null;
    List<Process> children = new ArrayList<>();
    List<BufferedReader> childOuts = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    if (inProcessMode) {
      localSchedule = new ServerSchedule(outputTokens);
      inProcess =
          SimServer.start(
              SimConfig.preset("default")
                  .overrides(SimProcess.engineFor(streams, stepMillis, PROMPT_TOKENS, outputTokens))
                  .tokenSendListener(localSchedule)
                  .build());
      targets.add(inProcess.baseUri().toString());
    } else {
      // Several simulated servers (replicas), each in a process of its own and, with --sim-cpus, on
      // processors apart from the client's: one simulated engine writes every token on its own I/O
      // threads, and at hundreds of thousands of tokens a second one process would be the limit.
      int perSim = (streams + sims - 1) / sims;
      for (int s = 0; s < sims; s++) {
        List<String> command = new ArrayList<>();
        if (simCpus != null) {
          command.addAll(List.of("taskset", "-c", simCpus));
        }
        command.addAll(
            List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp",
                System.getProperty("java.class.path"),
                SimProcess.class.getName(),
                String.valueOf(perSim),
                String.valueOf(stepMillis),
                String.valueOf(PROMPT_TOKENS),
                String.valueOf(outputTokens),
                timing ? "record" : "norecord",
                String.valueOf(simIoThreads)));
        Process child =
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader childOut =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        children.add(child);
        childOuts.add(childOut);
        targets.add("http://127.0.0.1:" + awaitPort(childOut));
      }
    }
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try {
      long heapBefore = Heap.usedAfterGc();
      List<RequestRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicLong inFlight = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      double[] rate = {0};
      Profile.Builder builder = Profile.builder().urls(targets).model("scale").streaming(true);
      if (requestRate > 0) {
        // Open loop: requests on a schedule; --streams of them in flight once the first have run
        // their course. A warm-up of as many makes the connections, so the measured sends reuse
        // them.
        builder
            .requestRate(requestRate, io.loadgen.core.LoadMode.Arrivals.CONSTANT)
            .warmupRequestCount(streams)
            .requestCount(4 * streams);
      } else {
        builder.concurrency(streams).requestCount(streams);
      }
      Profile profile =
          builder
              // Distinct prompts tie client requests to server ones; without timing nothing needs
              // the tie.
              .numDatasetEntries(timing ? streams : 100)
              .inputTokens(new TokenLengthDistribution(PROMPT_TOKENS, 0))
              .extraInput("max_tokens", outputTokens)
              .extraInput("ignore_eos", true)
              .serverMetricsInterval(null)
              .transport(transport)
              .eventLoops(eventLoops)
              .build();
      RunOptions options =
          RunOptions.defaults()
              .withWallClock(() -> Instant.ofEpochSecond(0, System.nanoTime()))
              .withProgressListener(
                  p -> {
                    inFlight.set(p.inFlight());
                    completed.set(p.completed());
                    rate[0] = p.tokensPerSecond();
                  })
              .withRecordSink(timing ? records::add : null);
      RunHandle run = LoadGenerator.start(profile, options);
      // Every stream open and receiving: the state to measure.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (inFlight.get() < 0.9 * streams || rate[0] < 0.45 * streams * 1000 / stepMillis) {
        if (System.nanoTime() > deadline || (requestRate == 0 && completed.get() > 0)) {
          throw new IllegalStateException(
              "the streams never all ran together: in flight " + inFlight.get());
        }
        LockSupport.parkNanos(50_000_000);
      }
      // Steady state: the just-in-time compilers done with the token path before the window opens.
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmupSeconds));
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
      if (timing) {
        // The heap reading's full collection stops every thread for up to hundreds of milliseconds:
        // the window's last tokens must have arrived before it, or they would count as late.
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
      }
      long heapOpen = Heap.usedAfterGc();
      long openAtHeap = inFlight.get();
      ProfileResult result = run.result().toCompletableFuture().join();
      double tokensPerSecond =
          rates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("mode", mode);
      out.put("streams", streams);
      out.put("transport", transport.name().toLowerCase(Locale.ROOT));
      out.put("event_loops", profile.effectiveEventLoops());
      out.put("engine_step_ms", stepMillis);
      out.put("request_rate", requestRate);
      out.put("warmup_seconds", warmupSeconds);
      out.put("every_arrival_kept", timing);
      out.put("requests_completed", result.summary().requestCount());
      out.put("errors", result.summary().errorCount());
      out.put("tokens_per_second", tokensPerSecond);
      out.put("process_cpu_us_per_token", cpu / 1e3 / (tokensPerSecond * wall));
      out.put("process_cpu_cores", cpu / 1e9 / wall);
      out.put(
          "heap_bytes_per_open_stream", (heapOpen - heapBefore) / (double) Math.max(1, openAtHeap));
      out.put("open_streams_at_heap_reading", openAtHeap);
      out.put("simulated_servers", targets.size());
      Histogram lagNanos = result.histogram(io.loadgen.core.Metric.SEND_LAG);
      ObjectNode lag = out.putObject("send_lag_ms");
      lag.put("p50", lagNanos.getValueAtPercentile(50) / 1e6);
      lag.put("p99", lagNanos.getValueAtPercentile(99) / 1e6);
      lag.put("max", lagNanos.getMaxValue() / 1e6);
      lag.put("requests", lagNanos.getTotalCount());
      // How late the loops' heartbeats ran at worst: over 100 ms, the run's timings are suspect.
      out.put("max_event_loop_delay_ms", result.summary().maxLoopDelayNanos() / 1e6);
      out.put("event_loop_blocked", result.summary().loopBlocked());
      if (timing) {
        List<ServerSchedule> schedules = new ArrayList<>();
        if (inProcessMode) {
          schedules.add(localSchedule);
        } else {
          for (int s = 0; s < children.size(); s++) {
            schedules.add(fetchSchedule(children.get(s), childOuts.get(s)));
          }
        }
        timingError(out, records, schedules, wallStart, wallEnd);
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
      for (Process child : children) {
        child.getOutputStream().close();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroy();
        }
      }
    }
  }

  /**
   * Each token's arrival minus the server's schedule for it, for the tokens scheduled inside the
   * measured window, when every stream runs: not the start's burst.
   */
  private static void timingError(
      ObjectNode out,
      List<RequestRecord> records,
      List<ServerSchedule> schedules,
      long wallStart,
      long wallEnd)
      throws Exception {
    Histogram vsScheduled = new Histogram(3);
    Histogram vsSent = new Histogram(3);
    long unmatched = 0;
    ObjectMapper mapper = new ObjectMapper();
    for (RequestRecord r : records) {
      if (r.warmup()) {
        continue;
      }
      String prompt =
          mapper.readTree(r.requestBody()).path("messages").get(0).path("content").asText();
      long[][] times = null;
      for (ServerSchedule schedule : schedules) {
        times = times != null ? times : schedule.forPrompt(prompt);
      }
      if (times == null) {
        unmatched++;
        continue;
      }
      long[] arrivals = r.responseEpochNanos();
      for (int k = 0; k < Math.min(arrivals.length, times[0].length); k++) {
        if (times[0][k] < wallStart || times[0][k] > wallEnd) {
          continue;
        }
        vsScheduled.recordValue(Math.max(0, arrivals[k] - times[0][k]) / 1000);
        vsSent.recordValue(Math.max(0, arrivals[k] - times[1][k]) / 1000);
      }
    }
    out.put("requests_unmatched_to_server", unmatched);
    LatencyJson.put(out, "timing_error_vs_scheduled_ms", vsScheduled);
    LatencyJson.put(out, "timing_error_vs_sent_ms", vsSent);
  }

  private static ServerSchedule fetchSchedule(Process child, BufferedReader childOut)
      throws Exception {
    Path file = Files.createTempFile("loadgen-schedule", ".bin");
    try {
      child.getOutputStream().write(("dump " + file + "\n").getBytes(StandardCharsets.UTF_8));
      child.getOutputStream().flush();
      String line = childOut.readLine();
      if (!"dumped".equals(line)) {
        throw new IllegalStateException("the simulated server did not write its schedule: " + line);
      }
      return ServerSchedule.readFrom(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Reads the {@code port N} line the simulated server prints once it listens. */
  private static int awaitPort(BufferedReader childOut) throws Exception {
    String line = childOut.readLine();
    if (line == null || !line.startsWith("port ")) {
      throw new IllegalStateException("the simulated server did not start: " + line);
    }
    return Integer.parseInt(line.substring(5).trim());
  }
}
