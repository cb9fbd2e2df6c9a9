package io.loadgen.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What the server's Prometheus endpoints said during a run: a series of {@link ServerSample}s per
 * replica, and the problems met scraping them (each a line for the user; scraping never fails a
 * run).
 *
 * @param replicas one per scraped endpoint, in the order given
 * @param kvMetric the name of the KV-cache gauge that was read, or null if none was found
 * @param problems what went wrong scraping, a line each
 */
public record ServerMetrics(List<Replica> replicas, String kvMetric, List<String> problems) {
  /** Nothing scraped. */
  public static final ServerMetrics NONE = new ServerMetrics(List.of(), null, List.of());

  public ServerMetrics {
    replicas = List.copyOf(replicas);
    problems = List.copyOf(problems);
  }

  /** One endpoint's samples. */
  public record Replica(String url, List<ServerSample> samples) {
    public Replica {
      samples = List.copyOf(samples);
    }
  }

  /** Whether any sample was taken. */
  public boolean isEmpty() {
    return replicas.stream().allMatch(r -> r.samples().isEmpty());
  }

  /**
   * The series an autoscaler sees: at each scrape round, the average over the replicas that
   * answered. A single replica's series is its own.
   */
  public double[] average(ToDoubleFunction<ServerSample> metric) {
    int rounds = replicas.stream().mapToInt(r -> r.samples().size()).max().orElse(0);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      double sum = 0;
      int n = 0;
      for (Replica replica : replicas) {
        if (i < replica.samples().size()) {
          double v = metric.applyAsDouble(replica.samples().get(i));
          if (!Double.isNaN(v)) {
            sum += v;
            n++;
          }
        }
      }
      values.add(n == 0 ? Double.NaN : sum / n);
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** KV-cache usage in percent, averaged over replicas per round; EMPTY if none was read. */
  public SeriesStats kvCacheUsagePercent() {
    return SeriesStats.of(average(ServerSample::kvCacheUsage)).scaled(100);
  }

  public SeriesStats running() {
    return SeriesStats.of(average(ServerSample::running));
  }

  public SeriesStats waiting() {
    return SeriesStats.of(average(ServerSample::waiting));
  }
}
