package io.loadgen.cli;

import io.loadgen.core.LoadMode;
import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileConfigException;
import io.loadgen.core.Sessions;
import io.loadgen.core.Transport;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code profile}'s flags for how the server is loaded, for how long, and what counts as good. */
final class LoadOptions {
  @Option(
      names = "--concurrency",
      paramLabel = "N[,N...]",
      split = ",",
      description = {
        "Closed loop: keep N requests in flight, 1 to 100,000 (default: 1 when no --request-rate).",
        "A list (100,200,300) runs each level in turn and writes a sweep summary.",
        "With --request-rate: at most N in flight (AIPerf's max concurrency); an arrival that finds"
            + " none free waits for one, and the wait is in its latencies and reported as slot wait."
      })
  List<Integer> concurrency;

  @Option(
      names = "--request-rate",
      paramLabel = "R[,R...]",
      split = ",",
      description = {
        "Open loop: send R requests per second, 0.001 to 1,000,000; latency is measured from the "
            + "intended send time.",
        "A list runs each rate in turn, as --concurrency does."
      })
  List<Double> requestRate;

  @Option(
      names = "--request-distribution",
      paramLabel = "constant|poisson|gamma",
      defaultValue = "constant",
      description =
          "Arrivals for --request-rate (default: ${DEFAULT-VALUE}; perf_analyzer's flag); gamma "
              + "takes --burstiness.")
  String requestDistribution;

  @Option(
      names = "--burstiness",
      paramLabel = "B",
      description = {
        "Shape of gamma arrivals (vLLM bench's flag), 0.001 to 1000: 1 is Poisson, lower is "
            + "burstier, higher more regular; the mean rate stays --request-rate (default: 1).",
        "Implies --request-distribution gamma."
      })
  Double burstiness;

  @Option(
      names = "--failed-request-threshold",
      paramLabel = "PCT",
      description = {
        "Stop the run, and exit 1, once more than PCT percent (0 to 100) of its measured requests "
            + "failed, checked from the 10th on; the exports hold what was measured. Without it a "
            + "run fails, at its end, when more than half failed."
      })
  Double failedRequestThreshold;

  @Option(
      names = "--start-at",
      paramLabel = "TIME",
      description = {
        "Prepare (tokenizer, prompts, the check that the server accepts connections), then send "
            + "nothing, warm-up included, before this wall-clock time: an ISO-8601 instant "
            + "(2026-12-02T14:00:00Z, or with an offset) or epoch seconds. Pods given one time "
            + "start their load together; a time past starts at once, with a note. In a sweep "
            + "the first level waits."
      })
  String startAt;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      defaultValue = "0",
      description = {
        "Event loops (threads) that carry the streams, each with its own connections; "
            + "0 for one per processor (default: ${DEFAULT-VALUE}). Never more than the concurrency."
      })
  int eventLoops;

  @Option(
      names = "--transport",
      paramLabel = "auto|epoll|io_uring|nio",
      defaultValue = "auto",
      description =
          "The socket layer: Linux's native epoll (auto's choice) or io_uring, or Java NIO; "
              + "NIO where a native one cannot load (default: ${DEFAULT-VALUE}).")
  String transport;

  @Option(
      names = {"--request-count", "--num-requests"},
      paramLabel = "N",
      defaultValue = "0",
      description = "Measured requests (default: max(10, 2 x concurrency)).")
  int requestCount;

  @Option(
      names = {"--warmup-request-count", "--num-warmup-requests"},
      paramLabel = "N",
      defaultValue = "0",
      description = "Requests sent before measuring, not measured (default: ${DEFAULT-VALUE}).")
  int warmupRequestCount;

  @Option(
      names = {"-p", "--measurement-interval"},
      paramLabel = "MS",
      description =
          "Measure for this many ms instead of a request count (requests sent in the window are measured).")
  Long measurementIntervalMillis;

  @Option(
      names = "--num-sessions",
      paramLabel = "N",
      description = {
        "Multi-turn chat (genai-perf's flag): N sessions, each of --session-turns-mean turns;"
            + " every turn sends the conversation so far, the server's answers included, and a new"
            + " user message. Chat only; the load is --session-concurrency sessions."
      })
  Integer numSessions;

  @Option(
      names = "--session-concurrency",
      paramLabel = "N",
      description =
          "Sessions under way at once (default: 1); a session between turns keeps its slot.")
  Integer sessionConcurrency;

  @Option(
      names = "--session-turns-mean",
      paramLabel = "N",
      description = "Mean turns per session (default: 1).")
  Double sessionTurnsMean;

  @Option(
      names = "--session-turns-stddev",
      paramLabel = "N",
      description = "Standard deviation of the turns per session (default: 0).")
  Double sessionTurnsStddev;

  @Option(
      names = "--session-turn-delay-mean",
      paramLabel = "MS",
      description = "Mean wait after an answer before the session's next turn, in ms (default: 0).")
  Double sessionTurnDelayMean;

  @Option(
      names = "--session-turn-delay-stddev",
      paramLabel = "MS",
      description = "Standard deviation of that wait, in ms (default: 0).")
  Double sessionTurnDelayStddev;

  @Option(
      names = "--ramp-up",
      paramLabel = "SECONDS",
      description = {
        "Warm up by growing the concurrency (or the rate) linearly from nothing to its level over"
            + " this many seconds; measuring starts at the end, at full load. In place of"
            + " --warmup-request-count."
      })
  Double rampUpSeconds;

  @Option(
      names = "--benchmark-duration",
      paramLabel = "SECONDS",
      description = {
        "AIPerf's time-based run: send measured requests for this many seconds (after the warm-up),"
            + " then stop sending; with --request-count, whichever comes first."
      })
  Double benchmarkDurationSeconds;

  @Option(
      names = "--benchmark-grace-period",
      paramLabel = "SECONDS",
      description = {
        "After --benchmark-duration, wait this long for the requests in flight (default: 30; inf"
            + " waits for all). Those still open then are cut: closed, counted apart, neither"
            + " successes nor errors."
      })
  String benchmarkGracePeriod;

  @Option(
      names = "--request-cancellation-rate",
      paramLabel = "PCT",
      description = {
        "Cancel this percent (0 to 100) of the measured requests, closing their connections as"
            + " users who leave do (AIPerf's flag); chosen by --random-seed. They are counted apart,"
            + " neither successes nor errors."
      })
  Double requestCancellationRate;

  @Option(
      names = "--request-cancellation-delay",
      paramLabel = "SECONDS",
      description = {
        "How long after a chosen request was sent (its last byte written) it is cancelled, unless"
            + " it has finished (default: 0, at once)."
      })
  Double requestCancellationDelaySeconds;

  @Option(
      names = {"-s", "--stability-percentage"},
      paramLabel = "PCT",
      description = "Accepted for compatibility; loadgen measures one window.")
  Double stabilityPercentage;

  @Option(
      names = {"--goodput", "-g"},
      arity = "1..*",
      paramLabel = "METRIC:VALUE",
      description =
          "Service-level objectives for goodput, e.g. time_to_first_token:100 request_latency:2000 "
              + "(ms; tokens/sec/user for output_token_throughput_per_user).")
  List<String> goodput = new ArrayList<>();

  /**
   * The levels to run: each of a {@code --concurrency} or {@code --request-rate} list, else
   * concurrency 1. perf_analyzer's {@code --request-distribution} after {@code --} wins over ours.
   */
  List<LoadMode> levels(PerfAnalyzerArgs passthrough) {
    if (numSessions != null) {
      if (concurrency != null || requestRate != null) {
        throw new ProfileConfigException(
            "--session-concurrency sets the load of a sessions run: leave out --concurrency and"
                + " --request-rate");
      }
      return List.of(new LoadMode.Concurrency(sessionConcurrency == null ? 1 : sessionConcurrency));
    }
    if (sessionConcurrency != null
        || sessionTurnsMean != null
        || sessionTurnsStddev != null
        || sessionTurnDelayMean != null
        || sessionTurnDelayStddev != null) {
      throw new ProfileConfigException(
          "the --session-* flags shape the sessions of --num-sessions, which is not set");
    }
    if (concurrency != null && requestRate != null && concurrency.size() > 1) {
      throw new ProfileConfigException(
          "with --request-rate, --concurrency is one cap on the requests in flight, not a list");
    }
    List<LoadMode> levels = new ArrayList<>();
    if (requestRate != null) {
      String distribution =
          passthrough.requestDistribution() != null
              ? passthrough.requestDistribution()
              : burstiness != null && requestDistribution.equals("constant")
                  ? "gamma"
                  : requestDistribution;
      LoadMode.Arrivals arrivals = arrivals(distribution);
      if (burstiness != null && arrivals != LoadMode.Arrivals.GAMMA) {
        throw new ProfileConfigException(
            "--burstiness shapes gamma arrivals, not " + distribution + " ones");
      }
      double shape = burstiness == null ? 1.0 : burstiness;
      // AIPerf's request rate with max concurrency: the rate, never more than the cap in flight.
      int cap =
          concurrency == null ? 0 : new LoadMode.Concurrency(concurrency.get(0)).concurrency();
      requestRate.forEach(rate -> levels.add(new LoadMode.RequestRate(rate, arrivals, shape, cap)));
    } else if (burstiness != null) {
      throw new ProfileConfigException("--burstiness shapes the arrivals of --request-rate");
    } else if (concurrency != null) {
      concurrency.forEach(c -> levels.add(new LoadMode.Concurrency(c)));
    } else {
      levels.add(new LoadMode.Concurrency(1));
    }
    return levels;
  }

  private Duration benchmarkDuration() {
    if (benchmarkDurationSeconds == null) {
      if (benchmarkGracePeriod != null) {
        throw new ProfileConfigException(
            "--benchmark-grace-period needs --benchmark-duration: it is the wait after it");
      }
      return null;
    }
    if (!(benchmarkDurationSeconds > 0) || Double.isInfinite(benchmarkDurationSeconds)) {
      throw new ProfileConfigException(
          "--benchmark-duration must be a positive number of seconds, got "
              + benchmarkDurationSeconds);
    }
    return Duration.ofNanos(Math.round(benchmarkDurationSeconds * 1e9));
  }

  /** Seconds, or AIPerf's {@code inf} (null: wait for every request). */
  private static Duration gracePeriod(String value) {
    if (value.equalsIgnoreCase("inf")) {
      return null;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new ProfileConfigException(
          "--benchmark-grace-period must be 0 or more seconds, or inf, got '" + value + "'");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** Sets everything but the level, which {@link #levels} gives. */
  void applyTo(Profile.Builder builder) {
    if (measurementIntervalMillis != null && measurementIntervalMillis <= 0) {
      throw new ProfileConfigException("-p/--measurement-interval must be a positive number of ms");
    }
    if (numSessions != null) {
      builder.sessions(
          new Sessions(
              numSessions,
              sessionConcurrency == null ? 1 : sessionConcurrency,
              sessionTurnsMean == null ? 1 : sessionTurnsMean,
              sessionTurnsStddev == null ? 0 : sessionTurnsStddev,
              sessionTurnDelayMean == null ? 0 : sessionTurnDelayMean,
              sessionTurnDelayStddev == null ? 0 : sessionTurnDelayStddev));
    }
    builder.benchmarkDuration(benchmarkDuration());
    if (rampUpSeconds != null) {
      if (!(rampUpSeconds > 0) || Double.isInfinite(rampUpSeconds)) {
        throw new ProfileConfigException(
            "--ramp-up must be a positive number of seconds, got " + rampUpSeconds);
      }
      builder.rampUp(Duration.ofNanos(Math.round(rampUpSeconds * 1e9)));
    }
    if (requestCancellationRate != null) {
      double delay = requestCancellationDelaySeconds == null ? 0 : requestCancellationDelaySeconds;
      if (!(delay >= 0) || Double.isInfinite(delay)) {
        throw new ProfileConfigException(
            "--request-cancellation-delay must be 0 or more seconds, got " + delay);
      }
      builder.requestCancellation(
          requestCancellationRate, Duration.ofNanos(Math.round(delay * 1e9)));
    } else if (requestCancellationDelaySeconds != null) {
      throw new ProfileConfigException(
          "--request-cancellation-delay needs --request-cancellation-rate: which requests to cancel");
    }
    if (benchmarkGracePeriod != null) {
      builder.benchmarkGracePeriod(gracePeriod(benchmarkGracePeriod));
    }
    builder
        .requestCount(requestCount)
        .warmupRequestCount(warmupRequestCount)
        .measurementInterval(
            measurementIntervalMillis == null ? null : Duration.ofMillis(measurementIntervalMillis))
        .eventLoops(eventLoops)
        .transport(transport(transport));
    if (failedRequestThreshold != null) {
      builder.failedRequestThreshold(failedRequestThreshold);
    }
    if (startAt != null) {
      builder.startAt(instant(startAt));
    }
    for (String objective : goodput) {
      int colon = objective.indexOf(':');
      if (colon <= 0) {
        throw new ProfileConfigException(
            "--goodput must be metric:value, e.g. time_to_first_token:100; got '"
                + objective
                + "'");
      }
      Metric metric = Metric.fromKey(objective.substring(0, colon).trim());
      String value = objective.substring(colon + 1).trim();
      try {
        builder.goodput(metric, Double.parseDouble(value));
      } catch (NumberFormatException e) {
        throw new ProfileConfigException(
            "--goodput " + metric.key() + ": '" + value + "' is not a number");
      }
    }
  }

  void ignored(Map<String, Boolean> notes) {
    notes.put("-s/--stability-percentage", stabilityPercentage != null);
  }

  /** An ISO-8601 instant (Z or an offset) or epoch seconds, as --start-at takes it. */
  static Instant instant(String text) {
    String value = text.trim();
    try {
      if (value.matches("\\d{1,12}(\\.\\d{1,9})?")) {
        BigDecimal seconds = new BigDecimal(value);
        return Instant.ofEpochSecond(
            seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new ProfileConfigException(
          "--start-at must be an ISO-8601 instant such as 2026-12-02T14:00:00Z, or epoch "
              + "seconds; got '"
              + text
              + "'");
    }
  }

  private static Transport transport(String name) {
    try {
      return Transport.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProfileConfigException(
          "--transport must be auto, epoll, io_uring or nio, got '" + name + "'");
    }
  }

  private static LoadMode.Arrivals arrivals(String name) {
    try {
      return LoadMode.Arrivals.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProfileConfigException(
          "--request-distribution must be constant, poisson or gamma, got '" + name + "'");
    }
  }
}
