package io.loadgen.core;

import java.util.Locale;

/** A statistic of a metric's distribution, in the order genai-perf exports them. */
public enum Statistic {
  AVG,
  P1,
  P5,
  P10,
  P25,
  P50,
  P75,
  P90,
  P95,
  P99,
  MIN,
  MAX,
  STD;

  /** The name genai-perf's exports use: {@code avg}, {@code p99}, {@code std}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The statistic of that export name.
   *
   * @throws ProfileConfigException for any other name
   */
  public static Statistic fromKey(String key) {
    for (Statistic statistic : values()) {
      if (statistic.key().equals(key)) {
        return statistic;
      }
    }
    throw new ProfileConfigException(
        "statistic",
        "'"
            + key
            + "' is not one of avg, min, max, std, p1, p5, p10, "
            + "p25, p50, p75, p90, p95, p99");
  }
}
