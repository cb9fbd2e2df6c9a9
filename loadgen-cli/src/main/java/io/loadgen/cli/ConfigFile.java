package io.loadgen.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YAML config file read into its settings, each a key known to {@link ConfigKeys} with its value
 * and the line it is on. Sections nest ({@code endpoint: {url: ...}}); a key that is no setting nor
 * section, a section that is not a mapping, a duplicate key, or text that is not YAML is a {@link
 * ConfigFileException} naming the file and line.
 */
final class ConfigFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              // "key:" with nothing after it is the flag not given, as in genai-perf's template.
              .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
              .build());

  /** A setting's key as written, its value (a scalar, list or mapping; never null), its line. */
  record Setting(String key, JsonNode value, int line) {}

  private final Path file;
  private final Map<String, Setting> settings;

  private ConfigFile(Path file, Map<String, Setting> settings) {
    this.file = file;
    this.settings = settings;
  }

  /** Reads {@code file}, knowing its keys from {@code keys}. */
  static ConfigFile read(Path file, ConfigKeys keys) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigFileException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new ConfigFile(file, settings); // empty: no settings
      }
      if (first != JsonToken.START_OBJECT) {
        throw ConfigFileException.at(
            file,
            line(parser),
            "not a YAML mapping of settings (such as 'endpoint:' with 'url: ...' below it)");
      }
      readSection(file, parser, "", keys, settings);
      if (parser.nextToken() != null) {
        throw ConfigFileException.at(file, line(parser), "more than one YAML document");
      }
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      throw ConfigFileException.at(
          file,
          location == null ? 0 : location.getLineNr(),
          "not valid YAML: " + Errors.oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigFileException("cannot read config file " + file + ": " + e.getMessage());
    }
    return new ConfigFile(file, settings);
  }

  private static void readSection(
      Path file, JsonParser parser, String prefix, ConfigKeys keys, Map<String, Setting> settings)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + parser.currentName();
      int line = line(parser);
      JsonToken value = parser.nextToken();
      if (keys.option(key) != null) {
        JsonNode node = YAML.readTree(parser);
        if (node != null && !node.isNull()) {
          Setting twice = settings.put(ConfigKeys.canonical(key), new Setting(key, node, line));
          if (twice != null) {
            throw ConfigFileException.at(
                file,
                line,
                "'" + key + "' sets what '" + twice.key() + "' (line " + twice.line() + ") sets");
          }
        }
      } else if (keys.isSection(key)) {
        if (value == JsonToken.START_OBJECT) {
          readSection(file, parser, key + ".", keys, settings);
        } else if (value != JsonToken.VALUE_NULL) {
          throw ConfigFileException.at(
              file, line, "'" + key + "' is a section: a mapping of settings below it");
        }
      } else {
        String meant = keys.suggestion(key);
        throw ConfigFileException.at(
            file,
            line,
            "unknown key '"
                + key
                + "'"
                + (meant == null ? "" : ", did you mean '" + meant + "'?")
                + " (see 'loadgen create-template' for every key; loadgen's own flags are under"
                + " '"
                + ConfigKeys.LOADGEN_SECTION
                + ":')");
      }
    }
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  Path file() {
    return file;
  }

  /** The settings given (null values left out) by their keys (aliases resolved), in order. */
  Map<String, Setting> settings() {
    return settings;
  }
}
