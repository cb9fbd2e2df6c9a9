package io.loadgen.core.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.ServerSample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The gauges loadgen relates to load, found on each server's page under that server's names. */
class KnownMetricsTest {
  private static KnownMetrics.Reading read(String page, String kvMetric) throws IOException {
    try (InputStream in = KnownMetricsTest.class.getResourceAsStream(page)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return KnownMetrics.read(PrometheusText.parse(text).samples(), kvMetric);
    }
  }

  @Test
  void vllm() throws IOException {
    KnownMetrics.Reading r = read("vllm.txt", null);
    assertEquals("vllm:kv_cache_usage_perc", r.kvMetric());
    assertEquals(0.4375, r.kvCacheUsage());
    assertEquals(12, r.running());
    assertEquals(3, r.waiting());
  }

  @Test
  void nim() throws IOException {
    KnownMetrics.Reading r = read("nim.txt", null);
    assertEquals("gpu_cache_usage_perc", r.kvMetric());
    assertEquals(0.0862, r.kvCacheUsage());
    assertEquals(7, r.running());
    assertEquals(0, r.waiting());
  }

  @Test
  void sglang() throws IOException {
    KnownMetrics.Reading r = read("sglang.txt", null);
    assertEquals("sglang:token_usage", r.kvMetric());
    assertEquals(0.28, r.kvCacheUsage());
    assertEquals(162, r.running());
    assertEquals(12, r.waiting());
  }

  @Test
  void llamaCppHasCountsButNoKvGauge() throws IOException {
    KnownMetrics.Reading r = read("llamacpp-current.txt", null);
    assertNull(r.kvMetric());
    assertTrue(Double.isNaN(r.kvCacheUsage()));
    assertEquals(4, r.running());
    assertEquals(46, r.waiting());
  }

  @Test
  void anOlderLlamaCppsKvGaugeIsStillRead() throws IOException {
    KnownMetrics.Reading r = read("llamacpp.txt", null);
    assertEquals("llamacpp:kv_cache_usage_ratio", r.kvMetric());
    assertEquals(0.6271, r.kvCacheUsage());
    assertEquals(4, r.running());
    assertEquals(46, r.waiting());
  }

  @Test
  void trtllmServe() throws IOException {
    KnownMetrics.Reading r = read("trtllm-serve.txt", null);
    assertEquals("trtllm_kv_cache_utilization", r.kvMetric());
    assertEquals(0.45, r.kvCacheUsage());
    assertEquals(48, r.running());
    assertEquals(9, r.waiting());
  }

  @Test
  void tgiHasCountsButNoKvGauge() throws IOException {
    KnownMetrics.Reading r = read("tgi.txt", null);
    assertNull(r.kvMetric());
    assertTrue(Double.isNaN(r.kvCacheUsage()));
    assertEquals(16, r.running());
    assertEquals(5, r.waiting());
  }

  @Test
  void tensorRtLlmUsageIsUsedOverMaxBlocks() throws IOException {
    KnownMetrics.Reading r = read("trtllm.txt", null);
    assertEquals(2808.0 / 6240, r.kvCacheUsage(), 1e-12);
    assertEquals(48, r.running());
    assertEquals(9, r.waiting());
  }

  @Test
  void dcgmFieldsPerGpu() throws IOException {
    KnownMetrics.Reading r = read("dcgm.txt", null);
    assertEquals(new ServerSample.GpuTelemetry(97, 76056, 612.437), r.gpus().get("0"));
    assertEquals(new ServerSample.GpuTelemetry(0, 636, 118.052), r.gpus().get("1"));
  }

  @Test
  void aNamedGaugeWinsAndDcgmBlanksAreNoValue() {
    String page =
        "my_kv_ratio{pod=\"a\"} 0.25\nmy_kv_ratio{pod=\"b\"} 0.75\nvllm:kv_cache_usage_perc 0.1\n"
            + "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 9223372036854775794\n";
    KnownMetrics.Reading r = KnownMetrics.read(PrometheusText.parse(page).samples(), "my_kv_ratio");
    assertEquals("my_kv_ratio", r.kvMetric());
    assertEquals(0.5, r.kvCacheUsage(), 1e-12);
    assertTrue(Double.isNaN(r.gpus().get("0").utilizationPercent()));
  }
}
