package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final String ESC = "\u001b[";

  /** 12.3 s in, 150 of 1,000 done, TTFT 12.34/45.6 ms, ITL 1.2/3.4 ms, KV cache at 45.2%. */
  private static io.loadgen.core.Progress snapshot(long elapsedMillis, long completed) {
    return new io.loadgen.core.Progress(
        elapsedMillis * 1_000_000,
        completed,
        2,
        4,
        1_000,
        1234.4,
        12_340_000,
        45_600_000,
        1_200_000,
        3_400_000,
        0.452);
  }

  @Test
  void theViewSaysEveryFigureOnThreeLines() {
    assertEquals(
        List.of(
            "  elapsed 12.3 s   requests 150/1,000 done, 4 in flight, 2 failed",
            "  1,234 tokens/s   KV cache 45.2%",
            "  TTFT p50 12.34 ms  p99 45.60 ms   ITL p50 1.20 ms  p99 3.40 ms"),
        LiveView.lines(snapshot(12_300, 150), 120));
  }

  @Test
  void figuresNotMeasuredYetShowAsADashAndATimeWindowHasNoTarget() {
    io.loadgen.core.Progress early = new io.loadgen.core.Progress(500_000_000, 0, 0, 8, -1, 0);
    assertEquals(
        List.of(
            "  elapsed 0.5 s   requests 0 done, 8 in flight, 0 failed",
            "  0 tokens/s   KV cache -",
            "  TTFT p50 -  p99 -   ITL p50 -  p99 -"),
        LiveView.lines(early, 120));
  }

  @Test
  void linesAreCutShortOfTheTerminalWidthSoThatNoneWraps() {
    List<String> lines = LiveView.lines(snapshot(12_300, 150), 30);
    assertEquals("  elapsed 12.3 s   requests 1", lines.get(0));
    lines.forEach(line -> assertEquals(true, line.length() <= 29, line));
  }

  @Test
  void onATerminalEachUpdateMovesBackUpAndOverwritesTheViewAndClearErasesIt() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress(new PrintWriter(out), true, 120);
    progress.show(snapshot(1_000, 10));
    progress.show(snapshot(2_000, 20));
    List<String> first = LiveView.lines(snapshot(1_000, 10), 120);
    List<String> second = LiveView.lines(snapshot(2_000, 20), 120);
    String erase = ESC + "2K";
    String drawn =
        "\r"
            + erase
            + first.get(0)
            + "\n"
            + erase
            + first.get(1)
            + "\n"
            + erase
            + first.get(2)
            // The second update: to the line start, two lines up, and every line erased first.
            + "\r"
            + ESC
            + "2A"
            + erase
            + second.get(0)
            + "\n"
            + erase
            + second.get(1)
            + "\n"
            + erase
            + second.get(2);
    assertEquals(drawn, out.toString());

    progress.clear();
    String cleared = drawn + "\r" + erase + ESC + "1A" + erase + ESC + "1A" + erase;
    assertEquals(
        cleared,
        out.toString(),
        "clear erases the three lines and leaves the cursor where the first began");
    progress.clear();
    assertEquals(cleared, out.toString(), "a second clear writes nothing");
  }

  @Test
  void aWarningErasesTheViewThenTheNextUpdateDrawsAFreshOneBelowIt() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress(new PrintWriter(out), true, 120);
    progress.show(snapshot(1_000, 10));
    out.getBuffer().setLength(0);
    progress.warn("loadgen: something");
    progress.show(snapshot(2_000, 20));
    String erase = ESC + "2K";
    List<String> second = LiveView.lines(snapshot(2_000, 20), 120);
    assertEquals(
        "\r"
            + erase
            + ESC
            + "1A"
            + erase
            + ESC
            + "1A"
            + erase
            + "loadgen: something"
            + System.lineSeparator()
            + "\r"
            + erase
            + second.get(0)
            + "\n"
            + erase
            + second.get(1)
            + "\n"
            + erase
            + second.get(2),
        out.toString());
  }

  @Test
  void elsewhereItWritesAPlainLineEveryTenSecondsOfTheRunAndNoEscapeCode() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress(new PrintWriter(out), false, 120);
    for (long second = 1; second <= 25; second++) {
      progress.show(snapshot(second * 1_000, second * 10));
    }
    progress.warn("loadgen: something");
    progress.clear();
    String nl = System.lineSeparator();
    assertEquals(
        "loadgen: progress 10.0 s: 100/1,000 done, 4 in flight, 2 failed, 1,234 tokens/s,"
            + " TTFT p50 12.34 ms p99 45.60 ms, ITL p50 1.20 ms p99 3.40 ms, KV cache 45.2%"
            + nl
            + LiveView.plainLine(snapshot(20_000, 200))
            + nl
            + "loadgen: something"
            + nl,
        out.toString());
    assertFalse(out.toString().contains("\u001b"), "no escape code in a log");
    assertFalse(out.toString().contains("\r"), "no carriage return in a log");
  }

  @Test
  void theNextLevelOfASweepStartsItsPlainLinesAgainFromTenSeconds() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress(new PrintWriter(out), false, 120);
    progress.show(snapshot(30_000, 300));
    progress.clear(); // the level's table
    progress.show(snapshot(9_000, 90));
    progress.show(snapshot(10_000, 100));
    assertEquals(
        LiveView.plainLine(snapshot(30_000, 300))
            + System.lineSeparator()
            + LiveView.plainLine(snapshot(10_000, 100))
            + System.lineSeparator(),
        out.toString());
  }

  @Test
  void theWidthComesFromColumnsWhenItIsOne() {
    assertEquals(132, Progress.columns("132"));
    assertEquals(80, Progress.columns(null));
    assertEquals(80, Progress.columns("wide"));
    assertEquals(80, Progress.columns("0"));
  }
}
