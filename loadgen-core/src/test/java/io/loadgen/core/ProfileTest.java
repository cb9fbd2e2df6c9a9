package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

  private static Profile.Builder minimal() {
    return Profile.builder().url("localhost:8000").model("m");
  }

  @Test
  void eachLoadModeNamesItsLevelAndBoundsWhatIsInFlight() {
    LoadMode closed = new LoadMode.Concurrency(12);
    assertEquals("concurrency", closed.key());
    assertEquals(12, closed.level());
    assertEquals(12, closed.inFlightLimit());
    LoadMode open = new LoadMode.RequestRate(2.5, LoadMode.Arrivals.POISSON);
    assertEquals("request_rate", open.key());
    assertEquals(2.5, open.level());
    assertEquals(Integer.MAX_VALUE, open.inFlightLimit());
    // genai-perf's default count: twice the concurrency, twice the rate rounded up, at least 10.
    assertEquals(24, minimal().concurrency(12).build().effectiveRequestCount());
    assertEquals(
        10, minimal().requestRate(2.5, LoadMode.Arrivals.CONSTANT).build().effectiveRequestCount());
    assertEquals(
        14, minimal().requestRate(6.5, LoadMode.Arrivals.CONSTANT).build().effectiveRequestCount());
    // Never more loops than a closed loop keeps requests in flight; an open loop may use them all.
    assertEquals(3, minimal().concurrency(3).eventLoops(8).build().effectiveEventLoops());
    assertEquals(
        8,
        minimal()
            .requestRate(1, LoadMode.Arrivals.CONSTANT)
            .eventLoops(8)
            .build()
            .effectiveEventLoops());
  }

  @Test
  void everyRequestHasLimitsUnlessTheyAreTakenOff() {
    // A server that stops answering must end the run: a streamed request gets an idle limit, and
    // every request a deadline. Not streamed, a response sends nothing until it ends: no idle
    // limit.
    Endpoint streamed = minimal().streaming(true).build().endpoint();
    assertEquals(Duration.ofSeconds(60), streamed.requestTimeout());
    assertEquals(Duration.ofMinutes(10), streamed.requestDeadline());
    // The streaming setting may come after the limits' defaults are known.
    Endpoint late =
        Profile.builder().url("localhost:8000").streaming(true).model("m").build().endpoint();
    assertEquals(Duration.ofSeconds(60), late.requestTimeout());
    Endpoint whole = minimal().build().endpoint();
    assertEquals(null, whole.requestTimeout());
    assertEquals(Duration.ofMinutes(10), whole.requestDeadline());
    Endpoint unlimited =
        minimal().streaming(true).requestTimeout(null).requestDeadline(null).build().endpoint();
    assertEquals(null, unlimited.requestTimeout());
    assertEquals(null, unlimited.requestDeadline());
    Endpoint set =
        minimal()
            .requestTimeout(Duration.ofSeconds(5))
            .requestDeadline(Duration.ofSeconds(30))
            .build()
            .endpoint();
    assertEquals(Duration.ofSeconds(5), set.requestTimeout());
    assertEquals(Duration.ofSeconds(30), set.requestDeadline());
    // A profile rebuilt (a sweep's level, a resolved sim:// URL) keeps its limits as they were.
    assertEquals(streamed, minimal().streaming(true).build().toBuilder().build().endpoint());
    assertEquals(whole, minimal().build().toBuilder().concurrency(4).build().endpoint());
    ProfileConfigException e =
        assertThrows(
            ProfileConfigException.class, () -> minimal().requestDeadline(Duration.ZERO).build());
    assertEquals("requestDeadline", e.setting());
  }

  @Test
  void readsHostAndPortWithoutASchemeAsPlainHttp() {
    assertEquals(
        "http://localhost:8000",
        minimal().url("localhost:8000").build().endpoint().url().toString());
    assertEquals(
        "https://api.example.test/v1",
        minimal().url("https://api.example.test/v1/").build().endpoint().url().toString());
  }

  @Test
  void rejectsUrlsItCannotUse() {
    assertThrows(ProfileConfigException.class, () -> minimal().url("ftp://host:21"));
    assertThrows(ProfileConfigException.class, () -> minimal().url("http://user:secret@host:80"));
    assertThrows(ProfileConfigException.class, () -> minimal().url(""));
  }

  @Test
  void defaultsTheRequestCountToTwiceTheConcurrencyWithAFloorOfTen() {
    assertEquals(10, minimal().concurrency(1).build().effectiveRequestCount());
    assertEquals(20, minimal().concurrency(10).build().effectiveRequestCount());
    assertEquals(7, minimal().concurrency(10).requestCount(7).build().effectiveRequestCount());
    assertEquals(
        -1, minimal().measurementInterval(Duration.ofSeconds(2)).build().effectiveRequestCount());
  }

  @Test
  void keepsSecretsOutOfItsText() {
    Profile profile = minimal().header("X-Secret", "s3cr3t-value").apiKey("sk-top-secret").build();
    assertFalse(profile.toString().contains("s3cr3t-value"), profile.toString());
    assertFalse(profile.toString().contains("sk-top-secret"), profile.toString());
    assertTrue(profile.toString().contains("X-Secret=<redacted>"), profile.toString());
    assertFalse(profile.endpoint().toString().contains("sk-top-secret"));
  }

  @Test
  void groupsItsSettingsAndKeepsThemInAVariant() {
    Profile profile =
        minimal()
            .streaming(true)
            .header("X-Team", "search")
            .extraInput("ignore_eos", true)
            .concurrency(4)
            .requestCount(9)
            .goodput(Metric.TIME_TO_FIRST_TOKEN, 100)
            .randomSeed(7)
            .prefixPrompts(3, 20)
            .serverMetricsUrl("localhost:9400/metrics")
            .kvMetric("kv")
            .build();
    Profile variant = profile.withLoadMode(new LoadMode.Concurrency(8));
    assertEquals(new LoadMode.Concurrency(8), variant.load().mode());
    assertEquals(profile.endpoint(), variant.endpoint());
    assertEquals(profile.workload(), variant.workload());
    assertEquals(profile.scrape(), variant.scrape());
    assertEquals(9, variant.load().requestCount());
    assertEquals(Map.of(Metric.TIME_TO_FIRST_TOKEN, 100.0), variant.load().goodput());
    assertEquals("v1/chat/completions", profile.endpoint().path());
    assertEquals("v2/generate", minimal().endpointPath("/v2/generate").build().endpoint().path());
    assertEquals(
        List.of(java.net.URI.create("http://localhost:9400/metrics")), profile.scrape().urls());
  }

  @Test
  void namesTheSettingAtFaultInTheApisOwnTerms() {
    ProfileConfigException count =
        assertThrows(ProfileConfigException.class, () -> minimal().requestCount(-1).build());
    assertEquals("requestCount", count.setting());
    assertEquals("requestCount must be 0 or more, got -1", count.getMessage());
    assertEquals(
        "model",
        assertThrows(
                ProfileConfigException.class, () -> Profile.builder().url("localhost:8000").build())
            .setting());
    assertEquals(
        "concurrency",
        assertThrows(ProfileConfigException.class, () -> minimal().concurrency(0)).setting());
    assertEquals(
        "goodput",
        assertThrows(
                ProfileConfigException.class,
                () -> minimal().goodput(Metric.REQUEST_LATENCY, -5).build())
            .setting());
  }

  @Test
  void takesAnEmbeddedSimulatorAsATargetAndRejectsAnUnknownPreset() {
    assertEquals("sim://default", minimal().url("sim://").build().endpoint().url().toString());
    assertEquals(
        "sim://llama3-8b-h100",
        minimal().url("sim://llama3-8b-h100").build().endpoint().url().toString());
    ProfileConfigException e =
        assertThrows(ProfileConfigException.class, () -> minimal().url("sim://h200-of-dreams"));
    assertTrue(
        e.getMessage().contains("unknown simulator preset 'h200-of-dreams'"), e.getMessage());
    assertThrows(ProfileConfigException.class, () -> minimal().serverMetricsUrl("sim://default"));
  }

  @Test
  void aSweepIsTheBaseProfileAtEachLevel() {
    Profile base = minimal().requestCount(5).build();
    Sweep sweep =
        Sweep.of(
            base,
            List.of(
                new LoadMode.Concurrency(2),
                new LoadMode.RequestRate(3, LoadMode.Arrivals.POISSON)));
    assertEquals(
        List.of(
            new LoadMode.Concurrency(2), new LoadMode.RequestRate(3, LoadMode.Arrivals.POISSON)),
        sweep.profiles().stream().map(p -> p.load().mode()).toList());
    sweep.profiles().forEach(p -> assertEquals(base.endpoint(), p.endpoint()));
    assertThrows(ProfileConfigException.class, () -> Sweep.of(base, List.of()));
  }

  private static void assertRejects(String setting, String problem, Runnable build) {
    ProfileConfigException e = assertThrows(ProfileConfigException.class, build::run);
    assertEquals(setting, e.setting(), e.getMessage());
    assertEquals(problem, e.problem());
  }

  @Test
  void rejectsLoadsNoProcessCanOfferOrNoScheduleCanHold() {
    assertRejects(
        "concurrency",
        "must be 1 to 100000 (one process's connections), got 2147483647",
        () -> minimal().concurrency(Integer.MAX_VALUE));
    assertEquals(100_000, minimal().concurrency(100_000).build().load().mode().inFlightLimit());
    for (double rate : new double[] {1e-12, 0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e7}) {
      assertRejects(
          "requestRate",
          "must be 0.001 to 1000000 requests per second, got " + rate,
          () -> minimal().requestRate(rate, LoadMode.Arrivals.POISSON));
    }
    minimal().requestRate(1e-3, LoadMode.Arrivals.CONSTANT).build();
  }

  @Test
  void rejectsPromptsAndOutputsLongerThanAnyContextWindow() {
    assertRejects(
        "inputTokens",
        "mean must be at most 1000000 tokens, got 10000000",
        () -> minimal().inputTokens(new TokenLengthDistribution(10_000_000, 0)).build());
    assertRejects(
        "inputTokens",
        "standard deviation must be at most 1000000 tokens, got 1.0E300",
        () -> minimal().inputTokens(new TokenLengthDistribution(100, 1e300)).build());
    assertRejects(
        "outputTokens",
        "mean must be at most 1000000 tokens, got 2147483647",
        () -> minimal().outputTokens(new TokenLengthDistribution(Integer.MAX_VALUE, 1)).build());
    assertRejects(
        "outputTokens",
        "standard deviation must be at most 1000000 tokens, got 1.0E300",
        () -> minimal().outputTokens(new TokenLengthDistribution(100, 1e300)).build());
    assertRejects(
        "prefixPromptLength",
        "must be 1 to 1000000 tokens, got 2000000",
        () -> minimal().prefixPrompts(1, 2_000_000).build());
    assertRejects(
        "numPrefixPrompts",
        "must be 0 to 10000000, got 2147483647",
        () -> minimal().prefixPrompts(Integer.MAX_VALUE, 10).build());
    assertRejects(
        "numDatasetEntries",
        "must be 1 to 10000000, got 2147483647",
        () -> minimal().numDatasetEntries(Integer.MAX_VALUE).build());
    Workload longest =
        minimal()
            .inputTokens(new TokenLengthDistribution(1_000_000, 1_000_000))
            .outputTokens(new TokenLengthDistribution(1_000_000, 1_000_000))
            .build()
            .workload();
    assertEquals(1_000_000, longest.inputTokens().mean());
  }
}
