package io.loadgen.core;

/**
 * How requests are offered to the server: a closed loop that keeps a fixed number in flight, or an
 * open loop that sends on a schedule whatever the server does.
 */
public sealed interface LoadMode {

  /**
   * Closed loop: exactly {@code concurrency} requests in flight; each finished request is replaced
   * at once. Latency is measured from the actual send.
   */
  record Concurrency(int concurrency) implements LoadMode {
    public Concurrency {
      if (concurrency < 1) {
        throw new ProfileConfigException("--concurrency must be at least 1, got " + concurrency);
      }
    }
  }

  /**
   * Open loop: requests are sent at {@code requestsPerSecond} on average, on a schedule fixed in
   * advance, however many are in flight. Every latency is measured from the <em>intended</em> send
   * time, so a server (or client) stall shows in the figures instead of being hidden by a late send
   * (no coordinated omission, as in wrk2).
   */
  record RequestRate(double requestsPerSecond, Arrivals arrivals) implements LoadMode {
    public RequestRate {
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new ProfileConfigException(
            "--request-rate must be a positive number of requests per second, got "
                + requestsPerSecond);
      }
      if (arrivals == null) {
        throw new ProfileConfigException("request-rate arrivals must be constant or poisson");
      }
    }
  }

  /** The spacing of open-loop sends. */
  enum Arrivals {
    /** Evenly spaced, 1/rate apart. */
    CONSTANT,
    /** A Poisson process: exponentially distributed gaps with mean 1/rate, from the run's seed. */
    POISSON
  }
}
