package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes, fed in pieces cut anywhere, give the events they give fed whole, and the parser throws
 * nothing but {@link SseParser.EventTooLargeException}. Seeds in {@code SseParserFuzzTestInputs};
 * {@code -Pfuzz} fuzzes.
 */
class SseParserFuzzTest {
  private record Event(String type, String data) {}

  /** The events one way of feeding gave, and whether it ended on the limit. */
  private record Outcome(List<Event> events, boolean tooLarge) {}

  @FuzzTest
  void givesTheSameEventsHoweverTheStreamIsCut(FuzzedDataProvider input) {
    int limit =
        input.consumeBoolean() ? SseParser.DEFAULT_MAX_EVENT_BYTES : input.consumeInt(1, 64);
    int[] cuts = new int[input.consumeInt(0, 12)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = input.consumeInt(0, Integer.MAX_VALUE);
    }
    byte[] stream = input.consumeRemainingAsBytes();
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] %= stream.length + 1;
    }
    Arrays.sort(cuts);

    Outcome whole = feed(stream, new int[0], limit);
    Outcome pieces = feed(stream, cuts, limit);
    if (!whole.tooLarge() && !pieces.tooLarge()) {
      assertEquals(whole.events(), pieces.events());
      return;
    }
    // A line is measured against the limit only when it is carried over from one piece to the
    // next, so the cut stream may reach the limit where the whole one does not; never the reverse.
    assertTrue(pieces.tooLarge(), "the whole stream reached the limit, the cut one did not");
    List<Event> shorter = whole.tooLarge() ? shorterOf(whole, pieces) : pieces.events();
    List<Event> longer = shorter == pieces.events() ? whole.events() : pieces.events();
    assertEquals(shorter, longer.subList(0, Math.min(shorter.size(), longer.size())));
  }

  private static List<Event> shorterOf(Outcome a, Outcome b) {
    return a.events().size() <= b.events().size() ? a.events() : b.events();
  }

  private static Outcome feed(byte[] stream, int[] cuts, int limit) {
    List<Event> events = new ArrayList<>();
    SseParser parser =
        new SseParser(
            (type, data, length) ->
                events.add(
                    new Event(
                        type,
                        new String(data, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1))),
            limit);
    int from = 0;
    try {
      for (int cut : cuts) {
        parser.feed(stream, from, cut - from);
        from = cut;
      }
      parser.feed(stream, from, stream.length - from);
    } catch (SseParser.EventTooLargeException e) {
      return new Outcome(events, true);
    }
    return new Outcome(events, false);
  }
}
