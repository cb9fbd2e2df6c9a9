package io.loadgen.core.internal.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.ProfileConfigException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads genai-perf's JSONL input files: a JSON object per line holding a prompt ({@code text} or
 * {@code text_input}), chat {@code messages}, or a prompt length to synthesise ({@code
 * input_length}, with Mooncake's {@code output_length} and {@code hash_ids}), and for a trace a
 * {@code timestamp} in milliseconds. Blank lines are skipped; other fields are ignored. A bad line
 * is a {@link ProfileConfigException} naming the file and line.
 */
public final class InputFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputFile() {}

  /**
   * The records of {@code file}.
   *
   * @param payload every line must have a {@code timestamp}, and they must not go back in time
   */
  public static List<InputRecord> read(Path file, boolean payload) {
    List<InputRecord> records = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      long lastTimestamp = Long.MIN_VALUE;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          // A byte-order mark, as some editors write at the start of a UTF-8 file.
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        InputRecord record = parse(file, lineNumber, line);
        if (payload) {
          if (record.timestampMillis() == null) {
            throw bad(file, lineNumber, "a payload file needs a \"timestamp\" (ms) on every line");
          }
          if (record.timestampMillis() < lastTimestamp) {
            throw bad(
                file,
                lineNumber,
                "timestamp " + record.timestampMillis() + " is earlier than the line before");
          }
          lastTimestamp = record.timestampMillis();
        }
        records.add(record);
      }
    } catch (NoSuchFileException e) {
      throw new ProfileConfigException("inputFile", file + " does not exist");
    } catch (CharacterCodingException e) {
      // The reader decodes ahead of the line it returns, so its position says nothing: find the
      // line again. Only the message needs it.
      throw bad(file, firstLineNotUtf8(file), "not UTF-8 text: is it a JSONL file?");
    } catch (IOException e) {
      throw new ProfileConfigException("inputFile", file + " cannot be read: " + e.getMessage());
    }
    if (records.isEmpty()) {
      throw new ProfileConfigException("inputFile", file + " has no prompts");
    }
    return List.copyOf(records);
  }

  private static InputRecord parse(Path file, int lineNumber, String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw bad(file, lineNumber, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (node == null || !node.isObject()) {
      throw bad(file, lineNumber, "expected a JSON object");
    }
    String text = textField(file, lineNumber, node, "text");
    if (text == null) {
      text = textField(file, lineNumber, node, "text_input");
    }
    List<InputRecord.Message> messages = messages(file, lineNumber, node);
    Integer inputLength = positiveInt(file, lineNumber, node, "input_length");
    int given = (text != null ? 1 : 0) + (messages != null ? 1 : 0) + (inputLength != null ? 1 : 0);
    if (given != 1) {
      throw bad(
          file,
          lineNumber,
          given == 0
              ? "no prompt: give \"text\", \"text_input\", \"messages\" or \"input_length\""
              : "give only one of \"text\", \"messages\" and \"input_length\"");
    }
    Long timestamp = null;
    if (node.has("timestamp")) {
      JsonNode t = node.get("timestamp");
      if (!t.isNumber() || t.asDouble() < 0) {
        throw bad(file, lineNumber, "\"timestamp\" must be a number of ms, 0 or more");
      }
      timestamp = Math.round(t.asDouble());
    }
    List<Long> hashIds = new ArrayList<>();
    if (node.has("hash_ids")) {
      JsonNode ids = node.get("hash_ids");
      if (!ids.isArray()) {
        throw bad(file, lineNumber, "\"hash_ids\" must be an array of integers");
      }
      for (JsonNode id : ids) {
        if (!id.canConvertToLong() || !id.isIntegralNumber()) {
          throw bad(file, lineNumber, "\"hash_ids\" must be an array of integers");
        }
        hashIds.add(id.asLong());
      }
    }
    String sessionId = null;
    if (node.has("session_id")) {
      JsonNode id = node.get("session_id");
      if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
        throw bad(file, lineNumber, "\"session_id\" must be a non-empty string or an integer");
      }
      sessionId = id.asText();
    }
    Long delay = null;
    if (node.has("delay")) {
      JsonNode d = node.get("delay");
      if (!d.isNumber() || d.asDouble() < 0) {
        throw bad(file, lineNumber, "\"delay\" must be a number of ms, 0 or more");
      }
      delay = Math.round(d.asDouble());
    }
    return new InputRecord(
        lineNumber,
        timestamp,
        text,
        messages,
        inputLength,
        positiveInt(file, lineNumber, node, "output_length"),
        List.copyOf(hashIds),
        sessionId,
        delay);
  }

  private static String textField(Path file, int lineNumber, JsonNode node, String name) {
    if (!node.has(name)) {
      return null;
    }
    JsonNode value = node.get(name);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw bad(file, lineNumber, "\"" + name + "\" must be a non-empty string");
    }
    return value.asText();
  }

  private static List<InputRecord.Message> messages(Path file, int lineNumber, JsonNode node) {
    if (!node.has("messages")) {
      return null;
    }
    JsonNode array = node.get("messages");
    if (!array.isArray() || array.isEmpty()) {
      throw bad(
          file, lineNumber, "\"messages\" must be a non-empty array of {\"role\", \"content\"}");
    }
    List<InputRecord.Message> messages = new ArrayList<>();
    for (JsonNode message : array) {
      if (!message.path("role").isTextual() || !message.path("content").isTextual()) {
        throw bad(file, lineNumber, "each message needs a string \"role\" and \"content\"");
      }
      messages.add(
          new InputRecord.Message(message.get("role").asText(), message.get("content").asText()));
    }
    return List.copyOf(messages);
  }

  private static Integer positiveInt(Path file, int lineNumber, JsonNode node, String name) {
    if (!node.has(name)) {
      return null;
    }
    JsonNode value = node.get(name);
    if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 1_000_000) {
      throw bad(
          file,
          lineNumber,
          "\"" + name + "\" must be a whole number of tokens from 1 to 1,000,000");
    }
    return value.asInt();
  }

  /** The number of the first line of {@code file} that is not UTF-8, or 0 if it cannot be read. */
  static int firstLineNotUtf8(Path file) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int lineNumber = 1;
      for (int b = in.read(); ; b = in.read()) {
        if (b == '\n' || b == -1) {
          try {
            utf8.reset().decode(ByteBuffer.wrap(line.toByteArray()));
          } catch (CharacterCodingException e) {
            return lineNumber;
          }
          if (b == -1) {
            return 0;
          }
          line.reset();
          lineNumber++;
        } else {
          line.write(b);
        }
      }
    } catch (IOException e) {
      return 0;
    }
  }

  private static ProfileConfigException bad(Path file, int lineNumber, String why) {
    return new ProfileConfigException("inputFile", file + ", line " + lineNumber + ": " + why);
  }
}
