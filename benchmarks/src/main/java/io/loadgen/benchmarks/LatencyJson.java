package io.loadgen.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/** Writes a histogram of microseconds into the harnesses' JSON as milliseconds. */
final class LatencyJson {
  private LatencyJson() {}

  static void put(ObjectNode parent, String name, Histogram micros) {
    ObjectNode node = parent.putObject(name);
    node.put("count", micros.getTotalCount());
    node.put("p50", micros.getValueAtPercentile(50) / 1e3);
    node.put("p90", micros.getValueAtPercentile(90) / 1e3);
    node.put("p99", micros.getValueAtPercentile(99) / 1e3);
    node.put("max", micros.getMaxValue() / 1e3);
  }
}
