package io.loadgen.autoscale.internal;

import io.loadgen.autoscale.AutoscaleException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How plans write numbers and names: one place, so the console, JSON and YAML agree. */
public final class Plans {
  private Plans() {}

  /**
   * A number without trailing zeros, to 1 decimal from 1000, 2 from 1, 4 from 0.01, else 6: 312.5,
   * 0.1833, 165.
   */
  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "N/A";
    }
    double magnitude = Math.abs(value);
    int decimals = magnitude >= 1000 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.01 ? 4 : 6;
    BigDecimal rounded =
        new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
  }

  /** A gauge's 0..1 value with its milli-units: {@code 0.2080 (208m)}. */
  public static String usage(double value) {
    if (Double.isNaN(value)) {
      return "N/A";
    }
    return String.format(Locale.ROOT, "%.4f (%.0fm)", value, value * 1000);
  }

  /**
   * The name prometheus-adapter serves a gauge under: its own, with colons (which Prometheus keeps
   * for recording rules) as underscores: {@code vllm:kv_cache_usage_perc} is served as {@code
   * vllm_kv_cache_usage_perc}.
   *
   * @throws AutoscaleException for TGI's metrics, none of which is a KV-cache gauge
   */
  public static String servedName(String metric) {
    if (metric.startsWith("tgi_")) {
      throw new AutoscaleException(
          "TGI writes no KV-cache usage gauge ("
              + metric
              + " is not one): an HPA on TGI needs another metric, as tgi_queue_size");
    }
    if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new AutoscaleException("'" + metric + "' is not a Prometheus metric name");
    }
    return metric.replace(':', '_');
  }

  /**
   * A Kubernetes name for the Deployment of {@code model}: {@code meta/llama3-8b} is {@code
   * llama3-8b}.
   */
  public static String deploymentName(String model) {
    if (model == null) {
      return "llm";
    }
    String last = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String name = last.replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (name.length() > 63) {
      name = name.substring(0, 63).replaceAll("-+$", "");
    }
    return name.isEmpty() ? "llm" : name;
  }
}
