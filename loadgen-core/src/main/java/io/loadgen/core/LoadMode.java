package io.loadgen.core;

/**
 * How requests are offered to the server: a closed loop that keeps a fixed number in flight, or an
 * open loop that sends on a schedule whatever the server does.
 */
public sealed interface LoadMode {

  /** perf_analyzer's name of the mode, by which genai-perf exports and names folders. */
  String key();

  /**
   * The load level: the concurrency, an {@link Integer}; or the rate, a {@link Double} per second.
   */
  Number level();

  /**
   * The most requests the mode itself ever has in flight: the concurrency; for an open loop its
   * cap, or {@link Integer#MAX_VALUE} without one, since its schedule does not wait for responses.
   */
  int inFlightLimit();

  /**
   * The level by which genai-perf sizes a run with no request count (twice it, at least 10): the
   * concurrency, or the rate rounded up.
   */
  int defaultRequestCountUnit();

  /**
   * Closed loop: exactly {@code concurrency} requests in flight; each finished request is replaced
   * at once. Latency is measured from the actual send.
   */
  record Concurrency(int concurrency) implements LoadMode {
    /**
     * The most requests one loadgen process keeps in flight: each holds a connection (a file
     * descriptor and Netty's buffers), and past this a process runs out of one or the other; a
     * larger load takes several loadgen processes.
     */
    public static final int MAX_CONCURRENCY = 100_000;

    public Concurrency {
      if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
        throw new ProfileConfigException(
            "concurrency",
            "must be 1 to " + MAX_CONCURRENCY + " (one process's connections), got " + concurrency);
      }
    }

    @Override
    public String key() {
      return "concurrency";
    }

    @Override
    public Number level() {
      return concurrency;
    }

    @Override
    public int inFlightLimit() {
      return concurrency;
    }

    @Override
    public int defaultRequestCountUnit() {
      return concurrency;
    }
  }

  /**
   * Open loop: requests are sent at {@code requestsPerSecond} on average, on a schedule fixed in
   * advance, however many are in flight. Every latency is measured from the <em>intended</em> send
   * time, so a server (or client) stall shows in the figures instead of being hidden by a late send
   * (no coordinated omission, as in wrk2). {@code burstiness} is the shape of {@link
   * Arrivals#GAMMA} gaps, and 1 for the other arrivals.
   *
   * <p>{@code maxConcurrency}, when above 0, caps the requests in flight (AIPerf's request rate
   * with max concurrency): an arrival that finds every slot taken waits for one and goes when one
   * frees, its intended time unchanged, so the wait is in its latencies, and is reported apart as
   * {@link Metric#SLOT_WAIT}. Without a cap (0) the schedule never waits.
   */
  record RequestRate(
      double requestsPerSecond, Arrivals arrivals, double burstiness, int maxConcurrency)
      implements LoadMode {
    /**
     * The lowest rate: one request every 1,000 s. Slower rates measure nothing in any run one would
     * wait for, and their gaps (1e9 / rate ns) would leave the range of a nanosecond clock.
     */
    public static final double MIN_REQUESTS_PER_SECOND = 1e-3;

    /** The highest rate: a million requests a second, far past what one process can send. */
    public static final double MAX_REQUESTS_PER_SECOND = 1e6;

    /**
     * The burstiest gamma arrivals: a shape of 0.001 sends nearly all requests in rare bursts;
     * below it gaps underflow to 0 and the rate would no longer hold.
     */
    public static final double MIN_BURSTINESS = 1e-3;

    /** The most regular gamma arrivals, near constant spacing. */
    public static final double MAX_BURSTINESS = 1e3;

    public RequestRate {
      if (!(requestsPerSecond >= MIN_REQUESTS_PER_SECOND
          && requestsPerSecond <= MAX_REQUESTS_PER_SECOND)) {
        throw new ProfileConfigException(
            "requestRate",
            "must be 0.001 to 1000000 requests per second, got " + requestsPerSecond);
      }
      if (arrivals == null) {
        throw new ProfileConfigException("arrivals", "must be constant, poisson or gamma");
      }
      if (!(burstiness >= MIN_BURSTINESS && burstiness <= MAX_BURSTINESS)) {
        throw new ProfileConfigException(
            "burstiness", "must be 0.001 to 1000 (1 is Poisson), got " + burstiness);
      }
      if (burstiness != 1.0 && arrivals != Arrivals.GAMMA) {
        throw new ProfileConfigException(
            "burstiness",
            "applies to gamma arrivals only, got " + burstiness + " with " + arrivals);
      }
      if (maxConcurrency < 0 || maxConcurrency > Concurrency.MAX_CONCURRENCY) {
        throw new ProfileConfigException(
            "concurrency",
            "caps a request rate at 1 to "
                + Concurrency.MAX_CONCURRENCY
                + " in flight (0 for no cap), got "
                + maxConcurrency);
      }
    }

    /** Arrivals of any shape, with no cap on the requests in flight. */
    public RequestRate(double requestsPerSecond, Arrivals arrivals, double burstiness) {
      this(requestsPerSecond, arrivals, burstiness, 0);
    }

    /** Evenly spaced or Poisson arrivals, whose burstiness is 1, with no cap. */
    public RequestRate(double requestsPerSecond, Arrivals arrivals) {
      this(requestsPerSecond, arrivals, 1.0, 0);
    }

    /** This rate with at most {@code cap} requests in flight (0 for none). */
    public RequestRate withMaxConcurrency(int cap) {
      return new RequestRate(requestsPerSecond, arrivals, burstiness, cap);
    }

    /** Whether {@link #maxConcurrency} caps the requests in flight. */
    public boolean capped() {
      return maxConcurrency > 0;
    }

    @Override
    public String key() {
      return "request_rate";
    }

    @Override
    public Number level() {
      return requestsPerSecond;
    }

    @Override
    public int inFlightLimit() {
      return capped() ? maxConcurrency : Integer.MAX_VALUE;
    }

    @Override
    public int defaultRequestCountUnit() {
      return (int) Math.min(Integer.MAX_VALUE / 2, Math.ceil(requestsPerSecond));
    }
  }

  /** The spacing of open-loop sends. */
  enum Arrivals {
    /** Evenly spaced, 1/rate apart. */
    CONSTANT,
    /** A Poisson process: exponentially distributed gaps with mean 1/rate, from the run's seed. */
    POISSON,
    /**
     * Gamma-distributed gaps with mean 1/rate, shape {@code burstiness} and scale {@code 1 / (rate
     * x burstiness)}, as vLLM's benchmark draws them: a burstiness of 1 is Poisson, lower is
     * burstier (the same mean rate in clumps), higher more regular. From the run's seed.
     */
    GAMMA
  }
}
