package io.loadgen.cli.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Dockerfile read as Docker reads it: comment lines dropped (also inside continued lines),
 * backslash continuations joined, one instruction per entry, split into build stages at each FROM.
 * Enough of the grammar for what the tests ask, which is not all of it (no heredocs, no escape
 * directive): an instruction this reader cannot take fails the test that asks about it.
 */
record Dockerfile(List<Stage> stages) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword, upper case, and the rest of the line. */
  record Instruction(String keyword, String arguments) {}

  /** A build stage: its FROM image, its name ({@code AS name}, or null) and its instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction of that keyword, as Docker applies it, or null. */
    Instruction last(String keyword) {
      List<Instruction> all = all(keyword);
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** ENV's variables, from {@code KEY=value} pairs (the form this repository uses). */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Instruction instruction : all("ENV")) {
        for (String pair : instruction.arguments().trim().split("\\s+")) {
          int equals = pair.indexOf('=');
          if (equals <= 0) {
            throw new IllegalArgumentException(
                "ENV not in KEY=value form: " + instruction.arguments());
          }
          env.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
      }
      return env;
    }
  }

  static Dockerfile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> logical = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      logical.add(pending.toString().trim());
      pending.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    for (String line : logical) {
      String[] parts = line.split("\\s+", 2);
      Instruction instruction =
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        String[] from = instruction.arguments().split("\\s+");
        String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        current = new ArrayList<>();
        stages.add(new Stage(from[0], name, current));
      } else if (current == null) {
        throw new IllegalArgumentException(
            instruction.keyword() + " before the first FROM in " + file);
      } else {
        current.add(instruction);
      }
    }
    return new Dockerfile(
        stages.stream()
            .map(s -> new Stage(s.image(), s.name(), List.copyOf(s.instructions())))
            .toList());
  }

  /** The stage the image is made of: the last. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> name.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage named " + name));
  }

  /** The exec (JSON array) form of ENTRYPOINT or CMD; the shell form is refused. */
  static List<String> execForm(Instruction instruction) {
    try {
      return JSON.readValue(instruction.arguments(), new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new AssertionError(
          instruction.keyword()
              + " is not in exec (JSON array) form, so signals would "
              + "reach a shell rather than java: "
              + instruction.arguments(),
          e);
    }
  }
}
