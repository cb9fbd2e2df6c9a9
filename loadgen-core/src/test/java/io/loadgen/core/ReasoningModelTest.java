package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reasoning model, simulated: each response thinks for 30 tokens (as {@code reasoning_content})
 * before its 20-token answer. The figures follow AIPerf's definitions, checked against what the
 * simulator was told to send: TTFT at the first reasoning token, time to first output token at the
 * first answer token, 30 reasoning tokens, an output token count of 20 and an output sequence
 * length of 50.
 */
@Tag("e2e")
class ReasoningModelTest {

  private static final int REASONING = 30;
  private static final int OUTPUT = 50;

  @RegisterExtension
  static final SimTarget target = new SimTarget(4, config -> config.reasoningTokens(REASONING));

  @Test
  void countsReasoningApartAndTimesTheFirstOutputTokenAfterIt() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    ProfileResult result =
        LoadGenerator.run(
            Profile.builder()
                .url(target.sim().baseUri())
                .model("m")
                .streaming(true)
                .inputTokens(new TokenLengthDistribution(20, 0))
                .outputTokens(new TokenLengthDistribution(OUTPUT, 0))
                .extraInput("max_tokens", OUTPUT)
                .extraInput("min_tokens", OUTPUT)
                .extraInput("ignore_eos", true)
                .concurrency(2)
                .requestCount(6)
                .build(),
            RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
    assertEquals(6, result.summary().requestCount());
    assertEquals(REASONING, result.stats(Metric.REASONING_TOKEN_COUNT).avg(), 1e-9);
    assertEquals(OUTPUT - REASONING, result.stats(Metric.OUTPUT_TOKEN_COUNT).avg(), 1e-9);
    assertEquals(OUTPUT, result.stats(Metric.OUTPUT_SEQUENCE_LENGTH).avg(), 1e-9);
    assertEquals(6L * REASONING, result.summary().totalReasoningTokens());
    assertEquals(6L * OUTPUT, result.summary().totalOutputTokens(), "every generated token");
    // The answer starts 30 decode steps after the thinking does.
    double step = target.config().engine().decodeStepFixedNanos() / 1e6;
    double gap =
        result.stats(Metric.TIME_TO_FIRST_OUTPUT_TOKEN).avg()
            - result.stats(Metric.TIME_TO_FIRST_TOKEN).avg();
    assertEquals(REASONING * step, gap, REASONING * step * 0.1, "TTFO - TTFT in ms");
    // ITL spans every token, thinking included, as AIPerf's does.
    assertEquals(step, result.stats(Metric.INTER_TOKEN_LATENCY).avg(), step * 0.05);
    for (RequestRecord record : records) {
      assertEquals(REASONING, record.reasoningTokens());
      assertEquals(OUTPUT, record.responseCount(), "a reasoning token is a response too");
    }
  }

  @Test
  void aModelThatDoesNotReasonRecordsNoneOfTheReasoningMetrics() {
    try (SimServer plain =
        SimServer.start(
            SimConfig.preset("default").promptTokenCounter(target.tokenizer()::count).build())) {
      ProfileResult result =
          LoadGenerator.run(
              Profile.builder()
                  .url(plain.baseUri())
                  .model("m")
                  .streaming(true)
                  .inputTokens(new TokenLengthDistribution(20, 0))
                  .extraInput("max_tokens", 5)
                  .requestCount(2)
                  .build(),
              RunOptions.defaults().withTokenizer(target.tokenizer()));
      assertEquals(0, result.stats(Metric.TIME_TO_FIRST_OUTPUT_TOKEN).count());
      assertEquals(0, result.stats(Metric.REASONING_TOKEN_COUNT).count());
      assertEquals(0, result.summary().totalReasoningTokens());
      assertTrue(result.stats(Metric.TIME_TO_FIRST_TOKEN).count() > 0);
    }
  }
}
