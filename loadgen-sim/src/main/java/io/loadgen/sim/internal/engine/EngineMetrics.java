package io.loadgen.sim.internal.engine;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The engine's Prometheus metrics under the names real servers use, so that dashboards, scrapers
 * and autoscalers built against NVIDIA NIM or vLLM work against the simulator unchanged: NIM's
 * unprefixed names and vLLM's {@code vllm:} names, each with a {@code model_name} label. Written by
 * the engine's thread, read by scrapes on any thread.
 */
public final class EngineMetrics implements EngineObserver {
  /** vLLM's bucket bounds for time to first token, in seconds. */
  private static final double[] TTFT_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    20.0, 40.0, 80.0
  };

  /** vLLM's bucket bounds for inter-token latency, in seconds. */
  private static final double[] ITL_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
    40.0, 80.0
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final String model;
  private final int maxRunning;
  private final Counter[] promptTokens;
  private final Counter[] generatedTokens;
  private final Counter[] preemptions;
  private final Counter[] finished;
  private final Histogram[] timeToFirstToken;
  private final Histogram[] interToken;

  private volatile int running;
  private volatile int waiting;
  private volatile double cacheUsage;

  /**
   * The gauges as one scrape shows them, read once when it starts: every name of a gauge then shows
   * the same value on a page, though the engine steps while the page is written.
   */
  private Gauges shown = new Gauges(0, 0, 0);

  /** The gauges after the last step, written together so that a scrape never mixes two steps. */
  private volatile Gauges current = shown;

  private volatile long usedBlocks;
  private volatile long totalBlocks = 1;
  private volatile long preemptionCount;

  public EngineMetrics(String model, int maxRunning, long totalBlocks) {
    this.model = model;
    this.totalBlocks = totalBlocks;
    this.maxRunning = maxRunning;
    gauge(
        "gpu_cache_usage_perc",
        "GPU KV-cache usage. 1 means 100 percent usage.",
        () -> shown.cacheUsage());
    gauge(
        "vllm:gpu_cache_usage_perc",
        "GPU KV-cache usage. 1 means 100 percent usage.",
        () -> shown.cacheUsage());
    gauge(
        "vllm:kv_cache_usage_perc",
        "KV-cache usage. 1 means 100 percent usage.",
        () -> shown.cacheUsage());
    gauge(
        "num_requests_running",
        "Number of requests currently running on GPU.",
        () -> shown.running());
    gauge(
        "vllm:num_requests_running",
        "Number of requests in model execution batches.",
        () -> shown.running());
    gauge(
        "num_requests_waiting",
        "Number of requests waiting to be processed.",
        () -> shown.waiting());
    gauge(
        "vllm:num_requests_waiting",
        "Number of requests waiting to be processed.",
        () -> shown.waiting());
    gauge("num_request_max", "Max number of concurrently running requests.", () -> this.maxRunning);
    this.promptTokens = counters("prompt_tokens", "Number of prefill tokens processed.");
    this.generatedTokens = counters("generation_tokens", "Number of generation tokens processed.");
    this.preemptions =
        new Counter[] {
          counter("vllm:num_preemptions", "Cumulative number of preemptions from the engine.")
        };
    this.finished = counters("request_success", "Count of successfully processed requests.");
    this.timeToFirstToken =
        new Histogram[] {
          histogram(
              "time_to_first_token_seconds",
              "Histogram of time to first token in seconds.",
              TTFT_BUCKETS),
          histogram(
              "vllm:time_to_first_token_seconds",
              "Histogram of time to first token in seconds.",
              TTFT_BUCKETS)
        };
    this.interToken =
        new Histogram[] {
          histogram(
              "time_per_output_token_seconds",
              "Histogram of time per output token in seconds.",
              ITL_BUCKETS),
          histogram(
              "vllm:inter_token_latency_seconds",
              "Histogram of inter-token latency in seconds.",
              ITL_BUCKETS)
        };
  }

  /** The exposition, in Prometheus text format 0.0.4. */
  public synchronized byte[] scrape() {
    shown = current;
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private record Gauges(int running, int waiting, double cacheUsage) {}

  /** The content type of {@link #scrape()}. */
  public String contentType() {
    return writer.getContentType();
  }

  @Override
  public void onStep(long endNanos, int running, int waiting, long usedBlocks, long totalBlocks) {
    gauges(running, waiting, usedBlocks, totalBlocks);
  }

  @Override
  public void onCancelled(int running, int waiting, long usedBlocks, long totalBlocks) {
    gauges(running, waiting, usedBlocks, totalBlocks);
  }

  private void gauges(int running, int waiting, long usedBlocks, long totalBlocks) {
    this.running = running;
    this.waiting = waiting;
    this.usedBlocks = usedBlocks;
    this.totalBlocks = totalBlocks;
    this.cacheUsage = (double) usedBlocks / totalBlocks;
    this.current = new Gauges(running, waiting, cacheUsage);
  }

  public int running() {
    return running;
  }

  public int waiting() {
    return waiting;
  }

  public long usedBlocks() {
    return usedBlocks;
  }

  public long totalBlocks() {
    return totalBlocks;
  }

  public long preemptions() {
    return preemptionCount;
  }

  @Override
  public void onPromptTokens(long tokens) {
    inc(promptTokens, tokens);
  }

  @Override
  public void onGeneratedTokens(long tokens) {
    inc(generatedTokens, tokens);
  }

  @Override
  public void onPreemption() {
    preemptionCount++;
    inc(preemptions, 1);
  }

  @Override
  public void onFirstToken(long nanos) {
    for (Histogram h : timeToFirstToken) {
      h.labelValues(model).observe(nanos / 1e9);
    }
  }

  @Override
  public void onInterToken(long nanos) {
    for (Histogram h : interToken) {
      h.labelValues(model).observe(nanos / 1e9);
    }
  }

  @Override
  public void onFinished(Sequence sequence, long endNanos) {
    inc(finished, 1);
  }

  private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("model_name")
        .callback(callback -> callback.call(value.getAsDouble(), model))
        .register(registry);
  }

  /** A counter under NIM's name and vLLM's ({@code vllm:} prefixed); both count the same events. */
  private Counter[] counters(String name, String help) {
    return new Counter[] {counter(name, help), counter("vllm:" + name, help)};
  }

  private void inc(Counter[] counters, long by) {
    for (Counter c : counters) {
      c.labelValues(model).inc(by);
    }
  }

  // Each labelled series is touched once here: a series nobody has incremented yet is otherwise
  // left out of the exposition, and a scraper would see no vllm:num_preemptions_total until the
  // first preemption.
  private Counter counter(String name, String help) {
    Counter counter =
        Counter.builder().name(name).help(help).labelNames("model_name").register(registry);
    counter.labelValues(model);
    return counter;
  }

  private Histogram histogram(String name, String help, double[] buckets) {
    Histogram histogram =
        Histogram.builder()
            .name(name)
            .help(help)
            .labelNames("model_name")
            .classicOnly()
            .classicUpperBounds(buckets)
            .register(registry);
    histogram.labelValues(model);
    return histogram;
  }
}
