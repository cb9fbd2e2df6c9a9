package io.loadgen.core.internal.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.ProfileConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {
  @TempDir Path dir;

  private Path file(String... lines) throws Exception {
    return Files.writeString(dir.resolve("inputs.jsonl"), String.join("\n", lines) + "\n");
  }

  @Test
  void readsEveryGenaiPerfLineKindAndSkipsBlankLines() throws Exception {
    List<InputRecord> records =
        InputFile.read(
            file(
                "{\"text\": \"What is a KV cache?\"}",
                "",
                "{\"text_input\": \"Old genai-perf field\"}",
                "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]}",
                "{\"input_length\": 700, \"output_length\": 20, \"hash_ids\": [1, 2], \"extra\": true}"),
            false);
    assertEquals(4, records.size());
    assertEquals("What is a KV cache?", records.get(0).text());
    assertEquals("Old genai-perf field", records.get(1).text());
    assertEquals(3, records.get(1).lineNumber());
    assertEquals(new InputRecord.Message("system", "Be brief."), records.get(2).messages().get(0));
    assertEquals(700, records.get(3).inputLength());
    assertEquals(20, records.get(3).outputLength());
    assertEquals(List.of(1L, 2L), records.get(3).hashIds());
    assertNull(records.get(3).timestampMillis());
  }

  @Test
  void readsAMooncakeTraceAsAPayload() throws Exception {
    List<InputRecord> records =
        InputFile.read(
            file(
                "{\"timestamp\": 0, \"input_length\": 600, \"output_length\": 10, \"hash_ids\": [46, 47]}",
                "{\"timestamp\": 27, \"input_length\": 100, \"output_length\": 5, \"hash_ids\": [46]}",
                "{\"timestamp\": 27, \"text\": \"same instant\"}"),
            true);
    assertEquals(
        List.of(0L, 27L, 27L), records.stream().map(InputRecord::timestampMillis).toList());
  }

  @Test
  void namesTheFileAndLineOfEachKindOfBadLine() throws Exception {
    String[][] cases = {
      {"{\"text\": \"ok\"}\nnot json", "line 2", "not JSON"},
      {"[1, 2]", "line 1", "expected a JSON object"},
      {"{\"prompt\": \"wrong key\"}", "line 1", "no prompt"},
      {"{\"text\": \"a\", \"input_length\": 5}", "line 1", "only one of"},
      {"{\"text\": 5}", "line 1", "non-empty string"},
      {"{\"input_length\": -3}", "line 1", "whole number"},
      {"{\"input_length\": 3, \"hash_ids\": [\"x\"]}", "line 1", "hash_ids"},
      {"{\"messages\": [{\"role\": \"user\"}]}", "line 1", "\"content\""},
    };
    for (String[] c : cases) {
      Path bad = Files.writeString(dir.resolve("bad.jsonl"), c[0]);
      ProfileConfigException e =
          assertThrows(ProfileConfigException.class, () -> InputFile.read(bad, false), c[0]);
      assertTrue(
          e.getMessage().contains("bad.jsonl, " + c[1]) && e.getMessage().contains(c[2]),
          e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void aPayloadNeedsOrderedTimestampsOnEveryLine() throws Exception {
    ProfileConfigException missing =
        assertThrows(
            ProfileConfigException.class,
            () ->
                InputFile.read(
                    file("{\"timestamp\": 1, \"text\": \"a\"}", "{\"text\": \"b\"}"), true));
    assertTrue(
        missing.getMessage().contains("line 2") && missing.getMessage().contains("timestamp"));
    ProfileConfigException backwards =
        assertThrows(
            ProfileConfigException.class,
            () ->
                InputFile.read(
                    file(
                        "{\"timestamp\": 5, \"text\": \"a\"}",
                        "{\"timestamp\": 4, \"text\": \"b\"}"),
                    true));
    assertTrue(
        backwards.getMessage().contains("line 2") && backwards.getMessage().contains("earlier"));
  }

  @Test
  void aMissingOrEmptyFileIsOneClearLine() throws Exception {
    assertTrue(
        assertThrows(
                ProfileConfigException.class,
                () -> InputFile.read(dir.resolve("none.jsonl"), false))
            .getMessage()
            .contains("does not exist"));
    assertTrue(
        assertThrows(ProfileConfigException.class, () -> InputFile.read(file(""), false))
            .getMessage()
            .contains("no prompts"));
  }

  @Test
  void saysWhichLineOfABinaryFileIsNotUtf8Text() throws Exception {
    // 10,000 good lines first: the reader decodes ahead, so the line it fails on is not the bad
    // one.
    StringBuilder good = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      good.append("{\"text\": \"line ").append(i).append("\"}\n");
    }
    byte[] head = good.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, 'x', '\n'};
    Path file = dir.resolve("image.jsonl");
    Files.write(file, head);
    Files.write(file, binary, java.nio.file.StandardOpenOption.APPEND);
    ProfileConfigException e =
        assertThrows(ProfileConfigException.class, () -> InputFile.read(file, false));
    assertEquals("inputFile", e.setting());
    assertEquals(file + ", line 10001: not UTF-8 text: is it a JSONL file?", e.problem());
  }

  @Test
  void readsAUtf8FileThatStartsWithAByteOrderMark() throws Exception {
    List<InputRecord> records = InputFile.read(file("\uFEFF{\"text\": \"hi\"}"), false);
    assertEquals("hi", records.get(0).text());
  }
}
