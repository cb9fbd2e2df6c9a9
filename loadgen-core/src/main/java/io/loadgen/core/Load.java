package io.loadgen.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How the server is loaded and for how long it is measured: the load mode, the warm-up, the request
 * count or the measurement window, the objectives for goodput, and the client's event loops. Part
 * of a {@link Profile}; defaults are genai-perf's.
 *
 * @param mode a closed loop of fixed concurrency or an open loop at a request rate
 * @param warmupRequestCount requests sent before measuring, and not measured
 * @param requestCount measured requests to send; 0 for genai-perf's default (see {@link
 *     Profile#effectiveRequestCount()})
 * @param measurementInterval measure the requests sent within this window instead of a count; or
 *     null
 * @param goodput service-level objectives per metric, in the metric's displayed unit: a request is
 *     good when every metric is at most its bound; empty for no goodput
 * @param eventLoops event loops (threads) that carry the streams, each with its own connections; 0
 *     for one per available processor (see {@link Profile#effectiveEventLoops()})
 * @param transport the socket layer
 * @param failedRequestThreshold the share of measured requests, in percent (0 to 100), that may
 *     fail: past it the run stops, counted from the {@value #THRESHOLD_MIN_REQUESTS}th measured
 *     request on, and fails; empty for none (a run then fails when more than half failed)
 * @param benchmarkDuration AIPerf's time-based run: measured requests are sent for this long from
 *     the end of the warm-up, then no more; with a request count too, whichever ends first ends the
 *     sending. Null for none
 * @param benchmarkGracePeriod with a benchmark duration, how long after it the requests still in
 *     flight may finish and be measured; those still open then are cut: closed, counted in {@link
 *     RunSummary#cutCount()}, neither successes nor errors. Null to wait for every one; {@link
 *     #DEFAULT_GRACE_PERIOD} unless set
 * @param requestCancellation the share of measured requests the client cancels, and when; null for
 *     none
 * @param rampUp a warm-up by time instead of a count: over this long the concurrency (or the rate)
 *     grows linearly from nothing to the mode's level, and measuring starts at its end, with the
 *     full load in flight; its requests are never measured. Null for none
 * @param startAt the wall-clock instant before which no request, warm-up included, is sent: the run
 *     prepares (tokenizer, prompts, the check that the targets accept connections), then waits for
 *     it, so that several processes (an Indexed Job's pods) start their load together. Read on
 *     {@link RunOptions#wallClock()}; an instant already past starts at once, with a {@link
 *     RunWarning}. Null to start as soon as the run is prepared. In a {@link Sweep} only the first
 *     level waits: the others follow it
 * @param sessions multi-turn chat sessions instead of single requests (see {@link Sessions}); the
 *     mode is then a closed loop of the session concurrency. Null for none
 */
public record Load(
    LoadMode mode,
    int warmupRequestCount,
    int requestCount,
    Duration measurementInterval,
    Map<Metric, Double> goodput,
    int eventLoops,
    Transport transport,
    OptionalDouble failedRequestThreshold,
    Duration benchmarkDuration,
    Duration benchmarkGracePeriod,
    RequestCancellation requestCancellation,
    Duration rampUp,
    Instant startAt,
    Sessions sessions) {

  /**
   * Measured requests that must have finished before the failure threshold is checked: one early
   * failure in three is no verdict on the server.
   */
  public static final int THRESHOLD_MIN_REQUESTS = 10;

  /** AIPerf's default grace after a benchmark duration. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

  public Load {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(transport, "transport");
    if (warmupRequestCount < 0) {
      throw new ProfileConfigException(
          "warmupRequestCount", "must be 0 or more, got " + warmupRequestCount);
    }
    if (requestCount < 0) {
      throw new ProfileConfigException("requestCount", "must be 0 or more, got " + requestCount);
    }
    if (measurementInterval != null
        && (measurementInterval.isNegative() || measurementInterval.isZero())) {
      throw new ProfileConfigException(
          "measurementInterval", "must be positive, got " + measurementInterval.toMillis() + " ms");
    }
    if (benchmarkDuration != null
        && (benchmarkDuration.isNegative() || benchmarkDuration.isZero())) {
      throw new ProfileConfigException(
          "benchmarkDuration", "must be positive, got " + seconds(benchmarkDuration) + " s");
    }
    if (benchmarkGracePeriod != null && benchmarkGracePeriod.isNegative()) {
      throw new ProfileConfigException(
          "benchmarkGracePeriod", "must be 0 or more, got " + seconds(benchmarkGracePeriod) + " s");
    }
    if (benchmarkDuration != null && measurementInterval != null) {
      throw new ProfileConfigException(
          "benchmarkDuration",
          "and measurementInterval both bound the run by time: set one of them");
    }
    if (rampUp != null && (rampUp.isNegative() || rampUp.isZero())) {
      throw new ProfileConfigException("rampUp", "must be positive, got " + seconds(rampUp) + " s");
    }
    if (rampUp != null && warmupRequestCount > 0) {
      throw new ProfileConfigException(
          "rampUp", "and warmupRequestCount both warm the server up: set one of them");
    }
    Objects.requireNonNull(failedRequestThreshold, "failedRequestThreshold");
    if (failedRequestThreshold.isPresent()
        && !(failedRequestThreshold.getAsDouble() >= 0
            && failedRequestThreshold.getAsDouble() <= 100)) {
      throw new ProfileConfigException(
          "failedRequestThreshold",
          "must be 0 to 100 (percent of measured requests), got "
              + failedRequestThreshold.getAsDouble());
    }
    if (eventLoops < 0) {
      throw new ProfileConfigException(
          "eventLoops", "must be 0 (one per processor) or more, got " + eventLoops);
    }
    goodput.forEach(
        (metric, bound) -> {
          if (!(bound > 0)) {
            throw new ProfileConfigException(
                "goodput", metric.key() + " must be a positive number, got " + bound);
          }
        });
    EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
    copy.putAll(goodput);
    goodput = Collections.unmodifiableMap(copy);
  }

  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
  }

  /** Fills a {@link Load}; {@link Profile.Builder} sets it. */
  static final class Builder {
    private LoadMode mode = new LoadMode.Concurrency(1);
    private int warmupRequestCount;
    private int requestCount;
    private Duration measurementInterval;
    private final Map<Metric, Double> goodput = new EnumMap<>(Metric.class);
    private int eventLoops;
    private Transport transport = Transport.AUTO;
    private OptionalDouble failedRequestThreshold = OptionalDouble.empty();
    private Duration benchmarkDuration;
    private Duration benchmarkGracePeriod = DEFAULT_GRACE_PERIOD;
    private RequestCancellation requestCancellation;
    private Duration rampUp;
    private Instant startAt;
    private Sessions sessions;

    Builder() {}

    Builder(Load l) {
      mode = l.mode;
      warmupRequestCount = l.warmupRequestCount;
      requestCount = l.requestCount;
      measurementInterval = l.measurementInterval;
      goodput.putAll(l.goodput);
      eventLoops = l.eventLoops;
      transport = l.transport;
      failedRequestThreshold = l.failedRequestThreshold;
      benchmarkDuration = l.benchmarkDuration;
      benchmarkGracePeriod = l.benchmarkGracePeriod;
      requestCancellation = l.requestCancellation;
      rampUp = l.rampUp;
      startAt = l.startAt;
      sessions = l.sessions;
    }

    void mode(LoadMode mode) {
      this.mode = Objects.requireNonNull(mode);
    }

    void warmupRequestCount(int count) {
      this.warmupRequestCount = count;
    }

    void requestCount(int count) {
      this.requestCount = count;
    }

    void measurementInterval(Duration interval) {
      this.measurementInterval = interval;
    }

    void goodput(Metric metric, double bound) {
      goodput.put(Objects.requireNonNull(metric), bound);
    }

    void eventLoops(int loops) {
      this.eventLoops = loops;
    }

    void transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport);
    }

    void failedRequestThreshold(OptionalDouble percent) {
      this.failedRequestThreshold = Objects.requireNonNull(percent);
    }

    void benchmarkDuration(Duration duration) {
      this.benchmarkDuration = duration;
    }

    void benchmarkGracePeriod(Duration grace) {
      this.benchmarkGracePeriod = grace;
    }

    void requestCancellation(RequestCancellation cancellation) {
      this.requestCancellation = cancellation;
    }

    void rampUp(Duration ramp) {
      this.rampUp = ramp;
    }

    void sessions(Sessions chat) {
      this.sessions = chat;
    }

    void startAt(Instant instant) {
      this.startAt = instant;
    }

    Load build() {
      return new Load(
          mode,
          warmupRequestCount,
          requestCount,
          measurementInterval,
          goodput,
          eventLoops,
          transport,
          failedRequestThreshold,
          benchmarkDuration,
          benchmarkGracePeriod,
          requestCancellation,
          rampUp,
          startAt,
          sessions);
    }
  }
}
