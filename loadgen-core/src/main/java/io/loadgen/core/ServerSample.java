package io.loadgen.core;

import java.util.Map;

/**
 * One scrape of a server's Prometheus endpoint, with the client's own state at that instant, so the
 * server's gauges can be read against the load that produced them.
 *
 * @param offsetMillis when the scrape's answer arrived, from the start of the measured run
 * @param kvCacheUsage the KV-cache gauge, as a fraction 0..1, or NaN when the page had none
 * @param running requests the server says it is running, or NaN
 * @param waiting requests the server says are queued, or NaN
 * @param gpus DCGM-exporter telemetry by {@code gpu} label; empty when the page had none
 * @param clientInFlight requests the client had in flight
 * @param clientSent requests the client had sent since the run started, warm-up included
 * @param clientTokensPerSecond streamed responses received per second since the previous scrape
 */
public record ServerSample(
    long offsetMillis,
    double kvCacheUsage,
    double running,
    double waiting,
    Map<String, GpuTelemetry> gpus,
    int clientInFlight,
    long clientSent,
    double clientTokensPerSecond) {

  /**
   * A GPU's DCGM-exporter fields; NaN where the page had none.
   *
   * @param utilizationPercent {@code DCGM_FI_DEV_GPU_UTIL}
   * @param memoryUsedMib {@code DCGM_FI_DEV_FB_USED}
   * @param powerWatts {@code DCGM_FI_DEV_POWER_USAGE}
   */
  public record GpuTelemetry(double utilizationPercent, double memoryUsedMib, double powerWatts) {}
}
