package io.loadgen.core.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes parse without an exception, into samples and errors the documented way (at most {@link
 * PrometheusText#MAX_ERRORS} errors and a line counting the rest). Seeds in {@code
 * PrometheusTextFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
class PrometheusTextFuzzTest {
  @FuzzTest
  void parsesAnyPageWithoutThrowing(byte[] page) {
    PrometheusText.Parsed parsed = PrometheusText.parse(page);
    assertTrue(parsed.errors().size() <= PrometheusText.MAX_ERRORS + 1, parsed.errors().toString());
    for (PrometheusText.Family family : parsed.families()) {
      assertTrue(family.samples().stream().allMatch(parsed.samples()::contains), family.name());
    }
  }
}
