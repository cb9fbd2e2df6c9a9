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
 */
final class KnownMetrics {
  /** KV-cache usage gauges as fractions 0..1, first found wins. */
  static final List<String> KV_CACHE =
      List.of(
          "vllm:kv_cache_usage_perc", // vLLM V1
          "vllm:gpu_cache_usage_perc", // vLLM V0
          "gpu_cache_usage_perc", // NVIDIA NIM
          "sglang:token_usage", // SGLang
          "llamacpp:kv_cache_usage_ratio" // llama.cpp server
          );

  static final List<String> RUNNING =
      List.of(
          "vllm:num_requests_running",
          "num_requests_running",
          "sglang:num_running_reqs",
          "llamacpp:requests_processing",
          "tgi_batch_current_size");

  static final List<String> WAITING =
      List.of(
          "vllm:num_requests_waiting",
          "num_requests_waiting",
          "sglang:num_queue_reqs",
          "llamacpp:requests_deferred",
          "tgi_queue_size");

  /** TensorRT-LLM under Triton: usage is used blocks over max blocks. */
  static final String TRT_LLM_KV_BLOCKS = "nv_trt_llm_kv_cache_block_metrics";

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
