package io.loadgen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A config file's settings as {@code profile} flags, for picocli to parse as it parses the command
 * line: one {@code --flag=value} per value, so a setting converts and fails as its flag would. The
 * settings of flags given on the command line are left out: flags win over the file (a stimulus
 * flag over the file's whole stimulus, see {@link ConfigKeys#group}). A value of the wrong shape (a
 * list where one value goes, a word where a number goes) is a {@link ConfigFileException} naming
 * the file and line.
 */
final class ConfigArgs {
  private final Path file;
  private final List<String> args;
  private final Map<OptionSpec, ConfigFile.Setting> origins;

  private ConfigArgs(Path file, List<String> args, Map<OptionSpec, ConfigFile.Setting> origins) {
    this.file = file;
    this.args = args;
    this.origins = origins;
  }

  /** The flags for {@code file}'s settings of {@code command}, but those in {@code given}. */
  static ConfigArgs of(
      ConfigFile file, ConfigKeys keys, CommandSpec command, Set<OptionSpec> given) {
    List<String> args = new ArrayList<>();
    Map<OptionSpec, ConfigFile.Setting> origins = new LinkedHashMap<>();
    Set<String> replaced = new HashSet<>();
    for (OptionSpec flag : given) {
      if (ConfigKeys.isSetting(flag)) {
        replaced.add(ConfigKeys.group(ConfigKeys.key(flag)));
      }
    }
    for (Map.Entry<String, ConfigFile.Setting> entry : file.settings().entrySet()) {
      ConfigFile.Setting setting = entry.getValue();
      OptionSpec option = keys.option(entry.getKey());
      if (replaced.contains(ConfigKeys.group(entry.getKey()))) {
        continue;
      }
      origins.put(option, setting);
      if (isBoolean(option)) {
        if (!setting.value().isBoolean()) {
          throw wrong(file, setting, "true or false");
        }
        String flag = flag(command, option, setting.value().asBoolean());
        if (flag != null) {
          args.add(flag);
        }
        continue;
      }
      for (String value : values(file, setting, option)) {
        args.add(option.longestName() + "=" + value);
      }
    }
    return new ConfigArgs(file.file(), List.copyOf(args), origins);
  }

  /** The command-line arguments. */
  List<String> args() {
    return args;
  }

  /** {@code FILE line N: key}, where the file gave {@code option} its value; null if it did not. */
  String where(OptionSpec option) {
    ConfigFile.Setting setting = origins.get(option);
    return setting == null ? null : file + " line " + setting.line() + ": " + setting.key();
  }

  /** The setting that gave {@code option} its value, or null when the file did not. */
  ConfigFile.Setting origin(OptionSpec option) {
    return origins.get(option);
  }

  /** The values of the flag, one for each time it is given. */
  private static List<String> values(
      ConfigFile file, ConfigFile.Setting setting, OptionSpec option) {
    JsonNode node = setting.value();
    List<String> values = new ArrayList<>();
    boolean many = option.isMultiValue();
    if (node.isArray()) {
      if (!many) {
        throw wrong(file, setting, "one value, not a list");
      }
      for (JsonNode element : node) {
        values.add(scalar(file, setting, option, element));
      }
    } else if (node.isObject()) {
      // genai-perf's mappings (extra, goodput, header): each entry is one KEY:VALUE.
      if (!many || !option.paramLabel().contains(":")) {
        throw wrong(file, setting, "one value, not a mapping");
      }
      node.fields()
          .forEachRemaining(
              entry ->
                  values.add(
                      entry.getKey()
                          + ":"
                          + (entry.getValue().isContainerNode()
                              ? entry.getValue().toString()
                              : scalar(file, setting, option, entry.getValue()))));
    } else {
      values.add(scalar(file, setting, option, node));
    }
    return values;
  }

  private static String scalar(
      ConfigFile file, ConfigFile.Setting setting, OptionSpec option, JsonNode node) {
    Class<?> type = elementType(option);
    if (!node.isValueNode() || node.isNull()) {
      throw wrong(file, setting, "a single value in each place, not a list or mapping");
    }
    if (isIntegral(type) && !node.isIntegralNumber()) {
      throw wrong(file, setting, "a whole number, not '" + node.asText() + "'");
    }
    if (isDecimal(type) && !node.isNumber()) {
      throw wrong(file, setting, "a number, not '" + node.asText() + "'");
    }
    return node.asText();
  }

  /** A boolean flag: its name for true, its negation for false, or null (false is its default). */
  private static String flag(CommandSpec command, OptionSpec option, boolean value) {
    if (value) {
      return option.longestName();
    }
    if (option.negatable()) {
      return command.negatableOptionTransformer().makeNegative(option.longestName(), command);
    }
    return null;
  }

  private static ConfigFileException wrong(
      ConfigFile file, ConfigFile.Setting setting, String what) {
    return ConfigFileException.at(
        file.file(), setting.line(), "'" + setting.key() + "' must be " + what);
  }

  private static boolean isBoolean(OptionSpec option) {
    return option.arity().max() == 0
        && (option.type() == boolean.class || option.type() == Boolean.class);
  }

  private static Class<?> elementType(OptionSpec option) {
    Class<?>[] auxiliary = option.auxiliaryTypes();
    return option.isMultiValue() && auxiliary.length > 0 ? auxiliary[0] : option.type();
  }

  private static boolean isIntegral(Class<?> type) {
    return type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class;
  }

  private static boolean isDecimal(Class<?> type) {
    return type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class;
  }
}
