package io.loadgen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.ProfileConfigException;
import java.util.AbstractMap;
import java.util.Map;
import java.util.regex.Pattern;

/** genai-perf's {@code --extra-inputs key:value} with the value's JSON type inferred. */
final class ExtraInputs {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExtraInputs() {}

  static Map.Entry<String, Object> parse(String keyColonValue) {
    int colon = keyColonValue.indexOf(':');
    if (colon <= 0) {
      throw new ProfileConfigException(
          "--extra-inputs must be key:value, e.g. max_tokens:200; got '" + keyColonValue + "'");
    }
    String key = keyColonValue.substring(0, colon).trim();
    String value = keyColonValue.substring(colon + 1).trim();
    return new AbstractMap.SimpleImmutableEntry<>(key, infer(key, value));
  }

  static Object infer(String key, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
    }
    if (INTEGER.matcher(value).matches()) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException tooLong) {
        return new java.math.BigInteger(value);
      }
    }
    if (DECIMAL.matcher(value).matches()) {
      return Double.parseDouble(value);
    }
    if (value.startsWith("{") || value.startsWith("[")) {
      try {
        return JSON.readValue(value, Object.class);
      } catch (JsonProcessingException e) {
        throw new ProfileConfigException(
            "--extra-inputs "
                + key
                + ": the value looks like JSON but does not parse: "
                + e.getOriginalMessage());
      }
    }
    return value;
  }
}
