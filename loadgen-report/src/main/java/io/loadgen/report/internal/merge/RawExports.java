package io.loadgen.report.internal.merge;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loadgen.report.RunDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Raw exports ({@code profile_export.json}, perf_analyzer's layout as {@code RawExportSink} writes
 * it: one experiment, its requests, then its {@code window_boundaries}) read and concatenated as a
 * stream, one request at a time, so that a merge of long runs holds none of them in memory.
 */
public final class RawExports {
  private static final JsonFactory JSON = new JsonFactory();

  private RawExports() {}

  /**
   * The experiment's window, first measured send and last response in epoch nanoseconds, or null
   * when it has none (no measured request).
   *
   * @throws RunDirectoryException when the file is not such an export
   */
  public static long[] window(Path file) {
    long[][] window = new long[1][];
    try {
      read(
          file,
          (parser, field) -> {
            if (field.equals("window_boundaries")) {
              long[] bounds = new long[2];
              int n = 0;
              while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (n < 2) {
                  bounds[n] = parser.getLongValue();
                }
                n++;
              }
              window[0] = n == 2 ? bounds : null;
            } else {
              parser.skipChildren();
            }
          });
    } catch (IOException e) {
      throw new RunDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return window[0];
  }

  /**
   * Writes into {@code out} one raw export holding every request of {@code inputs}, file by file in
   * the order given: one experiment of {@code mode} at {@code level}, whose window is {@code
   * window} (null for none).
   *
   * @throws RunDirectoryException when an input is not a raw export
   * @throws IOException when {@code out} cannot be written
   */
  public static void concatenate(
      List<Path> inputs, Path out, String mode, Number level, long[] window, String endpoint)
      throws IOException {
    try (JsonGenerator json = JSON.createGenerator(Files.newOutputStream(out), JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeArrayFieldStart("experiments");
      json.writeStartObject();
      json.writeObjectFieldStart("experiment");
      json.writeStringField("mode", mode);
      if (level instanceof Integer concurrency) {
        json.writeNumberField("value", concurrency);
      } else {
        json.writeNumberField("value", level.doubleValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("requests");
      for (Path input : inputs) {
        read(
            input,
            (parser, field) -> {
              if (field.equals("requests")) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                  json.copyCurrentStructure(parser);
                }
              } else {
                parser.skipChildren();
              }
            });
      }
      json.writeEndArray();
      json.writeArrayFieldStart("window_boundaries");
      if (window != null) {
        json.writeNumber(window[0]);
        json.writeNumber(window[1]);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeStringField("version", "loadgen");
      json.writeStringField("service_kind", "openai");
      json.writeStringField("endpoint", endpoint);
      json.writeEndObject();
    }
  }

  /** Sees each field of the (first) experiment, the parser on its value. */
  @FunctionalInterface
  private interface ExperimentField {
    void read(JsonParser parser, String field) throws IOException;
  }

  private static void read(Path file, ExperimentField visitor) throws IOException {
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      expect(parser.nextToken() == JsonToken.START_OBJECT, file);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!name.equals("experiments")) {
          parser.skipChildren();
          continue;
        }
        expect(value == JsonToken.START_ARRAY, file);
        boolean first = true;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          if (!first) {
            parser.skipChildren();
            continue;
          }
          first = false;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            visitor.read(parser, field);
          }
        }
      }
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      throw new RunDirectoryException(
          "cannot read " + file + ": not a raw export (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static void expect(boolean condition, Path file) {
    if (!condition) {
      throw new RunDirectoryException(
          "cannot read " + file + ": not a raw export (no experiments in perf_analyzer's layout)");
    }
  }
}
