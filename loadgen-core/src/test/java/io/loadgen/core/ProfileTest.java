package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(10, minimal().requestRate(2.5, LoadMode.Arrivals.CONSTANT).build().effectiveRequestCount());
    assertEquals(14, minimal().requestRate(6.5, LoadMode.Arrivals.CONSTANT).build().effectiveRequestCount());
    // Never more loops than a closed loop keeps requests in flight; an open loop may use them all.
    assertEquals(3, minimal().concurrency(3).eventLoops(8).build().effectiveEventLoops());
    assertEquals(8, minimal().requestRate(1, LoadMode.Arrivals.CONSTANT).eventLoops(8).build().effectiveEventLoops());
  }

  @Test
  void infersTheJsonTypeOfExtraInputsAsGenaiPerfDoes() {
    Profile profile = minimal()
        .extraInput("max_tokens:200")
        .extraInput("ignore_eos:true")
        .extraInput("temperature:0.7")
        .extraInput("stop:END")
        .extraInput("stream_options:{\"include_usage\":true}")
        .extraInput("logit_bias:[1,2]")
        .extraInput("ratio:1e-3")
        .build();
    assertEquals(200L, profile.extraInputs().get("max_tokens"));
    assertEquals(Boolean.TRUE, profile.extraInputs().get("ignore_eos"));
    assertEquals(0.7, profile.extraInputs().get("temperature"));
    assertEquals("END", profile.extraInputs().get("stop"));
    assertEquals(Map.of("include_usage", true), profile.extraInputs().get("stream_options"));
    assertEquals(List.of(1, 2), profile.extraInputs().get("logit_bias"));
    assertEquals(0.001, profile.extraInputs().get("ratio"));
  }

  @Test
  void rejectsExtraInputsWithoutAKey() {
    ProfileConfigException e = assertThrows(ProfileConfigException.class, () -> minimal().extraInput("max_tokens"));
    assertTrue(e.getMessage().contains("key:value"), e.getMessage());
  }

  @Test
  void readsHostAndPortWithoutASchemeAsPlainHttp() {
    assertEquals("http://localhost:8000", minimal().url("localhost:8000").build().url().toString());
    assertEquals("https://api.example.test/v1", minimal().url("https://api.example.test/v1/").build().url().toString());
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
    assertEquals(-1, minimal().measurementInterval(Duration.ofSeconds(2)).build().effectiveRequestCount());
  }

  @Test
  void keepsSecretsOutOfItsTextAndInputConfig() {
    Profile profile = minimal().header("X-Secret:s3cr3t-value").apiKey("sk-top-secret").build();
    assertFalse(profile.toString().contains("s3cr3t-value"));
    assertFalse(profile.toString().contains("sk-top-secret"));
    assertEquals("<redacted>", ((Map<?, ?>) profile.inputConfig().get("header")).get("X-Secret"));
  }

  @Test
  void parsesGoodputObjectivesByGenaiPerfKeys() {
    Profile profile = minimal().goodput("time_to_first_token:100").goodput("request_latency:2000").build();
    assertEquals(Map.of(Metric.TIME_TO_FIRST_TOKEN, 100.0, Metric.REQUEST_LATENCY, 2000.0), profile.goodput());
    assertThrows(ProfileConfigException.class, () -> minimal().goodput("ttft:100"));
    assertThrows(ProfileConfigException.class, () -> minimal().goodput("request_latency:fast"));
  }

  @Test
  void headerValuesNeverAppearInItsErrors() {
    ProfileConfigException e = assertThrows(ProfileConfigException.class, () -> minimal().header(":secret-value"));
    assertFalse(e.getMessage().contains("secret-value"));
  }
}
