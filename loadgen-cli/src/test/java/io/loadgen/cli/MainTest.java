package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end; tests that run load (or a process, or the network) are tagged e2e.
 */
class MainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a command printed and returned. */
  private record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      List<String> lines = new ArrayList<>();
      for (String line : err.split("\\R")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Asserts a failure printed exactly one line, naming {@code expected}, with no stack trace. */
  private static void assertOneLineError(Run run, int exitCode, String expected) {
    assertEquals(exitCode, run.exitCode(), run.err());
    List<String> lines = run.errLines();
    assertEquals(1, lines.size(), "expected one line on stderr, got: " + run.err());
    assertTrue(lines.get(0).startsWith("loadgen: error: "), lines.get(0));
    assertTrue(lines.get(0).contains(expected), lines.get(0));
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Tag("e2e")
  @Test
  void theReadmeCommandMeasuresTheEmbeddedServerAndWritesTheExports(@TempDir Path dir)
      throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "meta/llama-3.1-8b-instruct",
            "--endpoint-type",
            "chat",
            "--service-kind",
            "openai",
            "--streaming",
            "-u",
            "sim://default",
            "--synthetic-input-tokens-mean",
            "200",
            "--synthetic-input-tokens-stddev",
            "10",
            "--concurrency",
            "10",
            "--output-tokens-mean",
            "200",
            "--extra-inputs",
            "max_tokens:200",
            "--extra-inputs",
            "min_tokens:200",
            "--extra-inputs",
            "ignore_eos:true",
            "--artifact-dir",
            dir.toString(),
            "--",
            "-v",
            "--max-threads=256");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("LLM Metrics"), run.out());
    assertTrue(run.out().contains("Inter Token Latency (ms)"), run.out());
    assertTrue(run.err().contains("ignored: perf_analyzer flags -v --max-threads=256"), run.err());

    Path runDir = dir.resolve("meta_llama-3.1-8b-instruct-openai-chat-concurrency10");
    JsonNode export = JSON.readTree(runDir.resolve("profile_export_genai_perf.json").toFile());
    assertEquals(200.0, export.path("output_sequence_length").path("avg").asDouble(), 1e-9);
    double itl = export.path("inter_token_latency").path("avg").asDouble();
    assertEquals(10.0, itl, 0.5, "ITL " + itl + " ms vs the default preset's 10 ms");
    assertEquals(20, export.path("request_count").path("avg").asInt());
    assertTrue(Files.exists(runDir.resolve("profile_export_genai_perf.csv")));
    assertTrue(Files.exists(runDir.resolve("time_to_first_token.hlog")));
    JsonNode raw = JSON.readTree(runDir.resolve("profile_export.json").toFile());
    assertEquals(20, raw.path("experiments").get(0).path("requests").size());
  }

  @Tag("e2e")
  @Test
  void withoutTheRawExportTheMetricsAreTheSameAndNoPerRequestFileIsWritten(@TempDir Path dir)
      throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--concurrency",
            "4",
            "--request-count",
            "8",
            "--synthetic-input-tokens-mean",
            "50",
            "--synthetic-input-tokens-stddev",
            "0",
            "--extra-inputs",
            "max_tokens:30",
            "--extra-inputs",
            "ignore_eos:true",
            "--no-raw-export",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    Path runDir = dir.resolve("m-openai-chat-concurrency4");
    JsonNode export = JSON.readTree(runDir.resolve("profile_export_genai_perf.json").toFile());
    assertEquals(8, export.path("request_count").path("avg").asInt());
    assertEquals(30.0, export.path("output_sequence_length").path("avg").asDouble(), 1e-9);
    double itl = export.path("inter_token_latency").path("avg").asDouble();
    assertEquals(10.0, itl, 0.5, "ITL " + itl + " ms vs the default preset's 10 ms");
    assertTrue(export.path("time_to_second_token").path("avg").asDouble() > 0, export.toString());
    assertFalse(Files.exists(runDir.resolve("profile_export.json")));
  }

  private static Run shortStreamedRun(Path dir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "profile",
                "-m",
                "m",
                "--streaming",
                "-u",
                "sim://default",
                "--concurrency",
                "2",
                "--request-count",
                "6",
                "--synthetic-input-tokens-mean",
                "50",
                "--synthetic-input-tokens-stddev",
                "0",
                "--extra-inputs",
                "max_tokens:10",
                "--extra-inputs",
                "ignore_eos:true",
                "--artifact-dir",
                dir.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** The chart images in the run's plots folder; each has a page beside it. */
  private static List<String> plotNames(Path runDir) throws IOException {
    return plotFiles(runDir, ".png");
  }

  private static List<String> plotFiles(Path runDir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(runDir.resolve("plots"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .sorted()
          .toList();
    }
  }

  @Tag("e2e")
  @Test
  void generatePlotsDrawsGenaiPerfsChartsAndThePercentileCurvesIntoPlots(@TempDir Path dir)
      throws IOException {
    Run run = shortStreamedRun(dir, "--generate-plots");
    assertEquals(0, run.exitCode(), run.err());
    assertFalse(run.err().contains("--generate-plots"), "no longer noted as ignored: " + run.err());
    Path runDir = dir.resolve("m-openai-chat-concurrency2");
    assertTrue(run.out().contains("Plots: " + runDir.resolve("plots").toAbsolutePath()), run.out());
    assertEquals(
        List.of(
            "distribution_of_input_sequence_lengths_to_output_sequence_lengths.png",
            "inter_token_latency_percentiles.png",
            "request_latency.png",
            "request_latency_percentiles.png",
            "send_lag_percentiles.png",
            "server_metrics.png",
            "time_to_first_token.png",
            "time_to_first_token_percentiles.png",
            "time_to_first_token_vs_input_sequence_lengths.png",
            "time_to_second_token_percentiles.png",
            "token-to-token_latency_vs_output_token_position.png"),
        plotNames(runDir));
    for (String name : plotNames(runDir)) {
      assertTrue(
          javax.imageio.ImageIO.read(runDir.resolve("plots").resolve(name).toFile()) != null, name);
    }
    List<String> pages = plotNames(runDir).stream().map(n -> n.replace(".png", ".html")).toList();
    assertEquals(pages, plotFiles(runDir, ".html"), "a page beside each chart");
  }

  @Tag("e2e")
  @Test
  void generatePlotsWithoutTheRawExportSaysSoAndDrawsTheRest(@TempDir Path dir) throws IOException {
    Run run = shortStreamedRun(dir, "--generate-plots", "--no-raw-export");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.err()
            .contains("loadgen: note: --no-raw-export: the per-request plots (time to first token"),
        run.err());
    List<String> names = plotNames(dir.resolve("m-openai-chat-concurrency2"));
    assertTrue(names.contains("time_to_first_token.png"), names.toString());
    assertTrue(names.contains("request_latency_percentiles.png"), names.toString());
    assertFalse(
        names.contains("token-to-token_latency_vs_output_token_position.png"), names.toString());
  }

  @Tag("e2e")
  @Test
  void plotsThatCannotBeWrittenAreOneLineAndTheSweepGoesOnWithEveryExport(@TempDir Path dir)
      throws IOException {
    Path blocked = dir.resolve("m-openai-chat-concurrency2");
    Files.createDirectories(blocked);
    Files.writeString(blocked.resolve("plots"), "a file where the folder would go");
    Run run = shortStreamedRun(dir, "--concurrency", "3", "--generate-plots");
    assertOneLineError(
        run, 1, blocked.resolve("plots").toAbsolutePath() + ": a file of that name is in the way");
    assertTrue(Files.exists(blocked.resolve("profile_export_genai_perf.json")));
    Path next = dir.resolve("m-openai-chat-concurrency3");
    assertTrue(plotNames(next).contains("time_to_first_token.png"), "the next level still ran");
    assertTrue(Files.exists(dir.resolve("sweep_summary.csv")), run.out());
  }

  @Tag("e2e")
  @Test
  void eventLoopsAndTransportAreChosenByFlagAndExportedWithTheSendLag(@TempDir Path dir)
      throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--concurrency",
            "6",
            "--request-count",
            "12",
            "--synthetic-input-tokens-mean",
            "50",
            "--extra-inputs",
            "max_tokens:5",
            "--extra-inputs",
            "ignore_eos:true",
            "--event-loops",
            "3",
            "--transport",
            "nio",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("Client send lag (intended send to last byte written): p50 "),
        run.out());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency6/profile_export_genai_perf.json").toFile());
    assertEquals(12, export.path("request_count").path("avg").asInt());
    assertEquals(3, export.path("input_config").path("event_loops").asInt());
    assertEquals("nio", export.path("input_config").path("transport").asText());
    assertEquals("ms", export.path("send_lag").path("unit").asText());
    assertTrue(export.path("send_lag").path("p99").asDouble() >= 0, export.toString());
    assertTrue(Files.exists(dir.resolve("m-openai-chat-concurrency6/send_lag.hlog")));
  }

  @Tag("e2e")
  @Test
  void severalUrlsAreReplicasAndEachSimUrlIsAnEngineOfItsOwn(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default,sim://default",
            "--concurrency",
            "4",
            "--request-count",
            "8",
            "--synthetic-input-tokens-mean",
            "50",
            "--extra-inputs",
            "max_tokens:5",
            "--extra-inputs",
            "ignore_eos:true",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency4/profile_export_genai_perf.json").toFile());
    assertEquals(8, export.path("request_count").path("avg").asInt());
    JsonNode urls = export.path("input_config").path("urls");
    assertEquals(2, urls.size(), export.path("input_config").toString());
    assertFalse(urls.get(0).asText().equals(urls.get(1).asText()), "two servers, two ports");
    // Each replica's /metrics is scraped: one series per replica.
    assertEquals(
        2,
        export.path("server_metrics").path("replicas").size(),
        export.path("server_metrics").toString());
  }

  @Test
  void anUnknownTransportIsAUsageError() {
    assertOneLineError(
        run("profile", "-m", "m", "--transport", "rdma"), 2, "--transport must be auto, epoll");
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertOneLineError(
        run("profile", "-m", "m", "--no-such-flag"), 2, "Unknown option: '--no-such-flag'");
  }

  @Test
  void badNumberIsAUsageError() {
    assertOneLineError(run("profile", "-m", "m", "--concurrency", "ten"), 2, "'ten' is not an int");
  }

  @Tag("e2e")
  @Test
  void refusedConnectionIsARunFailure(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertOneLineError(
        run("profile", "-m", "m", "-u", "127.0.0.1:" + port, "--artifact-dir", dir.toString()),
        1,
        "connection refused");
  }

  @Tag("e2e")
  @Test
  void unresolvableHostIsARunFailure(@TempDir Path dir) {
    assertOneLineError(
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "http://no-such-host.invalid:8000",
            "--artifact-dir",
            dir.toString()),
        1,
        "cannot resolve host");
  }

  @Tag("e2e")
  @Test
  void aServerThatIsNotOpenAiCompatibleIsARunFailure(@TempDir Path dir) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "<html><body>Welcome to nginx!</body></html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "text/html");
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      assertOneLineError(
          run(
              "profile",
              "-m",
              "m",
              "--streaming",
              "-u",
              "127.0.0.1:" + server.getAddress().getPort(),
              "--artifact-dir",
              dir.toString()),
          1,
          "OpenAI-compatible");
    } finally {
      server.stop(0);
    }
  }

  @Tag("e2e")
  @Test
  void aServerThatGoesSilentIsSaidOnceWithTheFlagThatLimitsIt(@TempDir Path dir)
      throws IOException {
    // Each request gets a stream head and one token, then nothing: the connection stays open.
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("content-type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          exchange
              .getResponseBody()
              .write(
                  ("data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":"
                          + "{\"content\":\" one\"}}]}\n\n")
                      .getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
        });
    server.start();
    try {
      Run run =
          run(
              "profile",
              "-m",
              "m",
              "--streaming",
              "-u",
              "127.0.0.1:" + server.getAddress().getPort(),
              "--server-metrics-interval",
              "0",
              "--concurrency",
              "2",
              "--event-loops",
              "1",
              "--request-count",
              "2",
              "--request-timeout",
              "0.3",
              "--artifact-dir",
              dir.toString());
      assertEquals(1, run.exitCode(), run.err());
      assertEquals(
          List.of(
              "loadgen: the server sent no data for 300 ms on 2 requests; they count as timeout"
                  + " (--request-timeout)",
              "loadgen: error: all 2 measured requests failed (timeout 2); the exports hold what"
                  + " the server answered"),
          run.errLines());
    } finally {
      server.stop(0);
    }
  }

  @Tag("e2e")
  @Test
  void aRunMostOfWhoseRequestsFailedIsARunFailureThatStillWritesTheExports(@TempDir Path dir)
      throws IOException {
    assertEquals(
        0, runAgainstAServerFailing(2, dir.resolve("half")).exitCode(), "half is not most");
    Path most = dir.resolve("most");
    Run run = runAgainstAServerFailing(3, most);
    assertEquals(1, run.exitCode(), run.err());
    assertEquals(
        List.of(
            "loadgen: error: 6 of 8 measured requests failed (http_500 6); the exports hold what"
                + " the server answered"),
        run.errLines());
    try (var files = Files.walk(most)) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().equals("profile_export_genai_perf.json")),
          "the exports were written");
    }
  }

  @Tag("e2e")
  @Test
  void aFailedRequestThresholdStopsTheRunOnceItsSharePassesItAndFailsIt(@TempDir Path dir)
      throws IOException {
    // Half of all requests fail: past 20% the run stops, from the 10th measured request on.
    Path stopped = dir.resolve("stopped");
    Run run = runAgainstAServerFailing(2, stopped, 40, "--failed-request-threshold", "20");
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("past the failed-request threshold of 20%; the run was stopped"),
        run.err());
    JsonNode export = onlyExport(stopped);
    long measured =
        export.path("request_count").path("avg").asLong()
            + export.path("error_count").path("avg").asLong();
    assertTrue(measured >= 10 && measured < 40, "stopped early, after 10: " + measured);
    // Under the threshold the same server's run goes to its end and passes.
    assertEquals(
        0,
        runAgainstAServerFailing(2, dir.resolve("under"), 12, "--failed-request-threshold", "60")
            .exitCode());
    // Fewer than 10 requests are never stopped, but the run still fails at its end.
    Run short8 =
        runAgainstAServerFailing(2, dir.resolve("short"), 8, "--failed-request-threshold", "40");
    assertEquals(1, short8.exitCode(), short8.err());
    assertEquals(
        List.of(
            "loadgen: error: 4 of 8 measured requests failed (http_500 4), past"
                + " --failed-request-threshold 40%; the exports hold what the server answered"),
        short8.errLines());
    assertOneLineError(
        run("profile", "-m", "m", "--failed-request-threshold", "150"),
        2,
        "--failed-request-threshold must be 0 to 100 (percent of measured requests), got 150.0");
  }

  private static JsonNode onlyExport(Path artifacts) throws IOException {
    try (var files = Files.walk(artifacts)) {
      Path export =
          files
              .filter(f -> f.getFileName().toString().equals("profile_export_genai_perf.json"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no export under " + artifacts));
      return JSON.readTree(export.toFile());
    }
  }

  private static Run runAgainstAServerFailing(int failing, Path artifacts) throws IOException {
    return runAgainstAServerFailing(failing, artifacts, 8);
  }

  /**
   * {@code requests} requests, one at a time, to a server that answers {@code failing} of each 4
   * with 500.
   */
  private static Run runAgainstAServerFailing(
      int failing, Path artifacts, int requests, String... more) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          boolean fail = seen.getAndIncrement() % 4 >= 4 - failing;
          byte[] body =
              (fail
                      ? "{\"error\":{\"message\":\"overloaded\"}}"
                      : "data: {\"choices\":[{\"delta\":{\"content\":\" hi\"}}]}\n\ndata: [DONE]\n\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("content-type", fail ? "application/json" : "text/event-stream");
          exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      return run(
          java.util.stream.Stream.concat(
                  java.util.stream.Stream.of(
                      "profile",
                      "-m",
                      "m",
                      "--streaming",
                      "-u",
                      "127.0.0.1:" + server.getAddress().getPort(),
                      "--concurrency",
                      "1",
                      "--request-count",
                      String.valueOf(requests),
                      "--warmup-request-count",
                      "0",
                      "--server-metrics-interval",
                      "0",
                      "--artifact-dir",
                      artifacts.toString()),
                  java.util.Arrays.stream(more))
              .toArray(String[]::new));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRequestLimitIsSecondsOrZeroForNone() {
    assertOneLineError(
        run("profile", "-m", "m", "--request-deadline", "-1"),
        2,
        "--request-deadline must be 0 (no limit) or a number of seconds up to a year, got -1.0");
    assertOneLineError(
        run("profile", "-m", "m", "--request-timeout", "NaN"),
        2,
        "--request-timeout must be 0 (no limit)");
  }

  @Test
  void missingTokenizerIsAUsageError(@TempDir Path dir) {
    assertOneLineError(
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "sim://default",
            "--tokenizer",
            dir.resolve("none").toString(),
            "--artifact-dir",
            dir.toString()),
        2,
        "--tokenizer");
  }

  @Test
  void unwritableArtifactDirIsARunFailure(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "in the way");
    assertOneLineError(
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "sim://default",
            "--request-count",
            "1",
            "--artifact-dir",
            file.toString()),
        1,
        "--artifact-dir a writable folder");
  }

  @Test
  void unknownSimulatorPresetIsAUsageError() {
    assertOneLineError(
        run("profile", "-m", "m", "-u", "sim://h200-of-dreams"), 2, "unknown simulator preset");
  }

  @Test
  void simOverridesThatMakeNoSenseAreUsageErrors(@TempDir Path dir) throws IOException {
    assertOneLineError(
        run("sim", "--port", "0", "--kv-blocks", "0"),
        2,
        "KV blocks (kv_blocks) must be at least 1");
    assertOneLineError(run("sim", "--port", "0", "--gpu-count", "2"), 2, "has no GPU facts");
    assertOneLineError(
        run("sim", "--port", "0", "--preset", "llama3-8b-h100", "--gpu-memory-gib", "10"),
        2,
        "does not fit");
    java.nio.file.Path file =
        java.nio.file.Files.writeString(dir.resolve("engine.yaml"), "kv_blokcs: 3\n");
    assertOneLineError(
        run("sim", "--port", "0", "--config", file.toString()), 2, "unknown key 'kv_blokcs'");
    assertOneLineError(run("sim", "--port", "0", "--fault-error-rate", "2"), 2, "between 0 and 1");
    assertOneLineError(run("sim", "--port", "0", "--output-tokens-mean", "0"), 2, "mean >= 1");
    assertOneLineError(
        run("sim", "--port", "0", "--io-threads", "0"), 2, "I/O threads must be at least 1");
  }

  @Test
  void anUnknownSimPresetIsAUsageErrorWithItsStackOnlyWhenVerbose() {
    assertOneLineError(
        run("sim", "--preset", "nosuch"),
        2,
        "unknown simulator preset 'nosuch': use one of default, llama3-8b-h100");
    Run verbose = run("sim", "--preset", "nosuch", "--verbose");
    assertEquals(2, verbose.exitCode(), verbose.err());
    assertTrue(
        verbose.errLines().get(0).startsWith("loadgen: error: unknown simulator preset 'nosuch'"),
        verbose.err());
    assertTrue(
        verbose.err().contains("io.loadgen.sim.SimConfigException")
            && verbose.err().contains("\tat "),
        verbose.err());
  }

  @Test
  void anImpossibleTokenLengthIsAUsageErrorNamingTheFlag() {
    assertOneLineError(
        run("profile", "-m", "m", "-u", "sim://default", "--synthetic-input-tokens-mean", "0"),
        2,
        "--synthetic-input-tokens-mean/-stddev: the mean must be at least 1 token");
  }

  @Test
  void aBugIsAnInternalErrorOnOneLineWithItsStackOnlyWhenVerbose() {
    IllegalArgumentException bug =
        new IllegalArgumentException("index 3 out of range\nfor length 3");
    Run run = runFailing(bug);
    assertEquals(Errors.RUN_FAILED, run.exitCode(), run.err());
    assertEquals(
        List.of(
            "loadgen: internal error: java.lang.IllegalArgumentException: index 3 out of range "
                + "for length 3 (run with --verbose for the stack)"),
        run.errLines());

    Run verbose = runFailing(bug, "--verbose");
    assertEquals(Errors.RUN_FAILED, verbose.exitCode(), verbose.err());
    assertEquals(
        "loadgen: internal error: java.lang.IllegalArgumentException: index 3 out of range for length 3",
        verbose.errLines().get(0));
    assertTrue(
        verbose.err().contains("\tat " + MainTest.class.getName() + ".aBugIs"), verbose.err());
  }

  @Test
  void anErrorThrownByACommandIsAnInternalErrorNamingIt() {
    Run run = runFailing(new AssertionError("the pacer lost a slot"));
    assertEquals(Errors.RUN_FAILED, run.exitCode(), run.err());
    assertEquals(
        List.of(
            "loadgen: internal error: java.lang.AssertionError: the pacer lost a slot "
                + "(run with --verbose for the stack)"),
        run.errLines());
  }

  @Test
  void aUserErrorInsideAFuturesWrapperIsStillTheUsersError() {
    assertOneLineError(
        runFailing(
            new java.util.concurrent.CompletionException(
                new io.loadgen.sim.SimConfigException("GPU count must be at least 1, got 0"))),
        2,
        "GPU count must be");
    assertOneLineError(
        runFailing(new io.loadgen.core.TargetUnreachableException("connection refused at h:1")),
        1,
        "connection refused at h:1");
  }

  /** A command that throws what a test gives it, added to loadgen's own command line as 'fail'. */
  @picocli.CommandLine.Command(name = "fail")
  static final class Failing implements java.util.concurrent.Callable<Integer> {
    private final Throwable failure;

    @picocli.CommandLine.Option(names = {"-v", "--verbose"})
    boolean verbose;

    Failing(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
  }

  /**
   * Runs {@code loadgen fail ARGS} with loadgen's handlers, the command throwing {@code failure}.
   */
  private static Run runFailing(Throwable failure, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    picocli.CommandLine commandLine =
        LoadgenCommand.commandLine(outWriter, errWriter, PerfAnalyzerArgs.of(new String[0]));
    commandLine.addSubcommand("fail", new Failing(failure));
    // Writers reach the subcommands there are when they are set: set them again for this one.
    commandLine.setOut(outWriter).setErr(errWriter);
    List<String> all = new ArrayList<>(List.of("fail"));
    all.addAll(List.of(args));
    int code = commandLine.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Tag("e2e")
  @Test
  void aConcurrencyListRunsEachLevelAndWritesTheSweepSummary(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "sim://default",
            "--streaming",
            "--concurrency",
            "2,4",
            "--synthetic-input-tokens-mean",
            "30",
            "--extra-inputs",
            "max_tokens:20",
            "--extra-inputs",
            "ignore_eos:true",
            "--server-metrics-interval",
            "0.05",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(java.nio.file.Files.isDirectory(dir.resolve("m-openai-chat-concurrency2")));
    assertTrue(java.nio.file.Files.isDirectory(dir.resolve("m-openai-chat-concurrency4")));
    String csv = java.nio.file.Files.readString(dir.resolve("sweep_summary.csv"));
    String[] lines = csv.split("\r\n");
    assertEquals(3, lines.length, "a header and a row per level, nothing after: " + csv);
    assertTrue(lines[1].startsWith("concurrency 2,") && lines[2].startsWith("concurrency 4,"), csv);
    for (String line : lines) {
      assertEquals(lines[0].split(",", -1).length, line.split(",", -1).length, line);
    }
    JsonNode json = JSON.readTree(dir.resolve("sweep_summary.json").toFile());
    assertEquals(2, json.path("levels").size());
    assertTrue(
        json.path("levels").get(1).path("kv_cache_usage_max_pct").asDouble() > 0, json.toString());
    assertTrue(
        json.path("fit").path("kv_cache_usage_pct_per_request_in_flight").asDouble() > 0,
        json.toString());
    assertTrue(run.out().contains("Sweep Summary"), run.out());
    JsonNode level =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency4/profile_export_genai_perf.json").toFile());
    assertEquals("vllm:kv_cache_usage_perc", level.path("kv_cache_usage").path("metric").asText());
    Path report = dir.resolve("report.html");
    assertTrue(run.out().contains("Sweep report: " + report.toAbsolutePath()), run.out());
    String html = java.nio.file.Files.readString(report);
    assertEquals(4, html.split("<img ", -1).length - 1, "the four sweep charts, KV included");
    assertTrue(
        java.nio.file.Files.isRegularFile(dir.resolve("plots/sweep_kv_cache_usage.png")),
        "the charts are in the sweep's plots/ too");
  }

  @Tag("e2e")
  @Test
  void aSweepReportThatCannotBeWrittenFailsInOneLineAfterTheSummaryFiles(@TempDir Path dir)
      throws IOException {
    java.nio.file.Files.createDirectories(dir.resolve("report.html"));
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "sim://default",
            "--streaming",
            "--concurrency",
            "1,2",
            "--request-count",
            "3",
            "--extra-inputs",
            "max_tokens:5",
            "--artifact-dir",
            dir.toString());
    assertEquals(1, run.exitCode(), run.err());
    List<String> errors =
        run.errLines().stream().filter(line -> line.startsWith("loadgen: error:")).toList();
    assertEquals(1, errors.size(), run.err());
    assertTrue(
        errors
            .get(0)
            .startsWith("loadgen: error: cannot write " + dir.resolve("report.html") + ": "),
        run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("sweep_summary.csv")));
    assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("sweep_summary.json")));
  }

  @Test
  void aBadInputFileLineIsAUsageErrorNamingFileAndLine(@TempDir Path dir) throws IOException {
    Path file =
        java.nio.file.Files.writeString(
            dir.resolve("prompts.jsonl"), "{\"text\": \"ok\"}\n{\"txt\": 1}\n");
    assertOneLineError(
        run("profile", "-m", "m", "-u", "sim://default", "--input-file", file.toString()),
        2,
        "prompts.jsonl, line 2");
  }

  /**
   * A Hugging Face name, found offline in a cache laid out as huggingface_hub lays it out. The
   * environment is the child process's own, so the run is a separate JVM.
   */
  @Tag("e2e")
  @Test
  void findsAHuggingFaceTokenizerByNameInTheLocalCacheOffline(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("hub/models--meta-llama--Meta-Llama-3-8B-Instruct");
    String commit = "a".repeat(40);
    java.nio.file.Files.createDirectories(repo.resolve("snapshots/" + commit));
    java.nio.file.Files.createDirectories(repo.resolve("refs"));
    try (var in = io.loadgen.tokenizer.Tokenizer.class.getResourceAsStream("gpt2/tokenizer.json")) {
      java.nio.file.Files.copy(in, repo.resolve("snapshots/" + commit + "/tokenizer.json"));
    }
    java.nio.file.Files.writeString(repo.resolve("refs/main"), commit);
    // C1 only, as bin/loadgen starts on small machines: the two short runs are all start-up, which
    // C2's compilations would double.
    ProcessBuilder child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.loadgen.cli.Main",
                "profile",
                "-m",
                "m",
                "-u",
                "sim://default",
                "--streaming",
                "--tokenizer",
                "meta-llama/Meta-Llama-3-8B-Instruct",
                "--synthetic-input-tokens-mean",
                "50",
                // Four short requests at once: what is checked is the tokenizer, not the
                // simulator's
                // default 128-token answers one after another, which took five of this test's nine
                // seconds.
                "--request-count",
                "4",
                "--concurrency",
                "4",
                "--output-tokens-mean",
                "4",
                "--artifact-dir",
                dir.resolve("artifacts").toString())
            .redirectErrorStream(true);
    child.environment().put("HF_HUB_CACHE", dir.resolve("hub").toString());
    child.environment().put("HF_HUB_OFFLINE", "1");
    Process process = child.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    Path export;
    try (Stream<Path> files = java.nio.file.Files.walk(dir.resolve("artifacts"))) {
      export =
          files
              .filter(f -> f.getFileName().toString().equals("profile_export_genai_perf.json"))
              .findFirst()
              .orElseThrow();
    }
    JsonNode json = JSON.readTree(export.toFile());
    assertEquals(
        "meta-llama/Meta-Llama-3-8B-Instruct",
        json.path("input_config").path("tokenizer").asText());
    assertEquals(50.0, json.path("input_sequence_length").path("avg").asDouble(), 1e-9);
    // The same name with the cache empty and offline: one line saying where it looked.
    child.environment().put("HF_HUB_CACHE", dir.resolve("empty").toString());
    Process missing = child.start();
    String err =
        new String(
            missing.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, missing.waitFor(), err);
    assertTrue(
        err.strip().lines().count() == 1 && err.contains(dir.resolve("empty").toString()), err);
  }

  @Tag("e2e")
  @Test
  void secretsNeverReachOutputOrExports(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "-u",
            "sim://default",
            "--streaming",
            "--request-count",
            "3",
            "--synthetic-input-tokens-mean",
            "20",
            "--output-tokens-mean",
            "3",
            "--header",
            "Authorization:Bearer sk-very-secret",
            "--header",
            "X-Team-Token:t0ken-value",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    for (String text : List.of(run.out(), run.err())) {
      assertFalse(text.contains("sk-very-secret") || text.contains("t0ken-value"), text);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertFalse(
            content.contains("sk-very-secret") || content.contains("t0ken-value"), file.toString());
      }
    }
  }

  @Test
  void aBadHeaderNamesTheProblemWithoutItsValue() {
    Run run = run("profile", "-m", "m", "-u", "sim://default", "--header", "no-colon-secret-value");
    assertOneLineError(run, 2, "--header must be Name:value");
    assertFalse(run.err().contains("no-colon-secret-value"));
  }

  @Tag("e2e")
  @Test
  void useServerTokenCountTakesTheLengthsFromTheSimulatorsUsage(@TempDir Path dir)
      throws IOException {
    Run run = shortStreamedRun(dir, "--use-server-token-count");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency2/profile_export_genai_perf.json").toFile());
    assertTrue(export.path("input_config").path("use_server_token_count").asBoolean());
    // The simulator generates exactly max_tokens and says so in its usage: 10, and 50 in.
    assertEquals(10, export.path("output_sequence_length").path("avg").asDouble(), 0);
    assertEquals(50, export.path("input_sequence_length").path("avg").asDouble(), 0);
    assertTrue(run.out().contains("Server usage: 300 prompt and 60 completion tokens"), run.out());
  }

  @Tag("e2e")
  @Test
  void burstinessSendsGammaArrivalsAtTheRateAndSaysSoInTheSettings(@TempDir Path dir)
      throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--request-rate",
            "40",
            "--burstiness",
            "0.5",
            "--request-count",
            "20",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:4",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode config =
        JSON.readTree(
                dir.resolve("m-openai-chat-request_rate40.0/profile_export_genai_perf.json")
                    .toFile())
            .path("input_config");
    assertEquals("gamma", config.path("request_rate_arrivals").asText(), config.toString());
    assertEquals(0.5, config.path("request_rate_burstiness").asDouble(), config.toString());
  }

  @Tag("e2e")
  @Test
  void benchmarkDurationCutsWhatTheGraceLeavesOpenAndSaysSo(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--concurrency",
            "2",
            "--benchmark-duration",
            "0.5",
            "--benchmark-grace-period",
            "0",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:100",
            "--extra-inputs",
            "min_tokens:100",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Cut: 2 requests were still in flight"), run.out());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency2/profile_export_genai_perf.json").toFile());
    assertEquals(2, export.path("cut_count").path("avg").asLong(), export.toString());
    JsonNode config = export.path("input_config");
    assertEquals(0.5, config.path("benchmark_duration").asDouble(), config.toString());
    assertEquals(0.0, config.path("benchmark_grace_period").asDouble(), config.toString());
    assertEquals(-1, config.path("request_count").asInt(), config.toString());
  }

  @Tag("e2e")
  @Test
  void cancelledRequestsAreCountedApartInTheExportsAndTheConsole(@TempDir Path dir)
      throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--concurrency",
            "2",
            "--request-count",
            "6",
            "--request-cancellation-rate",
            "100",
            "--request-cancellation-delay",
            "0.05",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:500",
            "--extra-inputs",
            "min_tokens:500",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Cancelled on purpose: 6 requests"), run.out());
    Path level = dir.resolve("m-openai-chat-concurrency2");
    JsonNode export = JSON.readTree(level.resolve("profile_export_genai_perf.json").toFile());
    assertEquals(6, export.path("request_cancellation_count").path("avg").asLong());
    assertEquals(0, export.path("error_count").path("avg").asLong());
    JsonNode config = export.path("input_config");
    assertEquals(100.0, config.path("request_cancellation_rate").asDouble(), config.toString());
    assertEquals(0.05, config.path("request_cancellation_delay").asDouble(), config.toString());
  }

  @Tag("e2e")
  @Test
  void aRateWithAConcurrencyCapReportsTheWaitForSlots(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--request-rate",
            "50",
            "--concurrency",
            "1",
            "--request-count",
            "5",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:10",
            "--extra-inputs",
            "min_tokens:10",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Slot wait (arrivals held by --concurrency 1"), run.out());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-request_rate50.0/profile_export_genai_perf.json").toFile());
    assertTrue(export.path("slot_wait").path("max").asDouble() > 0, export.toString());
    assertEquals(
        1, export.path("input_config").path("request_rate_max_concurrency").asInt(), "cap");
  }

  @Tag("e2e")
  @Test
  void aRampedRunMeasuresItsCountAfterTheRampAndRecordsIt(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--request-rate",
            "40",
            "--ramp-up",
            "0.3",
            "--request-count",
            "6",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:5",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-request_rate40.0/profile_export_genai_perf.json").toFile());
    assertEquals(6, export.path("request_count").path("avg").asInt(), export.toString());
    assertEquals(0.3, export.path("input_config").path("ramp_up").asDouble(), export.toString());
  }

  @Tag("e2e")
  @Test
  void profilesTheSimulatorsEmbeddingsWithTheirOwnTable(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "nv-embedqa",
            "--endpoint-type",
            "embeddings",
            "-u",
            "sim://default",
            "--batch-size-text",
            "3",
            "--synthetic-input-tokens-mean",
            "20",
            "--concurrency",
            "2",
            "--request-count",
            "6",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Request Latency (ms)"), run.out());
    assertFalse(run.out().contains("Time To First Token"), run.out());
    assertFalse(run.out().contains("Output Token Throughput"), run.out());
    JsonNode export =
        JSON.readTree(
            dir.resolve("nv-embedqa-openai-embeddings-concurrency2/profile_export_genai_perf.json")
                .toFile());
    assertEquals(6, export.path("request_count").path("avg").asInt(), export.toString());
    assertEquals(3, export.path("input_config").path("batch_size_text").asInt(), export.toString());
  }

  @Tag("e2e")
  @Test
  void runsChatSessionsAndPrintsTheirTurns(@TempDir Path dir) throws IOException {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--num-sessions",
            "3",
            "--session-concurrency",
            "2",
            "--session-turns-mean",
            "2",
            "--session-turn-delay-mean",
            "20",
            "--synthetic-input-tokens-mean",
            "20",
            "--extra-inputs",
            "max_tokens:4",
            "--artifact-dir",
            dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Session Turns (ms)"), run.out());
    JsonNode export =
        JSON.readTree(
            dir.resolve("m-openai-chat-concurrency2/profile_export_genai_perf.json").toFile());
    assertEquals(6, export.path("request_count").path("avg").asInt(), export.toString());
    assertEquals(2, export.path("session_turns").size(), export.toString());
    assertEquals(3, export.path("session_turns").get(1).path("request_count").asInt());
    assertEquals(3, export.path("input_config").path("num_sessions").asInt());
  }

  @Test
  void helpDocumentsGenaiPerfFlags() {
    Run run = run("profile", "--help");
    assertEquals(0, run.exitCode());
    for (String flag :
        List.of(
            "--endpoint-type",
            "--service-kind",
            "--streaming",
            "--synthetic-input-tokens-mean",
            "--extra-inputs",
            "--request-rate",
            "--request-distribution",
            "--burstiness",
            "--failed-request-threshold",
            "--use-server-token-count",
            "--measurement-interval",
            "--benchmark-duration",
            "--benchmark-grace-period",
            "--request-cancellation-rate",
            "--request-cancellation-delay",
            "--ramp-up",
            "--batch-size-text",
            "--num-sessions",
            "--session-concurrency",
            "--session-turns-mean",
            "--session-turn-delay-mean",
            "--warmup-request-count",
            "--goodput",
            "--request-timeout",
            "--request-deadline",
            "--request-timeout-seconds",
            "--artifact-dir",
            "--profile-export-file",
            "--[no-]raw-export",
            "--tokenizer",
            "--header")) {
      assertTrue(run.out().contains(flag), flag);
    }
  }
}
