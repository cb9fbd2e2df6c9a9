package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {

  /** A dispatched event, for comparison. */
  private record Event(String type, String data) {}

  private static List<Event> parse(List<byte[]> pieces) {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((type, data, length) ->
        events.add(new Event(type, new String(data, 0, length, StandardCharsets.UTF_8))));
    for (byte[] piece : pieces) {
      parser.feed(piece, 0, piece.length);
    }
    return events;
  }

  private static List<Event> parse(String stream) {
    return parse(List.of(stream.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String STREAM_LF =
      ": keep-alive comment\n"
          + "data: {\"choices\":[{\"delta\":{\"content\":\"héllo wörld ✓\"}}]}\n\n"
          + "data:{\"choices\":[{\"delta\":{\"content\":\" 日本\"}}]}\n\n"
          + "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"
          + "data: first line\ndata: second line\n\n"
          + "data\n\n"
          + "data: [DONE]\n\n";

  private static final List<Event> EXPECTED = List.of(
      new Event(null, "{\"choices\":[{\"delta\":{\"content\":\"héllo wörld ✓\"}}]}"),
      new Event(null, "{\"choices\":[{\"delta\":{\"content\":\" 日本\"}}]}"),
      new Event("error", "{\"error\":{\"message\":\"boom\"}}"),
      new Event(null, "first line\nsecond line"),
      new Event(null, ""),
      new Event(null, "[DONE]"));

  private static String withLineEnd(String stream, String lineEnd) {
    return stream.replace("\n", lineEnd);
  }

  @Test
  void parsesEveryEventWithEachLineEnding() {
    for (String lineEnd : List.of("\n", "\r\n", "\r")) {
      assertEquals(EXPECTED, parse(withLineEnd(STREAM_LF, lineEnd)), "line end " + lineEnd.replace("\r", "CR"));
    }
  }

  @Test
  void splitsTheStreamAcrossTwoBuffersAtEveryByteForEachLineEnding() {
    for (String lineEnd : List.of("\n", "\r\n", "\r")) {
      byte[] bytes = withLineEnd(STREAM_LF, lineEnd).getBytes(StandardCharsets.UTF_8);
      for (int split = 0; split <= bytes.length; split++) {
        byte[] head = java.util.Arrays.copyOfRange(bytes, 0, split);
        byte[] tail = java.util.Arrays.copyOfRange(bytes, split, bytes.length);
        assertEquals(EXPECTED, parse(List.of(head, tail)), "split at " + split);
      }
    }
  }

  @Test
  void parsesTheStreamFedOneByteAtATime() {
    byte[] bytes = withLineEnd(STREAM_LF, "\r\n").getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>();
    for (byte b : bytes) {
      pieces.add(new byte[] {b});
    }
    assertEquals(EXPECTED, parse(pieces));
  }

  @Test
  void parsesMixedLineEndingsSplitAtRandomPoints() {
    Random random = new Random(11);
    String[] ends = {"\n", "\r\n", "\r"};
    for (int round = 0; round < 500; round++) {
      StringBuilder stream = new StringBuilder();
      String previousEnd = "";
      for (String line : STREAM_LF.split("\n", -1)) {
        String end = ends[random.nextInt(3)];
        // A CR, then an empty line ended by LF, is one CRLF by the rules: not what is meant here.
        if (previousEnd.equals("\r") && line.isEmpty() && end.equals("\n")) {
          end = "\r\n";
        }
        stream.append(line).append(end);
        previousEnd = end;
      }
      // The split above leaves one trailing empty piece: the stream ends with an extra line end,
      // which dispatches nothing.
      byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
      List<byte[]> pieces = new ArrayList<>();
      int at = 0;
      while (at < bytes.length) {
        int size = Math.min(bytes.length - at, 1 + random.nextInt(40));
        pieces.add(java.util.Arrays.copyOfRange(bytes, at, at + size));
        at += size;
      }
      assertEquals(EXPECTED, parse(pieces), "round " + round);
    }
  }

  @Test
  void treatsACarriageReturnEndingOneBufferAndALineFeedStartingTheNextAsOneLineEnd() {
    List<byte[]> pieces = List.of("data: a\r".getBytes(StandardCharsets.UTF_8),
        "\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(new Event(null, "a\nb")), parse(pieces));
  }

  @Test
  void stripsOnlyOneLeadingSpaceFromAValue() {
    assertEquals(List.of(new Event(null, "  two spaces")), parse("data:   two spaces\n\n"));
  }

  @Test
  void skipsALeadingByteOrderMarkEvenWhenSplit() {
    byte[] stream = ("\uFEFFdata: x\n\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(new Event(null, "x")), parse(List.of(stream)));
    assertEquals(List.of(new Event(null, "x")), parse(List.of(
        java.util.Arrays.copyOfRange(stream, 0, 1), java.util.Arrays.copyOfRange(stream, 1, stream.length))));
  }

  @Test
  void ignoresCommentsIdRetryAndUnknownFieldsAndDispatchesNothingForThem() {
    assertEquals(List.of(), parse(":comment\nid: 7\nretry: 100\nfoo: bar\n\n"));
    assertEquals(List.of(new Event(null, "x")), parse("id: 1\ndata: x\nretry: 5\n\n"));
  }

  @Test
  void discardsAnEventLeftIncompleteAtTheEndOfTheStream() {
    assertEquals(List.of(new Event(null, "done")), parse("data: done\n\ndata: never dispatched\n"));
  }

  @Test
  void forgetsTheEventTypeAfterDispatch() {
    assertEquals(List.of(new Event("custom", "a"), new Event(null, "b")),
        parse("event: custom\ndata: a\n\ndata: b\n\n"));
  }

  @Test
  void readsVertxBuffers() {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((type, data, length) ->
        events.add(new Event(type, new String(data, 0, length, StandardCharsets.UTF_8))));
    parser.feed(Buffer.buffer("data: one\n"));
    parser.feed(Buffer.buffer("\ndata: two\n\n"));
    assertEquals(List.of(new Event(null, "one"), new Event(null, "two")), events);
  }

  @Test
  void growsItsBuffersForLongEvents() {
    String big = "x".repeat(100_000);
    assertEquals(List.of(new Event(null, big + "\n" + big)), parse("data: " + big + "\ndata: " + big + "\n\n"));
  }
}
