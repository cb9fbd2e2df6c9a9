package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The CLI names its own flags where the Java API names its settings. */
class FlagsTest {

  private static String describe(Supplier<Profile> build) {
    try {
      var unused = build.get();
    } catch (ProfileConfigException e) {
      return Flags.describe(e);
    }
    throw new AssertionError("no ProfileConfigException");
  }

  private static Profile.Builder minimal() {
    return Profile.builder().url("localhost:8000").model("m");
  }

  @Test
  void translatesEachSettingTheApiRejectsIntoTheFlagThatSetsIt() {
    assertEquals(
        "--request-count must be 0 or more, got -1",
        describe(() -> minimal().requestCount(-1).build()));
    assertEquals(
        "--concurrency must be 1 to 100000 (one process's connections), got 0",
        describe(() -> minimal().concurrency(0).build()));
    assertEquals(
        "--num-dataset-entries must be 1 to 10000000, got 0",
        describe(() -> minimal().numDatasetEntries(0).build()));
    assertEquals(
        "--goodput request_latency must be a positive number, got -5.0",
        describe(() -> minimal().goodput(Metric.REQUEST_LATENCY, -5).build()));
    assertEquals(
        "-m/--model is missing: give the model the server serves",
        describe(() -> Profile.builder().url("localhost:8000").build()));
  }

  @Test
  void leavesAMessageWithoutAKnownSettingAsItIs() {
    assertEquals(
        "pass one of these", Flags.describe(new ProfileConfigException("pass one of these")));
    assertEquals(
        "futureSetting is odd",
        Flags.describe(new ProfileConfigException("futureSetting", "is odd")));
  }

  @Test
  void namesTheFlagWhereAServerMetricsProblemNamesTheSetting() {
    assertEquals(
        "http://h:8080/metrics: no KV-cache gauge among 2 series (llamacpp:requests_processing, "
            + "llamacpp:n_tokens_max); name one with --kv-metric",
        Flags.inProse(
            "http://h:8080/metrics: no KV-cache gauge among 2 series (llamacpp:requests_processing,"
                + " llamacpp:n_tokens_max); name one with kvMetric"));
    // Words in URLs and metric names stay as the server wrote them, as do unknown camelCase words.
    assertEquals(
        "http://h/kvMetric/metrics: vllm:kvMetric x_kvMetric someSetting",
        Flags.inProse("http://h/kvMetric/metrics: vllm:kvMetric x_kvMetric someSetting"));
  }

  @Test
  void reportsBadGoodputAndHeadersOnOneLineByTheirFlags() {
    assertOneLine(run("profile", "-m", "m", "--goodput", "ttft:100"), "unknown metric 'ttft'");
    assertOneLine(
        run("profile", "-m", "m", "--goodput", "request_latency:fast"),
        "--goodput request_latency: 'fast' is not a number");
    assertOneLine(
        run("profile", "-m", "m", "--goodput", "request_latency"),
        "--goodput must be metric:value");
    assertOneLine(
        run("profile", "-m", "m", "--request-count", "-3"),
        "--request-count must be 0 or more, got -3");
    assertOneLine(
        run("profile", "-m", "m", "--endpoint", "v1/chat completions"),
        "--endpoint 'v1/chat completions' is not a URL path");
    String bad = run("profile", "-m", "m", "--header", "Bad Name:secret-value");
    assertOneLine(bad, "--header name 'Bad Name' is not an HTTP header name");
    assertFalse(bad.contains("secret-value"), bad);
    String err = run("profile", "-m", "m", "--header", ":secret-value");
    assertOneLine(err, "--header must be Name:value");
    assertFalse(err.contains("secret-value"), err);
  }

  @Test
  void refusesOversizedLoadsAndLengthsOnOneLineByTheirFlags() {
    assertOneLine(
        run("profile", "-m", "m", "--isl", "10000000"),
        "--synthetic-input-tokens-mean/-stddev mean must be at most 1000000 tokens, got 10000000");
    assertOneLine(
        run("profile", "-m", "m", "--osl", "2147483647", "--output-tokens-stddev", "1e300"),
        "--output-tokens-mean/-stddev mean must be at most 1000000 tokens, got 2147483647");
    assertOneLine(
        run("profile", "-m", "m", "--osl", "100", "--output-tokens-stddev", "NaN"),
        "--output-tokens-mean/-stddev: the standard deviation must be 0 or more tokens, got NaN");
    assertOneLine(
        run("profile", "-m", "m", "--num-prefix-prompts", "2147483647"),
        "--num-prefix-prompts must be 0 to 10000000, got 2147483647");
    assertOneLine(
        run("profile", "-m", "m", "--concurrency", "2147483647"),
        "--concurrency must be 1 to 100000 (one process's connections), got 2147483647");
    for (String rate : new String[] {"1e-12", "NaN", "Infinity"}) {
      assertOneLine(
          run("profile", "-m", "m", "--request-rate", rate),
          "--request-rate must be 0.001 to 1000000 requests per second, got "
              + Double.parseDouble(rate));
    }
  }

  @Test
  void refusesBurstinessOutOfRangeOrWithoutGammaArrivals() {
    assertOneLine(
        run("profile", "-m", "m", "--request-rate", "5", "--burstiness", "0"),
        "--burstiness must be 0.001 to 1000 (1 is Poisson), got 0.0");
    assertOneLine(
        run(
            "profile",
            "-m",
            "m",
            "--request-rate",
            "5",
            "--request-distribution",
            "poisson",
            "--burstiness",
            "2"),
        "--burstiness shapes gamma arrivals, not poisson ones");
    assertOneLine(
        run("profile", "-m", "m", "--concurrency", "5", "--burstiness", "2"),
        "--burstiness shapes the arrivals of --request-rate");
    assertOneLine(
        run("profile", "-m", "m", "--request-rate", "5", "--request-distribution", "bursty"),
        "--request-distribution must be constant, poisson or gamma, got 'bursty'");
  }

  @Test
  void refusesABenchmarkDurationOrGraceItCannotUse() {
    assertOneLine(
        run("profile", "-m", "m", "--benchmark-duration", "0"),
        "--benchmark-duration must be a positive number of seconds, got 0.0");
    assertOneLine(
        run("profile", "-m", "m", "--benchmark-duration", "5", "--benchmark-grace-period", "-1"),
        "--benchmark-grace-period must be 0 or more seconds, or inf, got '-1'");
    assertOneLine(
        run("profile", "-m", "m", "--benchmark-duration", "5", "--benchmark-grace-period", "soon"),
        "--benchmark-grace-period must be 0 or more seconds, or inf, got 'soon'");
    assertOneLine(
        run("profile", "-m", "m", "--benchmark-grace-period", "5"),
        "--benchmark-grace-period needs --benchmark-duration: it is the wait after it");
    assertOneLine(
        run("profile", "-m", "m", "--benchmark-duration", "5", "--measurement-interval", "5000"),
        "--benchmark-duration and -p/--measurement-interval both bound the run by time: set one of them");
  }

  @Test
  void refusesACancellationRateOver100OrADelayWithoutARate() {
    assertOneLine(
        run("profile", "-m", "m", "--request-cancellation-rate", "150"),
        "--request-cancellation-rate must be 0 to 100 (percent of requests), got 150.0");
    assertOneLine(
        run(
            "profile",
            "-m",
            "m",
            "--request-cancellation-rate",
            "10",
            "--request-cancellation-delay",
            "-2"),
        "--request-cancellation-delay must be 0 or more seconds, got -2.0");
    assertOneLine(
        run("profile", "-m", "m", "--request-cancellation-delay", "1"),
        "--request-cancellation-delay needs --request-cancellation-rate: which requests to cancel");
  }

  @Test
  void takesOneConcurrencyBesideARateAsItsCap() {
    assertOneLine(
        run("profile", "-m", "m", "--request-rate", "5", "--concurrency", "2,4"),
        "with --request-rate, --concurrency is one cap on the requests in flight, not a list");
    assertOneLine(
        run("profile", "-m", "m", "--request-rate", "5", "--concurrency", "0"),
        "--concurrency must be 1 to 100000 (one process's connections), got 0");
  }

  @Test
  void refusesARampItCannotRun() {
    assertOneLine(
        run("profile", "-m", "m", "--ramp-up", "-3"),
        "--ramp-up must be a positive number of seconds, got -3.0");
    assertOneLine(
        run("profile", "-m", "m", "--ramp-up", "3", "--warmup-request-count", "5"),
        "--ramp-up and --warmup-request-count both warm the server up: set one of them");
  }

  @Test
  void refusesToStreamEmbeddingsAndAnEmptyBatch() {
    assertOneLine(
        run("profile", "-m", "m", "--endpoint-type", "embeddings", "--streaming"),
        "--streaming does not apply to embeddings: its answer is one body");
    assertOneLine(
        run("profile", "-m", "m", "--endpoint-type", "rankings", "--batch-size-text", "0"),
        "--batch-size-text must be 1 to 100000, got 0");
    assertOneLine(
        run("profile", "-m", "m", "--batch-size", "4"),
        "--batch-size-text must be 1 for chat: it takes one prompt per request");
    assertOneLine(
        run("profile", "-m", "m", "--endpoint-type", "images"),
        "--endpoint-type 'images' is unknown: loadgen supports chat, completions, embeddings and"
            + " rankings");
  }

  @Test
  void refusesSessionsItCannotRun() {
    assertOneLine(
        run("profile", "-m", "m", "--num-sessions", "3", "--concurrency", "4"),
        "--session-concurrency sets the load of a sessions run: leave out --concurrency and"
            + " --request-rate");
    assertOneLine(
        run("profile", "-m", "m", "--session-turns-mean", "3"),
        "the --session-* flags shape the sessions of --num-sessions, which is not set");
    assertOneLine(
        run("profile", "-m", "m", "--num-sessions", "0"),
        "--num-sessions must be 1 to 1000000, got 0");
    assertOneLine(
        run("profile", "-m", "m", "--num-sessions", "2", "--session-turn-delay-mean", "-5"),
        "--session-turn-delay-mean/-stddev mean and stddev must be 0 or more ms, got -5.0 and 0.0");
    assertOneLine(
        run("profile", "-m", "m", "--num-sessions", "2", "--endpoint-type", "completions"),
        "--num-sessions need --endpoint-type chat: a session is a conversation");
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    int code =
        Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    return err.toString();
  }

  private static void assertOneLine(String err, String expected) {
    assertEquals(1, err.strip().lines().count(), err);
    assertEquals(true, err.startsWith("loadgen: error: ") && err.contains(expected), err);
  }
}
