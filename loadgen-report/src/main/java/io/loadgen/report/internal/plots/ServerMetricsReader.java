package io.loadgen.report.internal.plots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads each replica's time series from the {@code server_metrics} section of {@code
 * profile_export_genai_perf.json} (as {@code ServerMetricsExport} writes it). A run that scraped
 * nothing has no section, and so no series.
 */
public final class ServerMetricsReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerMetricsReader() {}

  /** The replicas that have at least one scrape, in the file's order. */
  public static List<ServerSeries> read(Path summaryExport) throws IOException {
    JsonNode replicas =
        JSON.readTree(summaryExport.toFile()).path("server_metrics").path("replicas");
    List<ServerSeries> all = new ArrayList<>();
    for (JsonNode replica : replicas) {
      JsonNode series = replica.path("series");
      int n = series.size();
      if (n == 0) {
        continue;
      }
      double[] seconds = new double[n];
      double[] kv = new double[n];
      double[] running = new double[n];
      double[] waiting = new double[n];
      double[] inFlight = new double[n];
      for (int i = 0; i < n; i++) {
        JsonNode point = series.get(i);
        seconds[i] = point.path("time_ms").asDouble() / 1000.0;
        kv[i] = number(point, "kv_cache_usage");
        running[i] = number(point, "num_requests_running");
        waiting[i] = number(point, "num_requests_waiting");
        inFlight[i] = number(point, "client_requests_in_flight");
      }
      all.add(
          new ServerSeries(
              replica.path("url").asText(""), seconds, kv, running, waiting, inFlight));
    }
    return all;
  }

  /** The field's value, or NaN when it is null or absent (a gauge the server did not have). */
  private static double number(JsonNode point, String field) {
    JsonNode value = point.path(field);
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }
}
