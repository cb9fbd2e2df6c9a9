package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.Transport;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The settings a merge reads back from a run's input_config. */
class MergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode config(Profile profile) {
    return JSON.valueToTree(InputConfig.of(profile));
  }

  @Test
  void anInputConfigReadsBackAsTheProfileThatWroteIt() {
    Profile profile =
        Profile.builder()
            .urls(java.util.List.of("http://10.0.0.1:8000", "http://10.0.0.2:8000"))
            .model("meta/llama3-8b-instruct")
            .endpointType(io.loadgen.core.EndpointType.COMPLETIONS)
            .endpointPath("v2/generate")
            .streaming(true)
            .header("X-Team", "secret")
            .apiKey("sk-secret")
            .extraInput("ignore_eos", true)
            .extraInput("max_tokens", 200)
            .requestTimeout(Duration.ofSeconds(30))
            .requestDeadline(null)
            .loadMode(new LoadMode.RequestRate(2.5, LoadMode.Arrivals.GAMMA, 0.5))
            .warmupRequestCount(7)
            .measurementInterval(Duration.ofSeconds(90))
            .goodput(Metric.TIME_TO_FIRST_TOKEN, 250)
            .eventLoops(3)
            .transport(Transport.NIO)
            .startAt(Instant.parse("2026-12-02T14:00:00Z"))
            .useServerTokenCount(true)
            .randomSeed(42)
            .inputTokens(new TokenLengthDistribution(300, 20))
            .outputTokens(new TokenLengthDistribution(150, 5))
            .outputTokensDeterministic(true)
            .tokenizer("hf-internal-testing/llama-tokenizer")
            .tokenizerRevision("v1")
            .numDatasetEntries(50)
            .prefixPrompts(4, 64)
            .inputFile(Path.of("/data/prompts.jsonl"), false)
            .serverMetricsUrl("http://dcgm:9400/metrics")
            .serverMetricsInterval(Duration.ofMillis(2500))
            .kvMetric("my_kv_gauge")
            .build();

    JsonNode written = config(profile);

    assertEquals(written, config(InputConfig.read(written).build()));
  }

  @Test
  void aConcurrencyRunWithDefaultsReadsBackToo() {
    Profile profile = Profile.builder().url("127.0.0.1:8000").model("m").concurrency(8).build();

    JsonNode written = config(profile);

    assertEquals(written, config(InputConfig.read(written).build()));
  }
}
