package io.loadgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.tokenizer.TokenLengthDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request rate under a concurrency cap (AIPerf's request rate with max concurrency), against the
 * simulated server: never more than the cap in flight, and the time arrivals waited for a slot is
 * in their latencies and reported as slot wait, not hidden by a late send.
 */
@Tag("e2e")
class RequestRateCapTest {
  @RegisterExtension static final SimTarget target = new SimTarget(5);

  @Test
  void neverHasMoreThanTheCapInFlightAndReportsTheWaitForASlot() {
    List<RequestRecord> records = new CopyOnWriteArrayList<>();
    // 40 requests a second of about 200 ms each want about 8 in flight; the cap allows 2, so
    // arrivals queue for slots and the wait grows through the run.
    Profile profile =
        Profile.builder()
            .url(target.sim().baseUri())
            .model("m")
            .streaming(true)
            .inputTokens(new TokenLengthDistribution(20, 0))
            .outputTokens(new TokenLengthDistribution(20, 0))
            .extraInput("max_tokens", 20)
            .extraInput("min_tokens", 20)
            .loadMode(
                new LoadMode.RequestRate(40, LoadMode.Arrivals.CONSTANT).withMaxConcurrency(2))
            .requestCount(12)
            .build();
    ProfileResult result =
        LoadGenerator.run(
            profile,
            RunOptions.defaults().withTokenizer(target.tokenizer()).withRecordSink(records::add));
    assertEquals(12, result.summary().requestCount());
    assertEquals(2, maxOverlap(records), "in flight at once, by the client's own times");
    MetricStats wait = result.stats(Metric.SLOT_WAIT);
    assertEquals(12, wait.count());
    // The last arrival was meant for 275 ms but waited for five rounds of two: about 1 s.
    assertTrue(wait.max() > 500, "slot wait max " + wait.max() + " ms");
    // Latency counts from the intended send: it holds the wait, so it exceeds the wait itself.
    assertTrue(result.stats(Metric.REQUEST_LATENCY).max() > wait.max());
    assertEquals(0, result.stats(Metric.SLOT_WAIT).min(), 5, "the first two found free slots");
  }

  private static int maxOverlap(List<RequestRecord> records) {
    List<long[]> events = new ArrayList<>();
    for (RequestRecord r : records) {
      events.add(new long[] {r.sendEpochNanos(), 1});
      events.add(new long[] {r.responseEpochNanos(r.responseCount() - 1), -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }
}
