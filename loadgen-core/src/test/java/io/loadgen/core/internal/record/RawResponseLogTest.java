package io.loadgen.core.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawResponseLogTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsEachEventAsDataWithItsArrivalInOrder() {
    RawResponseLog log = new RawResponseLog();
    byte[] first = bytes("{\"a\":1}");
    log.addEvent(10, first, first.length, false);
    // The parser hands a reused buffer longer than the event: only its first bytes are the event.
    byte[] reused = bytes("[DONE]garbage");
    log.addEvent(25, reused, 6, true);
    assertEquals(2, log.count());
    assertEquals("data: {\"a\":1}", log.text(0));
    assertEquals("data: [DONE]", log.text(1));
    assertEquals(10, log.arrivalNanos(0));
    assertEquals(25, log.arrivalNanos(1));
    assertFalse(log.cut(0) || log.cut(1));
  }

  @Test
  void aLongStreamIsCutAtTheBudgetButItsLastChunksAreKeptWhole() {
    RawResponseLog log = new RawResponseLog();
    byte[] chunk = bytes("x".repeat(994)); // 1000 bytes with "data: "
    int events = RawResponseLog.BYTES_PER_REQUEST / 1000 + 10;
    for (int i = 0; i < events; i++) {
      log.addEvent(i, chunk, chunk.length, false);
    }
    byte[] usage = bytes("{\"choices\":[],\"usage\":{\"completion_tokens\":7},\"timings\":{}}");
    log.addEvent(events, usage, usage.length, true);
    assertEquals(events + 1, log.count());
    int keptWhole = (RawResponseLog.BYTES_PER_REQUEST - RawResponseLog.END_RESERVE_BYTES) / 1000;
    assertFalse(log.cut(keptWhole - 1));
    assertEquals(1000, log.text(keptWhole - 1).length());
    assertTrue(log.cut(keptWhole), "the chunk that crossed the budget is cut");
    assertTrue(log.cut(events - 1));
    assertEquals("", log.text(events - 1));
    assertEquals(events - 1, log.arrivalNanos(events - 1), "its arrival is kept all the same");
    assertEquals("data: " + new String(usage, StandardCharsets.UTF_8), log.text(events));
    assertFalse(log.cut(events));
  }

  @Test
  void aBodyLargerThanTheBudgetKeepsItsStartAndIsMarkedCut() {
    RawResponseLog log = new RawResponseLog();
    byte[] body = bytes("y".repeat(RawResponseLog.BYTES_PER_REQUEST + 5));
    log.addBody(3, body, body.length);
    assertEquals(RawResponseLog.BYTES_PER_REQUEST, log.text(0).length());
    assertTrue(log.cut(0));
  }
}
