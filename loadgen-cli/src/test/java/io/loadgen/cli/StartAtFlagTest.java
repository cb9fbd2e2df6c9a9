package io.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.ProfileConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profile --start-at}: what it accepts, what it refuses, and a start already past. */
class StartAtFlagTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void takesAnIsoInstantWithZOrAnOffsetOrEpochSeconds() {
    Instant expected = Instant.parse("2026-12-02T14:00:00Z");
    assertEquals(expected, LoadOptions.instant("2026-12-02T14:00:00Z"));
    assertEquals(expected, LoadOptions.instant("2026-12-02T15:00:00+01:00"));
    assertEquals(expected, LoadOptions.instant(String.valueOf(expected.getEpochSecond())));
    assertEquals(expected.plusMillis(250), LoadOptions.instant(expected.getEpochSecond() + ".25"));
  }

  @Test
  void aMalformedTimeIsOneLineAndExitTwo() {
    for (String bad : List.of("14:00", "tomorrow", "2026-12-02T14:00:00", "-5", "")) {
      assertThrows(ProfileConfigException.class, () -> LoadOptions.instant(bad), bad);
    }
    Run run = run("profile", "-m", "m", "-u", "sim://default", "--start-at", "2pm");
    assertEquals(2, run.exitCode(), run.err());
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), run.err());
    assertEquals(
        "loadgen: error: --start-at must be an ISO-8601 instant such as 2026-12-02T14:00:00Z, or"
            + " epoch seconds; got '2pm'",
        lines.get(0));
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Tag("e2e")
  @Test
  void aTimeAlreadyPastStartsAtOnceWithOneNoteAndIsRecorded(@TempDir Path dir) throws Exception {
    Run run =
        run(
            "profile",
            "-m",
            "m",
            "--streaming",
            "-u",
            "sim://default",
            "--synthetic-input-tokens-mean",
            "20",
            "--output-tokens-mean",
            "3",
            "--request-count",
            "2",
            "--start-at",
            "2026-01-01T00:00:00Z",
            "--artifact-dir",
            dir.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String> notes = run.err().lines().filter(l -> l.contains("start time")).toList();
    assertEquals(1, notes.size(), run.err());
    assertTrue(
        notes.get(0).startsWith("loadgen: the start time 2026-01-01T00:00:00Z passed "),
        notes.get(0));
    assertTrue(notes.get(0).endsWith("s ago: starting now (--start-at)"), notes.get(0));
    String export =
        Files.readString(dir.resolve("m-openai-chat-concurrency1/profile_export_genai_perf.json"));
    assertTrue(export.contains("\"start_at\" : \"2026-01-01T00:00:00Z\""), export);
  }
}
