package io.loadgen.report.internal.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.report.Exports;
import io.loadgen.report.RunDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads a run's figures from the summary export in its folder. */
public final class RunFiguresReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFiguresReader() {}

  /**
   * The figures of every metric in {@code runDir}'s summary export that has an avg.
   *
   * @throws RunDirectoryException when {@code runDir} is not a folder, has no summary export, or
   *     its export cannot be read or is not an object of metrics
   */
  public static RunFigures read(Path runDir) {
    if (!Files.isDirectory(runDir)) {
      throw new RunDirectoryException(
          runDir
              + " is not a run directory: "
              + (Files.exists(runDir) ? "not a folder" : "no such folder"));
    }
    Path export = runDir.resolve(Exports.JSON_FILE);
    if (!Files.isRegularFile(export)) {
      throw new RunDirectoryException(
          runDir
              + " is not a run directory: it has no "
              + Exports.JSON_FILE
              + " (give the folders that loadgen profile wrote)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(export.toFile());
    } catch (JsonProcessingException e) {
      throw new RunDirectoryException(
          "cannot read " + export + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new RunDirectoryException("cannot read " + export + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new RunDirectoryException(
          "cannot read " + export + ": not genai-perf's summary export (no object of metrics)");
    }
    Map<String, RunFigures.Figure> figures = new HashMap<>();
    root.fields()
        .forEachRemaining(
            field -> {
              JsonNode node = field.getValue();
              if (node.isObject() && node.path("avg").isNumber()) {
                figures.put(
                    field.getKey(),
                    new RunFigures.Figure(
                        node.path("unit").asText(""),
                        node.get("avg").asDouble(),
                        number(node, "p50"),
                        number(node, "p99")));
              }
            });
    return new RunFigures(runDir, figures);
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }
}
