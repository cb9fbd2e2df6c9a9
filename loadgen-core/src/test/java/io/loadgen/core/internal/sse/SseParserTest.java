package io.loadgen.core.internal.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {

  /** A dispatched event, copied out of the parser's buffer for comparison. */
  private record Event(String type, String data) {}

  /** Collects events; decodes data strictly, so a character broken by a split would show. */
  private static final class Recorder implements SseParser.Listener {
    final List<Event> events = new ArrayList<>();

    @Override
    public void onEvent(String eventType, byte[] data, int length) {
      events.add(new Event(eventType, new String(data, 0, length, StandardCharsets.UTF_8)));
    }
  }

  /**
   * A realistic stream, written with LF: OpenAI chunks with and without the space after the colon,
   * characters of two, three and four UTF-8 bytes, comments, a named type, multi-line data, a
   * {@code data} line without a colon, fields that are ignored, and the closing sentinel.
   */
  private static final String STREAM =
      ": keep-alive comment\n"
          + "retry: 3000\n"
          + "\n"
          + "data: {\"choices\":[{\"delta\":{\"content\":\"héllo wörld ✓\"}}]}\n"
          + "\n"
          + "id: 42\n"
          + "data:{\"choices\":[{\"delta\":{\"content\":\" 日本 😀\"}}]}\n"
          + "\n"
          + ":\n"
          + "event: error\n"
          + "data: {\"error\":{\"message\":\"boom\"}}\n"
          + "\n"
          + "data: first line\n"
          + ": a comment inside an event\n"
          + "data:  second line, one space kept\n"
          + "data: third: with a colon\n"
          + "\n"
          + "data\n"
          + "\n"
          + "event: message\n"
          + "unknown: field\n"
          + "data: [DONE]\n"
          + "\n"
          + "data: left incomplete at the end of the stream\n";

  private static final List<Event> EXPECTED =
      List.of(
          new Event(null, "{\"choices\":[{\"delta\":{\"content\":\"héllo wörld ✓\"}}]}"),
          new Event(null, "{\"choices\":[{\"delta\":{\"content\":\" 日本 😀\"}}]}"),
          new Event("error", "{\"error\":{\"message\":\"boom\"}}"),
          new Event(null, "first line\n second line, one space kept\nthird: with a colon"),
          new Event(null, ""),
          new Event(null, "[DONE]"));

  private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String name(String lineEnd) {
    return lineEnd.replace("\r", "CR").replace("\n", "LF");
  }

  /** {@link #STREAM} with every line end replaced by {@code lineEnd}. */
  private static byte[] streamWith(String lineEnd) {
    return utf8(STREAM.replace("\n", lineEnd));
  }

  /**
   * {@link #STREAM} with each line's end drawn at random. A CR then an LF that ends an empty line
   * would be one CRLF, not two line ends, so that pair is never drawn.
   */
  private static byte[] streamWithMixedLineEnds(Random random) {
    StringBuilder stream = new StringBuilder();
    String previousEnd = "";
    String[] lines = STREAM.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String end = LINE_ENDS[random.nextInt(LINE_ENDS.length)];
      if (previousEnd.equals("\r") && lines[i].isEmpty() && end.equals("\n")) {
        end = "\r";
      }
      stream.append(lines[i]).append(end);
      previousEnd = end;
    }
    return utf8(stream.toString());
  }

  /** Parses {@code bytes} fed as the pieces that start at each of {@code cuts} (ascending). */
  private static List<Event> parseCutAt(byte[] bytes, int... cuts) {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(bytes, from, cut - from);
      from = cut;
    }
    parser.feed(bytes, from, bytes.length - from);
    return recorder.events;
  }

  private static List<Event> parse(String stream) {
    return parseCutAt(utf8(stream));
  }

  private static List<Event> parseInPiecesOf(byte[] bytes, int size) {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder);
    for (int at = 0; at < bytes.length; at += size) {
      parser.feed(bytes, at, Math.min(size, bytes.length - at));
    }
    return recorder.events;
  }

  private static List<Event> parseAtRandomCuts(byte[] bytes, Random random, int maxPiece) {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder);
    int at = 0;
    while (at < bytes.length) {
      // Empty pieces too: a zero-length buffer must change nothing.
      int size = Math.min(bytes.length - at, random.nextInt(maxPiece + 1));
      if (random.nextBoolean()) {
        parser.feed(bytes, at, size);
      } else {
        parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, at, at + size)));
      }
      at += size;
    }
    return recorder.events;
  }

  @Test
  void parsesEveryEventOfAWholeStreamWithEachLineEnding() {
    for (String lineEnd : LINE_ENDS) {
      assertEquals(EXPECTED, parseCutAt(streamWith(lineEnd)), name(lineEnd));
    }
  }

  @Test
  void splitsTheStreamIntoTwoBuffersAtEveryByteForEachLineEnding() {
    for (String lineEnd : LINE_ENDS) {
      byte[] bytes = streamWith(lineEnd);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertEquals(EXPECTED, parseCutAt(bytes, cut), name(lineEnd) + ", cut at " + cut);
      }
    }
  }

  @Test
  void splitsAStreamWithMixedLineEndsIntoTwoBuffersAtEveryByte() {
    Random random = new Random(7);
    for (int round = 0; round < 5; round++) {
      byte[] bytes = streamWithMixedLineEnds(random);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertEquals(EXPECTED, parseCutAt(bytes, cut), "round " + round + ", cut at " + cut);
      }
    }
  }

  @Test
  void splitsAShortStreamIntoThreeBuffersAtEveryPairOfBytes() {
    // Short enough to try every pair: two-byte and four-byte characters, a CRLF, a lone CR, an LF.
    byte[] bytes = utf8("\uFEFFdata: é😀\r\ndata:x\r\revent: e\ndata\n\r\n");
    List<Event> expected = List.of(new Event(null, "é😀\nx"), new Event("e", ""));
    for (int first = 0; first <= bytes.length; first++) {
      for (int second = first; second <= bytes.length; second++) {
        assertEquals(
            expected, parseCutAt(bytes, first, second), "cuts at " + first + " and " + second);
      }
    }
  }

  @Test
  void parsesTheStreamFedOneByteAtATimeForEachLineEnding() {
    for (String lineEnd : LINE_ENDS) {
      assertEquals(EXPECTED, parseInPiecesOf(streamWith(lineEnd), 1), name(lineEnd));
    }
    assertEquals(EXPECTED, parseInPiecesOf(streamWithMixedLineEnds(new Random(3)), 1), "mixed");
  }

  @Test
  void parsesTheStreamCutAtRandomIntoByteArraysAndVertxBuffers() {
    Random random = new Random(11);
    for (int round = 0; round < 2_000; round++) {
      byte[] bytes =
          round % 4 == 3 ? streamWithMixedLineEnds(random) : streamWith(LINE_ENDS[round % 4]);
      assertEquals(
          EXPECTED, parseAtRandomCuts(bytes, random, 1 + random.nextInt(64)), "round " + round);
    }
  }

  @Test
  void parsesAVertxBufferSplitAtEveryByte() {
    byte[] bytes = streamWith("\r\n");
    for (int cut = 0; cut <= bytes.length; cut++) {
      Recorder recorder = new Recorder();
      SseParser parser = new SseParser(recorder);
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut)));
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertEquals(EXPECTED, recorder.events, "cut at " + cut);
    }
  }

  @Test
  void readsOnlyTheGivenRangeOfAnArray() {
    byte[] framed = utf8("data: outside\n\ndata: inside\n\ndata: outside\n\n");
    int start = "data: outside\n\n".length();
    Recorder recorder = new Recorder();
    new SseParser(recorder).feed(framed, start, "data: inside\n\n".length());
    assertEquals(List.of(new Event(null, "inside")), recorder.events);
  }

  @Test
  void rejectsARangeOutsideTheArray() {
    SseParser parser = new SseParser(new Recorder());
    assertThrows(IndexOutOfBoundsException.class, () -> parser.feed(new byte[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> parser.feed(new byte[4], -1, 1));
  }

  @Test
  void keepsAMultiByteCharacterSplitAtEachOfItsBytesWhole() {
    byte[] bytes = utf8("data: 😀€é\n\n");
    int characterStart = "data: ".length();
    for (int cut = characterStart; cut <= characterStart + 4 + 3 + 2; cut++) {
      assertEquals(List.of(new Event(null, "😀€é")), parseCutAt(bytes, cut), "cut at " + cut);
    }
  }

  @Test
  void treatsACarriageReturnEndingOneBufferAndALineFeedStartingTheNextAsOneLineEnd() {
    byte[] bytes = utf8("data: a\r\ndata: b\r\n\r\n");
    // Had the CR and LF been two line ends, "a" would be dispatched alone.
    assertEquals(List.of(new Event(null, "a\nb")), parseCutAt(bytes, "data: a\r".length()));
    assertEquals(
        List.of(new Event(null, "a\nb")), parseCutAt(bytes, "data: a\r\ndata: b\r\n\r".length()));
  }

  @Test
  void treatsACarriageReturnEndingABufferFollowedByOtherTextAsALineEnd() {
    assertEquals(
        List.of(new Event(null, "a")),
        parseCutAt(utf8("data: a\r\rdata: b"), "data: a\r".length()));
    assertEquals(
        List.of(new Event(null, "a")), parseCutAt(utf8("data: a\r\r"), "data: a\r".length()));
  }

  @Test
  void treatsTwoCarriageReturnsAsTwoLineEnds() {
    assertEquals(
        List.of(new Event(null, "a"), new Event(null, "b")), parse("data: a\r\rdata: b\r\r"));
  }

  @Test
  void treatsLineFeedCarriageReturnAsTwoLineEnds() {
    assertEquals(List.of(new Event(null, "a")), parse("data: a\n\r"));
  }

  @Test
  void stripsOneLeadingSpaceFromAValueAndNoMore() {
    assertEquals(
        List.of(new Event(null, "  two spaces kept")), parse("data:   two spaces kept\n\n"));
    assertEquals(List.of(new Event(null, "no space")), parse("data:no space\n\n"));
    assertEquals(List.of(new Event(null, "\ta tab is kept")), parse("data:\ta tab is kept\n\n"));
    assertEquals(List.of(new Event(null, "trailing  ")), parse("data: trailing  \n\n"));
  }

  @Test
  void readsALineWithoutAColonAsAFieldWithAnEmptyValue() {
    assertEquals(List.of(new Event(null, "")), parse("data\n\n"));
    assertEquals(List.of(new Event(null, "\n")), parse("data\ndata\n\n"));
    assertEquals(List.of(new Event(null, "a\n\nb")), parse("data: a\ndata\ndata: b\n\n"));
    // A name that merely starts with a field's name is another field.
    assertEquals(List.of(), parse("database\n\ndata x\n\n"));
  }

  @Test
  void dispatchesAnEventWhoseOnlyDataLineIsEmptyWithEmptyData() {
    assertEquals(List.of(new Event(null, "")), parse("data:\n\n"));
    assertEquals(List.of(new Event(null, "")), parse("data: \n\n"));
  }

  @Test
  void joinsDataLinesWithLineFeedsWhateverTheLineEndings() {
    String expected = "one\ntwo\nthree";
    assertEquals(
        List.of(new Event(null, expected)), parse("data: one\r\ndata: two\rdata: three\n\n"));
  }

  @Test
  void matchesFieldNamesCaseSensitively() {
    assertEquals(List.of(), parse("Data: x\n\nDATA: y\n\n"));
    assertEquals(List.of(new Event(null, "x")), parse("Event: ignored\ndata: x\n\n"));
  }

  @Test
  void dispatchesNothingForABlankLineWithoutData() {
    assertEquals(List.of(), parse("\n\n\r\n\r\r\n"));
    assertEquals(List.of(), parse(":comment\nid: 7\nretry: 100\nfoo: bar\nevent: lonely\n\n"));
  }

  @Test
  void ignoresCommentsIdRetryAndUnknownFields() {
    assertEquals(
        List.of(new Event(null, "x\ny")),
        parse(
            "id: 1\n:comment\ndata: x\nretry: 5\nretry: not a number\nid: with\0null\n: data: no\ndata: y\nfoo\n\n"));
  }

  @Test
  void reportsTheNamedTypeAndNullForTheDefaultMessageType() {
    assertEquals(
        List.of(
            new Event("custom", "a"),
            new Event(null, "b"),
            new Event(null, "c"),
            new Event(null, "d"),
            new Event("second", "e"),
            new Event(" spaced", "f")),
        parse(
            "event: custom\ndata: a\n\n"
                + "data: b\n\n"
                + "event: message\ndata: c\n\n"
                + "event\ndata: d\n\n"
                + "event: first\nevent: second\ndata: e\n\n"
                + "event:  spaced\ndata: f\n\n"));
  }

  @Test
  void forgetsTheTypeOfAnEventThatIsNotDispatched() {
    assertEquals(List.of(new Event(null, "x")), parse("event: orphan\n\ndata: x\n\n"));
  }

  @Test
  void skipsOneLeadingByteOrderMarkEvenWhenSplit() {
    byte[] bytes = utf8("\uFEFFdata: x\n\n");
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals(List.of(new Event(null, "x")), parseCutAt(bytes, cut), "cut at " + cut);
      assertEquals(
          List.of(new Event(null, "x")),
          parseCutAt(bytes, Math.min(1, cut), cut),
          "cuts at 1, " + cut);
    }
  }

  @Test
  void skipsAByteOrderMarkBeforeEveryLineEnding() {
    for (String lineEnd : LINE_ENDS) {
      byte[] bytes = utf8("\uFEFF" + STREAM.replace("\n", lineEnd));
      for (int cut = 0; cut <= 8; cut++) {
        assertEquals(EXPECTED, parseCutAt(bytes, cut), name(lineEnd) + ", cut at " + cut);
      }
    }
  }

  @Test
  void skipsOnlyOneByteOrderMarkAndOnlyAtTheStartOfTheStream() {
    // The second mark is part of the first line, whose field is then not "data".
    assertEquals(List.of(new Event(null, "y")), parse("\uFEFF\uFEFFdata: x\n\ndata: y\n\n"));
    assertEquals(List.of(new Event(null, "x")), parse("data: x\n\n\uFEFFdata: y\n\n"));
  }

  @Test
  void keepsTheBytesOfAStreamThatOnlyBeginsLikeAByteOrderMark() {
    // A decoder would turn the stray bytes into U+FFFD, making the field "\uFFFDdata", not "data";
    // had the parser dropped them with the mark it hoped for, "x" would be dispatched.
    for (int matched = 1; matched <= 2; matched++) {
      byte[] bytes = new byte[matched + "data: x\n\ndata: y\n\n".length()];
      System.arraycopy(new byte[] {(byte) 0xEF, (byte) 0xBB}, 0, bytes, 0, matched);
      byte[] rest = utf8("data: x\n\ndata: y\n\n");
      System.arraycopy(rest, 0, bytes, matched, rest.length);
      for (int cut = 0; cut <= 4; cut++) {
        assertEquals(
            List.of(new Event(null, "y")),
            parseCutAt(bytes, cut),
            matched + " bytes, cut at " + cut);
      }
    }
  }

  @Test
  void discardsAnEventLeftIncompleteAtTheEndOfTheStream() {
    assertEquals(List.of(new Event(null, "done")), parse("data: done\n\ndata: never dispatched\n"));
    assertEquals(List.of(new Event(null, "done")), parse("data: done\n\ndata: never dispatched"));
  }

  @Test
  void resetForgetsAPendingEventAndStartsANewStream() {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder);
    byte[] first = utf8("event: old\ndata: pending\ndata: partial line");
    parser.feed(first, 0, first.length);
    parser.reset();
    byte[] second = utf8("\uFEFFdata: fresh\n\n");
    parser.feed(second, 0, second.length);
    assertEquals(List.of(new Event(null, "fresh")), recorder.events);
  }

  @Test
  void growsItsBuffersForLongLinesAndEventsSpanningManyBuffers() {
    String big = "x".repeat(100_000) + "é";
    byte[] bytes = utf8("data: " + big + "\r\ndata: " + big + "\r\n\r\ndata: small\r\n\r\n");
    List<Event> expected = List.of(new Event(null, big + "\n" + big), new Event(null, "small"));
    assertEquals(expected, parseCutAt(bytes));
    assertEquals(expected, parseInPiecesOf(bytes, 1000));
    assertEquals(expected, parseInPiecesOf(bytes, 7));
  }

  @Test
  void acceptsLinesAndEventsUpToItsLimitWhereverTheBuffersSplitThem() {
    // "data: " + 20 bytes is a 26-byte line; its event holds 20 bytes of data plus the LF: 21.
    String value = "y".repeat(20);
    byte[] bytes = utf8("data: " + value + "\n\n");
    for (int piece = 1; piece <= bytes.length; piece++) {
      Recorder recorder = new Recorder();
      SseParser parser = new SseParser(recorder, 26);
      for (int at = 0; at < bytes.length; at += piece) {
        parser.feed(bytes, at, Math.min(piece, bytes.length - at));
      }
      assertEquals(List.of(new Event(null, value)), recorder.events, "pieces of " + piece);
    }
  }

  @Test
  void failsALineThatNeverEndsOnceItPassesTheLimit() {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder, 1000);
    byte[] start = utf8("data: ok\n\ndata: ");
    parser.feed(start, 0, start.length);
    byte[] endless = "z".repeat(100).getBytes(StandardCharsets.US_ASCII);
    SseParser.EventTooLargeException e =
        assertThrows(
            SseParser.EventTooLargeException.class,
            () -> {
              for (int i = 0; i < 100; i++) {
                parser.feed(endless, 0, endless.length);
              }
            });
    assertTrue(e.getMessage().contains("1000 bytes"), e.getMessage());
    assertEquals(List.of(new Event(null, "ok")), recorder.events);
  }

  @Test
  void failsAnEventWhoseDataLinesTogetherPassTheLimit() {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder, 64);
    // Each line is 46 bytes, within the limit; its data takes 41 of the event's, so two take 82.
    byte[] line = utf8("data: " + "w".repeat(40) + "\n");
    parser.feed(line, 0, line.length);
    assertThrows(SseParser.EventTooLargeException.class, () -> parser.feed(line, 0, line.length));
    assertTrue(recorder.events.isEmpty());
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> new SseParser(new Recorder(), 0));
  }

  @Test
  void handsEveryEventTheSameReusedDataArrayAndReusesARepeatedTypeString() {
    List<byte[]> arrays = new ArrayList<>();
    List<String> types = new ArrayList<>();
    SseParser parser =
        new SseParser(
            (type, data, length) -> {
              arrays.add(data);
              types.add(type);
            });
    byte[] bytes =
        utf8("event: delta\ndata: 1\n\nevent: delta\ndata: 2\n\nevent: delta\ndata: 3\n\n");
    parser.feed(bytes, 0, bytes.length);
    assertEquals(3, arrays.size());
    assertSame(arrays.get(0), arrays.get(1));
    assertSame(arrays.get(1), arrays.get(2));
    assertNotNull(types.get(0));
    assertSame(types.get(0), types.get(1));
    assertSame(types.get(1), types.get(2));
  }

  @Test
  void allocatesNothingPerEventOnceWarm() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
    assumeTrue(
        allocations.isThreadAllocatedMemorySupported()
            && allocations.isThreadAllocatedMemoryEnabled());
    long[] events = {0};
    SseParser parser = new SseParser((type, data, length) -> events[0] += length > 0 ? 1 : 0);
    byte[] bytes =
        utf8(
            "event: delta\r\ndata: {\"choices\":[{\"delta\":{\"content\":\" tok\"}}]}\r\n\r\n"
                + ": ping\r\ndata: {\"choices\":[]}\r\n\r\n");
    Buffer buffer = Buffer.buffer(bytes);
    int cut = 37; // inside the first data line, so every round carries a partial line over
    for (int round = 0; round < 20_000; round++) {
      parser.feed(bytes, 0, cut);
      parser.feed(bytes, cut, bytes.length - cut);
      parser.feed(buffer);
    }
    long threadId = Thread.currentThread().getId();
    long before = allocations.getThreadAllocatedBytes(threadId);
    for (int round = 0; round < 20_000; round++) {
      parser.feed(bytes, 0, cut);
      parser.feed(bytes, cut, bytes.length - cut);
      parser.feed(buffer);
    }
    long allocated = allocations.getThreadAllocatedBytes(threadId) - before;
    assertEquals(160_000, events[0]);
    // 80,000 events: even one 16-byte object per event would be 1.28 MB.
    assertTrue(allocated < 64 * 1024, allocated + " bytes allocated for 80,000 events");
  }

  @Test
  void refusesANullListener() {
    assertThrows(NullPointerException.class, () -> new SseParser(null));
  }

  @Test
  void handsTheListenerNullForTheDefaultType() {
    List<String> types = new ArrayList<>();
    SseParser parser = new SseParser((type, data, length) -> types.add(type));
    parser.feed(Buffer.buffer("data: x\n\n"));
    assertEquals(1, types.size());
    assertNull(types.get(0));
  }
}
