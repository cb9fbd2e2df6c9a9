package io.loadgen.report.internal.compare;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The figures a comparison shows of one run, as its {@code profile_export_genai_perf.json} holds
 * them: for each metric key present there, its avg, p50 and p99 (NaN where the export has none, as
 * the run metrics have only an avg).
 *
 * @param directory the run's folder, as given
 * @param figures by genai-perf's metric key
 */
public record RunFigures(Path directory, Map<String, Figure> figures) {
  public RunFigures {
    figures = Map.copyOf(figures);
  }

  /** One metric's figures, in its displayed unit; NaN for a figure the export does not have. */
  public record Figure(String unit, double avg, double p50, double p99) {}

  /** The figures of {@code key}, or empty when the run's export has no such metric. */
  public Optional<Figure> figure(String key) {
    return Optional.ofNullable(figures.get(key));
  }
}
