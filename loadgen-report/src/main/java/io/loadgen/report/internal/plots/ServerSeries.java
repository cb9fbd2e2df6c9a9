package io.loadgen.report.internal.plots;

import java.util.Arrays;

/**
 * One replica's scraped time series from the summary export's {@code server_metrics} section, a
 * value per scrape, index for index; NaN where the server had no such gauge.
 *
 * @param url the replica's metrics endpoint
 * @param seconds each scrape's time since the run's start
 * @param kvCacheUsagePercent the KV-cache usage, 0 to 100
 * @param running the requests the server was running
 * @param waiting the requests it held waiting
 * @param clientInFlight the requests the client had sent and not yet seen finish
 */
public record ServerSeries(
    String url,
    double[] seconds,
    double[] kvCacheUsagePercent,
    double[] running,
    double[] waiting,
    double[] clientInFlight) {

  public ServerSeries {
    int n = seconds.length;
    if (kvCacheUsagePercent.length != n
        || running.length != n
        || waiting.length != n
        || clientInFlight.length != n) {
      throw new IllegalArgumentException("every series needs one value per scrape");
    }
    seconds = seconds.clone();
    kvCacheUsagePercent = kvCacheUsagePercent.clone();
    running = running.clone();
    waiting = waiting.clone();
    clientInFlight = clientInFlight.clone();
  }

  public int size() {
    return seconds.length;
  }

  @Override
  public double[] seconds() {
    return seconds.clone();
  }

  @Override
  public double[] kvCacheUsagePercent() {
    return kvCacheUsagePercent.clone();
  }

  @Override
  public double[] running() {
    return running.clone();
  }

  @Override
  public double[] waiting() {
    return waiting.clone();
  }

  @Override
  public double[] clientInFlight() {
    return clientInFlight.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServerSeries that
        && url.equals(that.url)
        && Arrays.equals(seconds, that.seconds)
        && Arrays.equals(kvCacheUsagePercent, that.kvCacheUsagePercent)
        && Arrays.equals(running, that.running)
        && Arrays.equals(waiting, that.waiting)
        && Arrays.equals(clientInFlight, that.clientInFlight);
  }

  @Override
  public int hashCode() {
    return url.hashCode() * 31 + Arrays.hashCode(seconds);
  }

  @Override
  public String toString() {
    return "ServerSeries[" + url + ", " + seconds.length + " scrapes]";
  }
}
