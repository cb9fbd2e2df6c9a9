package io.loadgen.core;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which Prometheus endpoints are read during the run, how often, and which KV-cache gauge to look
 * for beside the known ones. Part of a {@link Profile}.
 *
 * @param urls the endpoints to scrape, one per replica (or DCGM-exporter's); empty to try each
 *     target's own {@code /metrics} (then {@code /v1/metrics}) and go without if it does not answer
 * @param interval how often they are scraped; null to scrape none, not even the targets' own
 * @param kvMetric a KV-cache usage gauge (0..1) to read besides the known ones, or null
 */
public record Scrape(List<URI> urls, Duration interval, String kvMetric) {

  public Scrape {
    urls = List.copyOf(urls);
    if (interval != null && (interval.isNegative() || interval.toMillis() < 10)) {
      throw new ProfileConfigException(
          "serverMetricsInterval", "must be at least 10 ms, got " + interval.toMillis() + " ms");
    }
  }

  /** Fills a {@link Scrape}; {@link Profile.Builder} sets it. */
  static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private Duration interval = Duration.ofSeconds(1);
    private String kvMetric;

    Builder() {}

    Builder(Scrape s) {
      urls.addAll(s.urls);
      interval = s.interval;
      kvMetric = s.kvMetric;
    }

    void url(String url) {
      urls.add(TargetUrl.parseHttp("serverMetricsUrl", url));
    }

    void interval(Duration interval) {
      this.interval = interval;
    }

    void kvMetric(String name) {
      this.kvMetric = name;
    }

    Scrape build() {
      return new Scrape(urls, interval, kvMetric);
    }
  }
}
