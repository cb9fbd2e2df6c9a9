package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ramp-up against the simulated server: the concurrency grows linearly over the ramp, none of the
 * ramp's requests is measured, and measuring starts at its end with the full load in flight.
 */
@Tag("e2e")
class RampUpTest {
  @RegisterExtension static final SimTarget target = new SimTarget(9);

  private static Profile.Builder profile() {
    // 20 tokens at the default preset's 10 ms a step: about 200 ms a request.
    return Profile.builder()
        .url(target.sim().baseUri())
        .model("m")
        .streaming(true)
        .inputTokens(new TokenLengthDistribution(20, 0))
        .outputTokens(new TokenLengthDistribution(20, 0))
        .extraInput("max_tokens", 20)
        .extraInput("min_tokens", 20)
        .concurrency(4);
  }

  @Test
  void growsTheConcurrencyOverTheRampAndMeasuresOnlyAfterIt() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        LoadGenerator.run(
            profile().rampUp(Duration.ofMillis(800)).requestCount(8).build(),
            RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
    assertEquals(8, result.summary().requestCount());
    List<RequestRecord> ramp = records.stream().filter(RequestRecord::warmup).toList();
    List<RequestRecord> measured = records.stream().filter(r -> !r.warmup()).toList();
    assertEquals(8, measured.size());
    long start = ramp.stream().mapToLong(RequestRecord::sendEpochNanos).min().orElseThrow();
    // One slot for the first 200 ms (ceil(4 t / 800 ms) = 1), so one request in flight then.
    long early = ramp.stream().filter(r -> r.sendEpochNanos() - start < 190_000_000L).count();
    assertEquals(
        1,
        early,
        "sends in the ramp's first 190 ms: "
            + ramp.stream()
                .map(r -> (r.sendEpochNanos() - start) / 1_000_000 + "ms/" + r.responseCount())
                .toList());
    // The fourth slot opens after 600 ms: some ramp request went out then.
    assertTrue(
        ramp.stream().anyMatch(r -> r.sendEpochNanos() - start >= 600_000_000L),
        "a send in the ramp's last quarter");
    // Measuring starts at the ramp's end: no measured request was meant before it.
    long firstMeasured =
        measured.stream().mapToLong(RequestRecord::intendedSendEpochNanos).min().orElseThrow();
    assertTrue(firstMeasured - start >= 795_000_000L, (firstMeasured - start) + " ns after start");
    assertTrue(ramp.stream().allMatch(r -> r.id() >= 1L << 40), "ramp ids apart from measured");
  }

  @Test
  void takesARampOrAWarmUpCountNotBoth() {
    ProfileConfigException both =
        assertThrows(
            ProfileConfigException.class,
            () -> profile().rampUp(Duration.ofSeconds(1)).warmupRequestCount(3).build());
    assertEquals("rampUp", both.setting());
  }
}
