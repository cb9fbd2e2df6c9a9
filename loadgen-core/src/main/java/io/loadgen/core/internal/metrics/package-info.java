/**
 * metrics: the server's side of the run. {@code Scraper} fetches the server's Prometheus endpoints
 * at an interval during the run, {@code PrometheusText} parses the pages, and {@code KnownMetrics}
 * picks out the KV-cache, request-queue and GPU gauges under each server's names, set beside the
 * client's state at that instant. A scrape that fails is noted, never fatal.
 */
package io.loadgen.core.internal.metrics;
