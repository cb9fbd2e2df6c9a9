package io.loadgen.core.internal.metrics;

import io.loadgen.core.ServerSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, on a server's metrics page, the gauges loadgen relates to the load: KV-cache usage,
 * requests running and waiting, and DCGM-exporter GPU fields, under the names each server uses.
 * Where a page has several series of one gauge (one per model), their values are averaged for the
 * KV cache and summed for request counts.
 *
 * <p>The names are a table learned from each server's own source (file and version beside each
 * entry), in the order they are tried. A name that a current server no longer writes stays when an
 * older build still does: reading it where it is costs nothing, and its absence is said by the
 * scraper (which lists the series it did see) rather than guessed around.
 */
final class KnownMetrics {
  /** KV-cache usage gauges as fractions 0..1, first found wins. */
  static final List<String> KV_CACHE =
      List.of(
          // vLLM V1: vllm/v1/metrics/loggers.py, PrometheusStatLogger (newest snapshot read, with
          // vllm:engine_sleep_state), where it is the only KV gauge left.
          "vllm:kv_cache_usage_perc",
          // vLLM V0, and V1 up to 0.10 (deprecated in 0.9 as "renamed vllm:kv_cache_usage_perc"):
          // vllm/v1/metrics/loggers.py @ 005a810; gone from the newest snapshot.
          "vllm:gpu_cache_usage_perc",
          // NVIDIA NIM for LLMs, at /v1/metrics: docs.nvidia.com/nim/large-language-models/latest/
          // observability.html ("GPU KV-cache usage. 1 means 100 percent usage"). A NIM built on
          // vLLM or TensorRT-LLM may write that engine's names instead; they are in this table.
          "gpu_cache_usage_perc",
          // SGLang: python/sglang/srt/metrics/collector.py (0.5.3, SchedulerMetricsCollector):
          // tokens in use over the token pool, which is its KV cache.
          "sglang:token_usage",
          // TensorRT-LLM's trtllm-serve, at /prometheus/metrics: tensorrt_llm/metrics/collector.py
          // @ 050f80d (2026), set to usedNumBlocks / maxNumBlocks each iteration.
          "trtllm_kv_cache_utilization",
          // llama.cpp's server before its metrics were cut down; tools/server/server-context.cpp
          // @ fb40266 writes no KV gauge at all (requests_processing/deferred and token counters).
          "llamacpp:kv_cache_usage_ratio");

  /** Requests being processed (in the batch), summed over a page's series, first found wins. */
  static final List<String> RUNNING =
      List.of(
          "vllm:num_requests_running", // vLLM V0 and V1: loggers.py, newest snapshot
          "num_requests_running", // NVIDIA NIM: observability.html, as above
          "sglang:num_running_reqs", // SGLang: collector.py (0.5.3)
          "trtllm_num_requests_running", // trtllm-serve: collector.py @ 050f80d (numActiveRequests)
          "llamacpp:requests_processing", // llama.cpp: server-context.cpp @ fb40266
          // TGI: backends/v3/src/backend.rs (v3.3.7), the size of the batch being run; TGI has no
          // KV-cache gauge (its tgi_batch_current_max_tokens is what the batch reserved, not uses).
          "tgi_batch_current_size");

  /** Requests queued, not yet in the batch, summed over a page's series, first found wins. */
  static final List<String> WAITING =
      List.of(
          "vllm:num_requests_waiting", // vLLM V0 and V1: loggers.py, newest snapshot
          "num_requests_waiting", // NVIDIA NIM: observability.html
          "sglang:num_queue_reqs", // SGLang: collector.py (0.5.3)
          "trtllm_num_requests_waiting", // trtllm-serve: collector.py @ 050f80d (numQueuedRequests)
          "llamacpp:requests_deferred", // llama.cpp: server-context.cpp @ fb40266
          "tgi_queue_size"); // TGI: backends/v3/src/queue.rs (v3.3.7)

  /**
   * TensorRT-LLM under Triton (its tensorrtllm backend): usage is used blocks over max blocks, from
   * triton_backend/inflight_batcher_llm/src/custom_metrics_reporter/custom_metrics_reporter.cc
   * (kv_cache_block_type used, max; newer builds also write fraction, the same ratio).
   */
  static final String TRT_LLM_KV_BLOCKS = "nv_trt_llm_kv_cache_block_metrics";

  /** The same file: request_type active (running) and waiting. */
  static final String TRT_LLM_REQUESTS = "nv_trt_llm_request_metrics";

  /**
   * DCGM's blank values start here (DCGM_FP64_BLANK is 140737488355328; int64 blanks near 2^63).
   */
  static final double DCGM_BLANK = 140_737_488_355_328.0;

  private KnownMetrics() {}

  /** What the page says; NaN for what it does not have. */
  record Reading(
      String kvMetric,
      double kvCacheUsage,
      double running,
      double waiting,
      Map<String, ServerSample.GpuTelemetry> gpus) {}

  static Reading read(List<PrometheusText.Sample> samples, String customKvMetric) {
    String kvName = null;
    double kv = Double.NaN;
    List<String> kvNames =
        customKvMetric == null
            ? KV_CACHE
            : java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(customKvMetric), KV_CACHE.stream())
                .toList();
    for (String name : kvNames) {
      double v = average(samples, name);
      if (!Double.isNaN(v)) {
        kvName = name;
        kv = v;
        break;
      }
    }
    if (kvName == null) {
      double used = labelled(samples, TRT_LLM_KV_BLOCKS, "kv_cache_block_type", "used");
      double max = labelled(samples, TRT_LLM_KV_BLOCKS, "kv_cache_block_type", "max");
      if (!Double.isNaN(used) && max > 0) {
        kvName = TRT_LLM_KV_BLOCKS + "{used/max}";
        kv = used / max;
      }
    }
    double running = first(samples, RUNNING);
    if (Double.isNaN(running)) {
      running = labelled(samples, TRT_LLM_REQUESTS, "request_type", "active");
    }
    double waiting = first(samples, WAITING);
    if (Double.isNaN(waiting)) {
      waiting = labelled(samples, TRT_LLM_REQUESTS, "request_type", "waiting");
    }
    return new Reading(kvName, kv, running, waiting, gpus(samples));
  }

  private static double first(List<PrometheusText.Sample> samples, List<String> names) {
    for (String name : names) {
      double sum = Double.NaN;
      for (PrometheusText.Sample s : samples) {
        if (s.name().equals(name)) {
          sum = Double.isNaN(sum) ? s.value() : sum + s.value();
        }
      }
      if (!Double.isNaN(sum)) {
        return sum;
      }
    }
    return Double.NaN;
  }

  private static double average(List<PrometheusText.Sample> samples, String name) {
    double sum = 0;
    int n = 0;
    for (PrometheusText.Sample s : samples) {
      if (s.name().equals(name) && !Double.isNaN(s.value())) {
        sum += s.value();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double labelled(
      List<PrometheusText.Sample> samples, String name, String label, String value) {
    double sum = Double.NaN;
    for (PrometheusText.Sample s : samples) {
      if (s.name().equals(name) && value.equals(s.labels().get(label))) {
        sum = Double.isNaN(sum) ? s.value() : sum + s.value();
      }
    }
    return sum;
  }

  private static Map<String, ServerSample.GpuTelemetry> gpus(List<PrometheusText.Sample> samples) {
    Map<String, double[]> fields = new LinkedHashMap<>();
    for (PrometheusText.Sample s : samples) {
      int field =
          switch (s.name()) {
            case "DCGM_FI_DEV_GPU_UTIL" -> 0;
            case "DCGM_FI_DEV_FB_USED" -> 1;
            case "DCGM_FI_DEV_POWER_USAGE" -> 2;
            default -> -1;
          };
      if (field >= 0) {
        String gpu = s.labels().getOrDefault("gpu", "0");
        // DCGM writes a placeholder near 2^63 when it has no reading: that is no value.
        double value = s.value() >= DCGM_BLANK ? Double.NaN : s.value();
        fields.computeIfAbsent(gpu, g -> new double[] {Double.NaN, Double.NaN, Double.NaN})[field] =
            value;
      }
    }
    Map<String, ServerSample.GpuTelemetry> gpus = new LinkedHashMap<>();
    fields.forEach((gpu, f) -> gpus.put(gpu, new ServerSample.GpuTelemetry(f[0], f[1], f[2])));
    return gpus;
  }
}
