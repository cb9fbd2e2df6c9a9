package io.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadgen.core.Metric;
import io.loadgen.core.ProfileResult;
import io.loadgen.report.internal.html.ReportPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@code report.html} into a run's folder: one file that opens offline from disk, holding
 * the console table ({@link ConsoleTable}), the failed requests by kind, the run's settings (the
 * JSON export's {@code input_config}: header values and the API key redacted) and the charts found
 * in {@code plots/} ({@link Plots}), embedded as {@code data:} URIs: the box plots first, then the
 * others by file name. Without {@code plots/} (no {@code --generate-plots}) it shows the run at a
 * glance instead, drawn in memory from the {@code .hlog} files: the box plots and the TTFT and ITL
 * percentile curves. Without either the report says so. All text is HTML-escaped: settings and
 * error kinds come from users and servers.
 */
public final class HtmlReport {
  /** The report's file name inside the run's folder. */
  public static final String FILE = "report.html";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Shown first, as genai-perf's report opens with them: the run at a glance. */
  private static final List<String> BOX_PLOTS =
      List.of(Metric.TIME_TO_FIRST_TOKEN.key() + ".png", Metric.REQUEST_LATENCY.key() + ".png");

  private HtmlReport() {}

  /**
   * Writes the report of {@code result} into {@code runDir}, embedding the PNGs of {@code
   * runDir/plots/} when there are any.
   *
   * @return the file written
   * @throws ArtifactWriteException when a chart cannot be read or the report cannot be written
   */
  public static Path write(ProfileResult result, Path runDir) {
    Path file = runDir.resolve(FILE);
    String page =
        ReportPage.render(
            runDir.toAbsolutePath().normalize().getFileName().toString(),
            ConsoleTable.render(result),
            result.summary().errorsByKind(),
            settings(result),
            charts(runDir),
            "No charts: this folder has neither plots/ nor a latency log to draw them from.");
    Exports.create(runDir);
    try {
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw failure(file, e);
    }
    return file;
  }

  /** The settings as the JSON export has them, each value as its JSON text (a string as is). */
  private static Map<String, String> settings(ProfileResult result) {
    Map<String, String> settings = new LinkedHashMap<>();
    InputConfig.of(result)
        .forEach(
            (key, value) -> {
              try {
                settings.put(
                    key, value instanceof String text ? text : JSON.writeValueAsString(value));
              } catch (JsonProcessingException e) {
                // Every value is a string, number, boolean, list or map: Jackson writes them all.
                throw new IllegalStateException("setting " + key + " is not JSON", e);
              }
            });
    return settings;
  }

  /** The charts of plots/ when there are any, or else the run at a glance drawn in memory. */
  private static List<ReportPage.Chart> charts(Path runDir) {
    List<ReportPage.Chart> charts = pngs(runDir.resolve(Plots.DIRECTORY));
    if (charts.isEmpty()) {
      for (Plots.NamedPng chart : Plots.glance(runDir)) {
        charts.add(new ReportPage.Chart(chart.name(), chart.png()));
      }
    }
    return charts;
  }

  private static List<ReportPage.Chart> pngs(Path plots) {
    List<ReportPage.Chart> charts = new ArrayList<>();
    if (!Files.isDirectory(plots)) {
      return charts;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(plots)) {
      files =
          listing
              .filter(f -> f.getFileName().toString().endsWith(".png"))
              .sorted(
                  Comparator.comparing((Path f) -> !BOX_PLOTS.contains(f.getFileName().toString()))
                      .thenComparing(f -> f.getFileName().toString()))
              .toList();
    } catch (IOException e) {
      throw failure(plots, e);
    }
    for (Path png : files) {
      try {
        charts.add(new ReportPage.Chart(png.getFileName().toString(), Files.readAllBytes(png)));
      } catch (IOException e) {
        throw failure(png, e);
      }
    }
    return charts;
  }

  private static ArtifactWriteException failure(Path file, IOException e) {
    String why =
        e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    return new ArtifactWriteException(file, why, e);
  }
}
