package io.loadgen.core.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.internal.metrics.PrometheusText.Family;
import io.loadgen.core.internal.metrics.PrometheusText.Parsed;
import io.loadgen.core.internal.metrics.PrometheusText.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextTest {
  private static final String LLAMA = "meta-llama/Meta-Llama-3-8B-Instruct";

  private static String page(String file) {
    try (InputStream in = PrometheusTextTest.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Parsed parseClean(String text) {
    Parsed parsed = PrometheusText.parse(text);
    assertEquals(List.of(), parsed.errors());
    return parsed;
  }

  /** The one sample with this name whose labels include the given pairs. */
  private static Sample only(Parsed parsed, String name, String... labelPairs) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : parsed.samples()) {
      boolean match = s.name().equals(name);
      for (int i = 0; match && i < labelPairs.length; i += 2) {
        match = labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
      }
      if (match) {
        found.add(s);
      }
    }
    assertEquals(1, found.size(), () -> name + " " + List.of(labelPairs) + " matched " + found);
    return found.get(0);
  }

  private static double value(Parsed parsed, String name, String... labelPairs) {
    return only(parsed, name, labelPairs).value();
  }

  private static Family family(Parsed parsed, String name) {
    return parsed.families().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no family " + name));
  }

  private static Map<String, String> labels(String... pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }

  // --- Server pages, written from each server's documentation ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vllm.txt",
        "nim.txt",
        "tgi.txt",
        "sglang.txt",
        "llamacpp.txt",
        "dcgm.txt",
        "trtllm.txt"
      })
  void readsEverySampleLineOfEachServerPageIntoATypedFamily(String file) {
    String text = page(file);
    long sampleLines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    Parsed parsed = parseClean(text);
    assertEquals(sampleLines, parsed.samples().size());
    assertEquals(sampleLines, parsed.families().stream().mapToLong(f -> f.samples().size()).sum());
    for (Family f : parsed.families()) {
      assertTrue(!f.type().equals("untyped") && !f.samples().isEmpty(), () -> file + ": " + f);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vllm.txt",
        "nim.txt",
        "tgi.txt",
        "sglang.txt",
        "llamacpp.txt",
        "dcgm.txt",
        "trtllm.txt"
      })
  void readsEachServerPageTheSameWithCrlfLineEndsAndNoFinalNewline(String file) {
    String text = page(file);
    Parsed lf = parseClean(text);
    assertEquals(lf, parseClean(text.replace("\n", "\r\n")));
    assertEquals(lf, parseClean(text.stripTrailing()));
    assertEquals(lf, parseClean(text.replace("\n", "\r\n").stripTrailing()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vllm.txt",
        "nim.txt",
        "tgi.txt",
        "sglang.txt",
        "llamacpp.txt",
        "dcgm.txt",
        "trtllm.txt"
      })
  void readsEveryPrefixOfEachServerPageAsAPrefixOfItsSamples(String file) {
    String text = page(file);
    List<Sample> all = PrometheusText.parse(text).samples();
    for (int cut = 0; cut <= text.length(); cut++) {
      List<Sample> prefix = PrometheusText.parse(text.substring(0, cut)).samples();
      // A line cut short may still read as a sample with a shorter value; all before it are whole.
      int whole = Math.max(0, prefix.size() - 1);
      assertEquals(all.subList(0, whole), prefix.subList(0, whole), "cut at " + cut);
    }
  }

  @Test
  void readsVllmKvCacheRunningAndWaitingGaugesWithTheirLabelsInPageOrder() {
    Parsed parsed = parseClean(page("vllm.txt"));
    assertEquals(0.4375, value(parsed, "vllm:kv_cache_usage_perc"));
    assertEquals(0.4375, value(parsed, "vllm:gpu_cache_usage_perc"));
    Sample running = only(parsed, "vllm:num_requests_running");
    assertEquals(12.0, running.value());
    assertEquals(List.of("engine", "model_name"), List.copyOf(running.labels().keySet()));
    assertEquals(LLAMA, running.labels().get("model_name"));
    assertNull(running.timestampMillis());
    assertEquals(3.0, value(parsed, "vllm:num_requests_waiting"));
    assertTrue(family(parsed, "vllm:gpu_cache_usage_perc").help().contains("DEPRECATED"));
  }

  @Test
  void groupsVllmCountersWithTheirCreatedSeriesAndHistogramsWithTheirBuckets() {
    Parsed parsed = parseClean(page("vllm.txt"));
    Family promptTokens = family(parsed, "vllm:prompt_tokens_total");
    assertEquals("counter", promptTokens.type());
    assertEquals(
        List.of("vllm:prompt_tokens_total", "vllm:prompt_tokens_created"),
        promptTokens.samples().stream().map(Sample::name).toList());
    assertEquals(1_234_567.0, value(parsed, "vllm:prompt_tokens_total"));
    assertEquals(1.7200314159123456e9, value(parsed, "vllm:prompt_tokens_created"));
    assertEquals(157.0, value(parsed, "vllm:request_success_total", "finished_reason", "length"));

    Family ttft = family(parsed, "vllm:time_to_first_token_seconds");
    assertEquals("histogram", ttft.type());
    assertEquals(16, ttft.samples().size());
    assertEquals(1575.0, value(parsed, "vllm:time_to_first_token_seconds_bucket", "le", "+Inf"));
    assertEquals(388.0, value(parsed, "vllm:time_to_first_token_seconds_bucket", "le", "0.04"));
    assertEquals(1575.0, value(parsed, "vllm:time_to_first_token_seconds_count"));
    assertEquals(98.31270408630371, value(parsed, "vllm:time_to_first_token_seconds_sum"));
    assertEquals(
        List.of("engine", "le", "model_name"),
        List.copyOf(
            only(parsed, "vllm:time_to_first_token_seconds_bucket", "le", "0.1")
                .labels()
                .keySet()));

    assertEquals("27118", only(parsed, "vllm:cache_config_info").labels().get("num_gpu_blocks"));
    assertEquals(3.2172032e9, value(parsed, "process_resident_memory_bytes"));
  }

  @Test
  void readsNimGaugesWithoutAPrefixAndItsHistogramFamilies() {
    Parsed parsed = parseClean(page("nim.txt"));
    assertEquals(
        0.0862, value(parsed, "gpu_cache_usage_perc", "model_name", "meta/llama-3.1-8b-instruct"));
    assertEquals(7.0, value(parsed, "num_requests_running"));
    assertEquals(0.0, value(parsed, "num_requests_waiting"));
    assertEquals(256.0, value(parsed, "num_request_max"));
    assertEquals(4, family(parsed, "request_success_total").samples().size());
    Family ttft = family(parsed, "time_to_first_token_seconds");
    assertEquals("histogram", ttft.type());
    assertEquals(12, ttft.samples().size());
    assertEquals(502.0, value(parsed, "time_to_first_token_seconds_bucket", "le", "+Inf"));
    assertEquals("Histogram of time to first token in seconds.", ttft.help());
  }

  @Test
  void readsTgiQueueAndBatchGaugesFromAPageWithoutHelpLines() {
    Parsed parsed = parseClean(page("tgi.txt"));
    assertEquals(5.0, value(parsed, "tgi_queue_size"));
    assertEquals(16.0, value(parsed, "tgi_batch_current_size"));
    assertEquals(1582.0, value(parsed, "tgi_request_count"));
    assertEquals("counter", family(parsed, "tgi_request_count").type());
    assertNull(family(parsed, "tgi_queue_size").help());
    Sample decodeInf =
        only(parsed, "tgi_batch_forward_duration_bucket", "method", "decode", "le", "+Inf");
    assertEquals(68204.0, decodeInf.value());
    assertEquals(labels("method", "decode", "le", "+Inf"), decodeInf.labels());
    assertEquals(List.of("method", "le"), List.copyOf(decodeInf.labels().keySet()));
    assertEquals(10, family(parsed, "tgi_batch_forward_duration").samples().size());
    assertEquals(5704.218803929, value(parsed, "tgi_request_duration_sum"));
  }

  @Test
  void readsSglangTokenUsageRunningAndQueuedRequests() {
    Parsed parsed = parseClean(page("sglang.txt"));
    assertEquals(
        0.28,
        value(parsed, "sglang:token_usage", "model_name", "meta-llama/Llama-3.1-8B-Instruct"));
    assertEquals(162.0, value(parsed, "sglang:num_running_reqs"));
    assertEquals(12.0, value(parsed, "sglang:num_queue_reqs"));
    assertEquals(8_128_902.0, value(parsed, "sglang:prompt_tokens_total"));
    assertEquals(2.3518979474117756e6, value(parsed, "sglang:time_to_first_token_seconds_sum"));
    assertEquals(10, family(parsed, "sglang:time_to_first_token_seconds").samples().size());
  }

  @Test
  void readsLlamaCppKvCacheRatioAndRequestGaugesWithoutLabels() {
    Parsed parsed = parseClean(page("llamacpp.txt"));
    assertEquals(0.6271, value(parsed, "llamacpp:kv_cache_usage_ratio"));
    assertEquals(4.0, value(parsed, "llamacpp:requests_processing"));
    assertEquals(46.0, value(parsed, "llamacpp:requests_deferred"));
    assertEquals(Map.of(), only(parsed, "llamacpp:requests_deferred").labels());
    assertEquals("counter", family(parsed, "llamacpp:n_busy_slots_per_decode").type());
    assertEquals(
        "KV-cache usage. 1 means 100 percent usage.",
        family(parsed, "llamacpp:kv_cache_usage_ratio").help());
  }

  @Test
  void readsDcgmFieldsPerGpuIncludingBlanksAfterCommasAndTheBlankSentinel() {
    Parsed parsed = parseClean(page("dcgm.txt"));
    Sample util = only(parsed, "DCGM_FI_DEV_GPU_UTIL", "gpu", "0");
    assertEquals(97.0, util.value());
    assertEquals("GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52", util.labels().get("UUID"));
    assertEquals("gpu-node-07", util.labels().get("Hostname"));
    assertEquals("NVIDIA H100 80GB HBM3", util.labels().get("modelName"));
    assertEquals(0.0, value(parsed, "DCGM_FI_DEV_GPU_UTIL", "gpu", "1"));
    assertEquals(76056.0, value(parsed, "DCGM_FI_DEV_FB_USED", "gpu", "0"));
    assertEquals(612.437, value(parsed, "DCGM_FI_DEV_POWER_USAGE", "gpu", "0"));
    assertEquals(
        labels("gpu", "1", "UUID", "GPU-1b4e2a0c-6f2d-9a31-7d5e-3c8f0b9e2a41"),
        only(parsed, "DCGM_FI_DEV_SM_CLOCK", "gpu", "1").labels());
    assertEquals(9.223372036854775794e18, value(parsed, "DCGM_FI_DEV_MEMORY_TEMP", "gpu", "0"));
    assertEquals("counter", family(parsed, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION").type());
    assertEquals(10, parsed.families().size());
  }

  @Test
  void readsTritonTrtLlmKvBlocksRequestCountsAndLatencySummary() {
    Parsed parsed = parseClean(page("trtllm.txt"));
    String blocks = "nv_trt_llm_kv_cache_block_metrics";
    double used = value(parsed, blocks, "kv_cache_block_type", "used");
    double max = value(parsed, blocks, "kv_cache_block_type", "max");
    assertEquals(2808.0, used);
    assertEquals(6240.0, max);
    assertEquals(value(parsed, blocks, "kv_cache_block_type", "fraction"), used / max, 1e-12);
    assertEquals(9.0, value(parsed, "nv_trt_llm_request_metrics", "request_type", "waiting"));
    assertEquals(48.0, value(parsed, "nv_trt_llm_request_metrics", "request_type", "active"));
    Family summary = family(parsed, "nv_inference_queue_summary_us");
    assertEquals("summary", summary.type());
    assertEquals(7, summary.samples().size());
    assertEquals(5203.0, value(parsed, "nv_inference_queue_summary_us", "quantile", "0.99"));
    assertEquals(2310.0, value(parsed, "nv_inference_queue_summary_us_count"));
  }

  // --- The format, one rule at a time ---

  @Test
  void unescapesBackslashQuoteAndNewlineInLabelValues() {
    Parsed parsed =
        parseClean(
            "m{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\",text=\"a\\nb\",braces=\"}{,=\"} 1\n");
    assertEquals(
        labels("path", "C:\\dir", "msg", "say \"hi\"", "text", "a\nb", "braces", "}{,="),
        parsed.samples().get(0).labels());
  }

  @Test
  void unescapesBackslashAndNewlineInHelpAndKeepsOtherBackslashes() {
    Parsed parsed =
        parseClean("# HELP m First line.\\nSecond \\\\ line, \\\"quoted\\\", C:\\temp\nm 1\n");
    assertEquals("First line.\nSecond \\ line, \"quoted\", C:\\temp", family(parsed, "m").help());
  }

  @Test
  void readsHelpWithoutTextAsEmpty() {
    assertEquals("", family(parseClean("# HELP m\nm 1\n"), "m").help());
  }

  @Test
  void readsEmptyLabelSetsTrailingCommasAndBlanksAroundEveryToken() {
    Parsed parsed =
        parseClean(
            """
        a{} 1
        b{x="1",} 2
          c { x = "1" , y="2" , } 3
        d\t{x="1"}\t4\t
        e{x="1"}5
        f 6 \s
        """);
    assertEquals(
        List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
        parsed.samples().stream().map(Sample::value).toList());
    assertEquals(Map.of(), parsed.samples().get(0).labels());
    assertEquals(labels("x", "1"), parsed.samples().get(1).labels());
    assertEquals(labels("x", "1", "y", "2"), parsed.samples().get(2).labels());
  }

  @Test
  void keepsLabelsInPageOrderAndUnmodifiable() {
    Sample sample = parseClean("m{z=\"1\",a=\"2\",m=\"3\"} 1\n").samples().get(0);
    assertEquals(List.of("z", "a", "m"), List.copyOf(sample.labels().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> sample.labels().put("b", "4"));
  }

  @Test
  void copiesTheLabelsGivenToASample() {
    Map<String, String> labels = labels("a", "1");
    Sample sample = new Sample("m", labels, 1, null);
    labels.put("b", "2");
    assertEquals(Map.of("a", "1"), sample.labels());
  }

  @Test
  void readsMetricNamesWithColonsUnderscoresAndDigits() {
    Parsed parsed = parseClean("vllm:num_requests_running 1\n_x:y_9 2\n:leading 3\n");
    assertEquals(
        List.of("vllm:num_requests_running", "_x:y_9", ":leading"),
        parsed.samples().stream().map(Sample::name).toList());
  }

  @Test
  void readsSpecialValuesIntegersAndExponents() {
    Parsed parsed =
        parseClean(
            """
        a NaN
        b +Inf
        c -Inf
        d Inf
        e nan
        f 1.5e-3
        g 42
        h -7
        i 1E+6
        j .5
        k 5.
        l +0.25
        m -Infinity
        n 1.7976931348623157e+308
        """);
    List<Double> values = parsed.samples().stream().map(Sample::value).toList();
    assertEquals(
        List.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.NaN,
            0.0015,
            42.0,
            -7.0,
            1e6,
            0.5,
            5.0,
            0.25,
            Double.NEGATIVE_INFINITY,
            Double.MAX_VALUE),
        values);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x1p3",
        "1d",
        "2f",
        "1_000",
        "1e",
        "e5",
        "--1",
        "1.2.3",
        "Infinityx",
        "+",
        ".",
        "1,5",
        "NaNa"
      })
  void rejectsValuesThatAreNotPrometheusNumbersEvenWhenJavaWouldParseThem(String value) {
    Parsed parsed = PrometheusText.parse("good 1\nbad " + value + "\n");
    assertEquals(1, parsed.samples().size());
    assertEquals(List.of("line 2: value '" + value + "' is not a number"), parsed.errors());
  }

  @Test
  void readsIntegerMillisecondTimestampsInTextFormat004() {
    Parsed parsed = parseClean("a 1 1700000000123\nb{x=\"y\"} 2 -5\nc 3\n");
    assertEquals(1_700_000_000_123L, parsed.samples().get(0).timestampMillis());
    assertEquals(-5L, parsed.samples().get(1).timestampMillis());
    assertNull(parsed.samples().get(2).timestampMillis());
  }

  @Test
  void rejectsFractionalTimestampsWhenThePageHasNoEofLine() {
    Parsed parsed = PrometheusText.parse("a 1 1700000000.5\nb 2 99999999999999999999\n");
    assertEquals(
        List.of(
            "line 1: timestamp '1700000000.5' is not whole milliseconds",
            "line 2: timestamp '99999999999999999999' is out of range"),
        parsed.errors());
  }

  @Test
  void readsOpenMetricsTimestampsAsSecondsAndKeepsMilliseconds() {
    Parsed parsed = parseClean("a 1 1700000000.123\nb 2 1.7e9\nc 3 1700000000\nd 4 -0.25\n# EOF\n");
    assertEquals(
        List.of(1_700_000_000_123L, 1_700_000_000_000L, 1_700_000_000_000L, -250L),
        parsed.samples().stream().map(Sample::timestampMillis).toList());
  }

  @Test
  void readsAnOpenMetricsPageWithUnitsExemplarsAndEveryType() {
    Parsed parsed =
        parseClean(
            """
        # TYPE request_latency_seconds histogram
        # UNIT request_latency_seconds seconds
        # HELP request_latency_seconds Latency with a \\"quote\\".
        request_latency_seconds_bucket{le="0.5"} 3 # {trace_id="4bf92f3577b34da6"} 0.42 1700000000.5
        request_latency_seconds_bucket{le="+Inf"} 4 1700000001.25 # {trace_id="00f067aa0ba902b7"} 2.5
        request_latency_seconds_count 4
        request_latency_seconds_sum 3.1
        request_latency_seconds_created 1700000000.0
        # TYPE tokens counter
        tokens_total 12 # {} 1
        tokens_created 1.7e9
        # TYPE build info
        build_info{version="1.2"} 1
        # TYPE health stateset
        health{health="ok"} 1
        health{health="degraded"} 0
        # TYPE queue gaugehistogram
        queue_bucket{le="1"} 2
        queue_bucket{le="+Inf"} 5
        queue_gcount 5
        queue_gsum 7.5
        # TYPE rpc_duration summary
        rpc_duration{quantile="0.99"} 0.25
        rpc_duration_count 10
        rpc_duration_sum 1.5
        mystery 1
        # EOF
        """);
    assertEquals(
        List.of(
            "request_latency_seconds",
            "tokens",
            "build",
            "health",
            "queue",
            "rpc_duration",
            "mystery"),
        parsed.families().stream().map(Family::name).toList());
    assertEquals(
        List.of("histogram", "counter", "info", "stateset", "gaugehistogram", "summary", "unknown"),
        parsed.families().stream().map(Family::type).toList());
    assertEquals(
        List.of(5, 2, 1, 2, 4, 3, 1),
        parsed.families().stream().map(f -> f.samples().size()).toList());
    Family latency = parsed.families().get(0);
    assertEquals("seconds", latency.unit());
    assertEquals("Latency with a \"quote\".", latency.help());
    assertEquals(
        new Sample("request_latency_seconds_bucket", labels("le", "0.5"), 3, null),
        latency.samples().get(0));
    assertEquals(
        new Sample("request_latency_seconds_bucket", labels("le", "+Inf"), 4, 1_700_000_001_250L),
        latency.samples().get(1));
    assertEquals(12.0, value(parsed, "tokens_total"));
  }

  @Test
  void ignoresExemplarsOnTextFormat004PagesToo() {
    Parsed parsed =
        parseClean("a_bucket{le=\"1\"} 3 # {trace_id=\"x\"} 0.5\nb 2 1700000000000 # {} 1\n");
    assertEquals(List.of(3.0, 2.0), parsed.samples().stream().map(Sample::value).toList());
    assertEquals(1_700_000_000_000L, parsed.samples().get(1).timestampMillis());
  }

  @Test
  void acceptsEveryTypeInAnyCaseAndRejectsOthers() {
    Parsed parsed =
        PrometheusText.parse(
            """
        # TYPE a COUNTER
        # TYPE b Gauge
        # TYPE c histogram
        # TYPE d summary
        # TYPE e untyped
        # TYPE f unknown
        # TYPE g info
        # TYPE h stateset
        # TYPE i gaugehistogram
        # TYPE j timer
        # TYPE a gauge
        # TYPE
        """);
    assertEquals(
        List.of(
            "counter",
            "gauge",
            "histogram",
            "summary",
            "untyped",
            "unknown",
            "info",
            "stateset",
            "gaugehistogram"),
        parsed.families().stream().map(Family::type).toList());
    assertEquals(
        List.of(
            "line 10: unknown type 'timer' for j",
            "line 11: second TYPE for a",
            "line 12: TYPE without a metric name"),
        parsed.errors());
  }

  @Test
  void ignoresCommentsThatAreNotMetadata() {
    Parsed parsed =
        parseClean(
            """
        # A comment.
        # HELPFUL is not HELP
        #
        a 1
          # indented comment
        """);
    assertEquals(1, parsed.samples().size());
    assertNull(parsed.families().get(0).help());
  }

  @Test
  void namesTheLineAndTheReasonOfEachBadLineAndKeepsTheRest() {
    Parsed parsed =
        PrometheusText.parse(
            """
        # TYPE good gauge
        good 1

        bad{x="1" 2
        good 3
        bad{x="\\t"} 4
        bad{x="1",x="2"} 5
        bad{x=1} 6
        bad{,x="1"} 7
        bad{x="1"}
        bad 1 2 3
        bad-name 1
        bad{x="unterminated} 1
        good 4
        """);
    assertEquals(List.of(1.0, 3.0, 4.0), parsed.samples().stream().map(Sample::value).toList());
    assertEquals(
        List.of(
            "line 4: expected , or } after label x, found '2'",
            "line 6: invalid escape \\t in label x",
            "line 7: label x appears twice",
            "line 8: expected \" to open the value of label x, found '1} 6'",
            "line 9: expected a label name, found ',x=\"1\"} 7'",
            "line 10: no value for bad",
            "line 11: unexpected '3' after the timestamp",
            "line 12: unexpected '-name 1' after metric name bad",
            "line 13: value of label x not closed by \""),
        parsed.errors());
  }

  @Test
  void readsNothingFromAnHtmlPageAndSaysWhy() {
    Parsed parsed =
        PrometheusText.parse(
            """
        <!DOCTYPE html>
        <html><head><title>404 Not Found</title></head>
        <body>
        Not Found
        </body></html>
        """);
    assertEquals(List.of(), parsed.samples());
    assertEquals(
        List.of(
            "line 1: expected a metric name, found '<!DOCTYPE html>'",
            "line 2: expected a metric name, found '<html><head><title>404 Not Found</title>...'",
            "line 3: expected a metric name, found '<body>'",
            "line 4: value 'Found' is not a number",
            "line 5: expected a metric name, found '</body></html>'"),
        parsed.errors());
  }

  @Test
  void neverThrowsOnRandomBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[random.nextInt(400)];
      random.nextBytes(bytes);
      Parsed parsed = PrometheusText.parse(bytes);
      assertTrue(parsed.errors().size() <= PrometheusText.MAX_ERRORS + 1);
      assertNoLineWasUnreadable(parsed, bytes.length + " random bytes, seed 42, round " + i);
    }
  }

  @Test
  void neverThrowsOnRandomMixturesOfTheFormatsOwnCharacters() {
    Random random = new Random(7);
    String alphabet = "ab:_{}=\",#\\ \t\n\r.0123456789eE+-InfNa";
    for (int i = 0; i < 20_000; i++) {
      char[] chars = new char[random.nextInt(60)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String page = new String(chars);
      assertNoLineWasUnreadable(PrometheusText.parse(page), page);
    }
  }

  /**
   * The parser turns any exception a line throws into an error entry rather than throwing it, so
   * "never throws" alone cannot fail: a bug would only show as an "unreadable" entry.
   */
  private static void assertNoLineWasUnreadable(Parsed parsed, String input) {
    // Past MAX_ERRORS bad lines the rest are only counted, and could hide one.
    assertTrue(
        parsed.errors().size() <= PrometheusText.MAX_ERRORS,
        "too many bad lines to check: " + input);
    for (String error : parsed.errors()) {
      assertFalse(error.contains("unreadable"), error + " in " + input);
    }
  }

  @Test
  void keepsTheFirstErrorsAndCountsTheRest() {
    Parsed parsed = PrometheusText.parse("<p>\n".repeat(100));
    assertEquals(PrometheusText.MAX_ERRORS + 1, parsed.errors().size());
    assertEquals("line 20: expected a metric name, found '<p>'", parsed.errors().get(19));
    assertEquals("80 more bad lines", parsed.errors().get(20));
  }

  @Test
  void readsNothingAfterEofAndSaysWhereTextFollowedIt() {
    Parsed parsed = PrometheusText.parse("a 1\n# EOF\n\nb 2\nc 3\n");
    assertEquals(1, parsed.samples().size());
    assertEquals(List.of("line 4: text after # EOF is ignored"), parsed.errors());
  }

  @Test
  void readsAnEmptyPageAsNothing() {
    assertEquals(new Parsed(List.of(), List.of(), List.of()), PrometheusText.parse(""));
    assertEquals(new Parsed(List.of(), List.of(), List.of()), PrometheusText.parse("\n\r\n  \n"));
  }

  @Test
  void decodesUtf8BytesAndDropsAByteOrderMark() {
    byte[] bytes = "\uFEFFm{city=\"Zürich\"} 1\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(labels("city", "Zürich"), PrometheusText.parse(bytes).samples().get(0).labels());
  }

  @Test
  void givesSamplesWithoutMetadataAFamilyOfTheirOwn() {
    Parsed parsed = parseClean("x_bucket{le=\"1\"} 1\nx_bucket{le=\"+Inf\"} 2\ny 3\n");
    assertEquals(List.of("x_bucket", "y"), parsed.families().stream().map(Family::name).toList());
    assertEquals(
        List.of("untyped", "untyped"), parsed.families().stream().map(Family::type).toList());
    assertEquals(2, parsed.families().get(0).samples().size());
  }
}
