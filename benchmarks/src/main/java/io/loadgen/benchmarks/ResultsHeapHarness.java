package io.loadgen.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loadgen.core.LoadGenerator;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.RunHandle;
import io.loadgen.core.RunOptions;
import io.loadgen.report.RawExportSink;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory for results against the request count: a long run of short requests against the simulated
 * server in this JVM, with the heap read after a full GC at 10%, 50% and 90% of the requests.
 * Without a raw export only histograms hold results, so the readings should stay level; with {@code
 * --raw-export FILE} the export is streamed to the file, and they should stay level too.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loadgen.benchmarks.ResultsHeapHarness \
 *   --requests 200000 --concurrency 500 --output-tokens 10 [--raw-export /tmp/export.json]
 * </pre>
 */
public final class ResultsHeapHarness {
  private static final int PROMPT_TOKENS = 50;
  private static final double[] FRACTIONS = {0.1, 0.5, 0.9};

  private ResultsHeapHarness() {}

  public static void main(String[] args) throws Exception {
    int requests = 200_000;
    int concurrency = 500;
    int outputTokens = 10;
    Path rawExport = null;
    String json = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--output-tokens" -> outputTokens = Integer.parseInt(args[++i]);
        case "--raw-export" -> rawExport = Path.of(args[++i]);
        case "--json" -> json = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    AtomicLong completed = new AtomicLong();
    try (SimServer sim =
        SimServer.start(
            SimConfig.preset("default")
                .overrides(SimProcess.engineFor(concurrency, 10, PROMPT_TOKENS, outputTokens))
                .build())) {
      Profile profile =
          Profile.builder()
              .url(sim.baseUri())
              .model("results")
              .streaming(true)
              .concurrency(concurrency)
              .requestCount(requests)
              .inputTokens(new TokenLengthDistribution(PROMPT_TOKENS, 0))
              .extraInput("max_tokens", outputTokens)
              .extraInput("ignore_eos", true)
              .serverMetricsInterval(null)
              .build();
      RunOptions options =
          RunOptions.defaults()
              .withProgressListener(p -> completed.set(p.completed()))
              .withRecordSink(rawExport == null ? null : new RawExportSink(rawExport, profile));
      long heapBefore = Heap.usedAfterGc();
      RunHandle run = LoadGenerator.start(profile, options);
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("requests", requests);
      out.put("concurrency", concurrency);
      out.put("output_tokens", outputTokens);
      out.put("raw_export", rawExport != null);
      out.put("heap_mb_before", heapBefore / 1e6);
      ArrayNode readings = out.putArray("heap_during_run");
      for (double fraction : FRACTIONS) {
        while (completed.get() < fraction * requests
            && !run.result().toCompletableFuture().isDone()) {
          LockSupport.parkNanos(20_000_000);
        }
        long done = completed.get();
        long heap = Heap.usedAfterGc();
        readings.addObject().put("requests_completed", done).put("heap_mb", heap / 1e6);
      }
      ProfileResult result = run.result().toCompletableFuture().join();
      out.put("requests_recorded", result.summary().requestCount());
      out.put("errors", result.summary().errorCount());
      out.put("heap_mb_after_with_result", Heap.usedAfterGc() / 1e6);
      if (rawExport != null) {
        out.put("raw_export_mb", Files.size(rawExport) / 1e6);
      }
      String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
      System.out.println(text);
      if (json != null) {
        Files.writeString(Path.of(json), text);
      }
    }
  }
}
