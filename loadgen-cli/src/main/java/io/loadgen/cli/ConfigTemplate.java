package io.loadgen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commented template of every setting of {@code profile}, each at its key with its flag's help
 * and its default, so that the template, loaded back, runs as {@code profile} with no flags does.
 */
final class ConfigTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WIDTH = 100;

  private ConfigTemplate() {}

  /** The template's YAML text. */
  static String render(CommandSpec profile) {
    Map<String, Object> tree = new LinkedHashMap<>();
    ConfigKeys.of(profile).byKey().forEach((key, option) -> put(tree, key.split("\\."), 0, option));
    StringBuilder yaml = new StringBuilder();
    yaml.append(
            "# loadgen config file: the settings of 'loadgen profile', one key for each flag.\n")
        .append(
            "# Run: loadgen config -f FILE [FLAGS]   or   loadgen profile --config FILE [FLAGS]\n")
        .append(
            "# A flag given on the command line wins over its key here. Keys genai-perf's config\n")
        .append("# file has keep genai-perf's names; loadgen's own flags are under 'loadgen:'.\n")
        .append(
            "# Each value below is the flag's default; an empty value means the flag not given.\n");
    write(tree, 0, yaml);
    return yaml.toString();
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, String[] path, int at, OptionSpec option) {
    if (at == path.length - 1) {
      tree.put(path[at], option);
      return;
    }
    Object section = tree.computeIfAbsent(path[at], name -> new LinkedHashMap<String, Object>());
    put((Map<String, Object>) section, path, at + 1, option);
  }

  @SuppressWarnings("unchecked")
  private static void write(Map<String, Object> tree, int depth, StringBuilder yaml) {
    String indent = "  ".repeat(depth);
    boolean[] first = {depth > 0};
    tree.forEach(
        (name, node) -> {
          // A blank line between settings, none right below a section's name.
          if (!first[0]) {
            yaml.append('\n');
          }
          first[0] = false;
          if (node instanceof OptionSpec option) {
            for (String line : comment(option)) {
              yaml.append(indent).append("# ").append(line).append('\n');
            }
            String value = value(option);
            yaml.append(indent).append(name).append(':');
            if (!value.isEmpty()) {
              yaml.append(' ').append(value);
            }
            yaml.append('\n');
          } else {
            yaml.append(indent).append(name).append(":\n");
            write((Map<String, Object>) node, depth + 1, yaml);
          }
        });
  }

  /** The flag's names and help, wrapped. */
  private static List<String> comment(OptionSpec option) {
    String help =
        String.join(", ", option.names())
            + ": "
            + String.join(" ", option.description()).replace("%%", "%").replace("%n", " ");
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : help.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /** The default as YAML: empty where the flag has none. */
  private static String value(OptionSpec option) {
    String text = option.defaultValue();
    if (option.arity().max() == 0) {
      return text != null ? text : String.valueOf(Boolean.TRUE.equals(option.initialValue()));
    }
    if (text == null) {
      return "";
    }
    if (option.isMultiValue()) {
      List<String> items = new ArrayList<>();
      String split = option.splitRegex();
      for (String item : split.isEmpty() ? new String[] {text} : text.split(split)) {
        items.add(scalar(item, option));
      }
      return "[" + String.join(", ", items) + "]";
    }
    return scalar(text, option);
  }

  private static String scalar(String text, OptionSpec option) {
    if (text.matches("-?\\d+(\\.\\d+)?")) {
      return text;
    }
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
