package io.loadgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.LoadGenerator;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.tokenizer.TokenLengthDistribution;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class TimeToFirstTokenBudgetTest {
  @Test
  void ttftStaysWithinBudgetAtTwentyConcurrentStreams() {
    // sim://PRESET: the simulated server, in this JVM, started for the run and closed after it.
    Profile profile =
        Profile.builder()
            .url("sim://llama3-8b-h100")
            .model("meta/llama3-8b-instruct")
            .streaming(true)
            .concurrency(20)
            // One wave unmeasured: the budget is the server's, not a cold JVM's compilers'.
            .warmupRequestCount(20)
            .measurementInterval(Duration.ofSeconds(5))
            .inputTokens(new TokenLengthDistribution(200, 10))
            .outputTokens(new TokenLengthDistribution(100, 0))
            .extraInput("ignore_eos", true)
            .build();

    ProfileResult result = LoadGenerator.run(profile);

    assertEquals(0, result.summary().errorCount());
    double ttftP99Millis = result.stats(Metric.TIME_TO_FIRST_TOKEN).p99();
    assertTrue(ttftP99Millis < 500, "TTFT p99 " + ttftP99Millis + " ms");
  }
}
