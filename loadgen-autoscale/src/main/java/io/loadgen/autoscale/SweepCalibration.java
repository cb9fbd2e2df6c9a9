package io.loadgen.autoscale;

import io.loadgen.autoscale.MeasuredSweep.Level;
import io.loadgen.autoscale.internal.Plans;
import io.loadgen.sim.EngineSpec;
import io.loadgen.sim.SimConfigException;
import io.loadgen.sim.SimOverrides;
import io.loadgen.sim.SimPreset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A simulator engine fitted to a sweep of one real replica, so that a simulated pod stands in for
 * the measured server. From a base preset (its block size, batch limits and cost per cached token
 * are kept), three things are fitted:
 *
 * <ul>
 *   <li><b>KV blocks</b>: a request holding {@code ISL + j} tokens at its j-th step (j = 1 to OSL,
 *       as the engine reserves them) holds on average {@code b = mean_j ceil((ISL + j) / block
 *       size)} blocks; the sweep's KV usage per running request {@code u} (its fit through the
 *       origin, or per request in flight without a running gauge) makes the cache {@code b / u}
 *       blocks.
 *   <li><b>Decode step</b>: the levels' ITL p50 against requests in flight (less those the server
 *       said were waiting, which are not in the batch), a least-squares line {@code a + s x n}: the
 *       fixed step cost is {@code a}, the cost per sequence {@code s - c x (ISL + OSL / 2)}, {@code
 *       c} the base's cost per cached token (a sequence holds about that many tokens). In a closed
 *       loop the batch a token is decoded in is the concurrency, which the client's in-flight count
 *       is, and which the server's time-averaged running count understates (it counts the gaps
 *       between a finished request and the next). Prefills of other requests that fall in a step
 *       are absorbed into the cost per sequence.
 *   <li><b>Prefill</b>: at the lowest level, the fastest first tokens (TTFT p1) are those that
 *       waited for no step: one step with the prompt prefilled, so {@code (TTFT p1 - ITL p50) /
 *       ISL} a prompt token. It is the least certain figure (TTFT also holds the HTTP exchange).
 * </ul>
 *
 * {@link #report()} lists each level's measured and fitted figures and the residuals.
 */
public final class SweepCalibration {
  /** One level's measured and fitted value: ITL p50 in ms, or KV usage 0..1. */
  public record Point(String level, double requestsInFlight, double measured, double fitted) {
    /** Measured minus fitted. */
    public double residual() {
      return measured - fitted;
    }
  }

  private final SimPreset preset;
  private final SimOverrides overrides;
  private final double blocksPerRequest;
  private final List<Point> itlPoints;
  private final List<Point> kvPoints;
  private final String report;

  private SweepCalibration(
      SimPreset preset,
      SimOverrides overrides,
      double blocksPerRequest,
      List<Point> itlPoints,
      List<Point> kvPoints,
      String report) {
    this.preset = preset;
    this.overrides = overrides;
    this.blocksPerRequest = blocksPerRequest;
    this.itlPoints = List.copyOf(itlPoints);
    this.kvPoints = List.copyOf(kvPoints);
    this.report = report;
  }

  /**
   * Fits {@code base}'s engine to {@code sweep}.
   *
   * @throws AutoscaleException when the sweep has fewer than two levels with an ITL, no token
   *     lengths, no KV usage per request, or the fitted step would take no time
   */
  public static SweepCalibration fit(MeasuredSweep sweep, SimPreset base) {
    EngineSpec engine = base.engine();
    Level lowest = sweep.levels().get(0);
    double isl = lowest.inputTokensMean();
    double osl = lowest.outputTokensMean();
    if (!(isl > 0) || !(osl >= 1)) {
      throw new AutoscaleException(
          "the sweep in "
              + sweep.directory()
              + " has no input and output lengths to fit the KV cache with");
    }
    // KV blocks.
    long inputTokens = Math.round(isl);
    long outputTokens = Math.max(1, Math.round(osl));
    double blockSum = 0;
    for (long j = 1; j <= outputTokens; j++) {
      blockSum += engine.blocksFor(inputTokens + j);
    }
    double blocksPerRequest = blockSum / outputTokens;
    boolean perRunning = sweep.kvUsagePerRunningRequest() > 0;
    double usagePerRequest =
        perRunning ? sweep.kvUsagePerRunningRequest() : sweep.kvUsagePerRequestInFlight();
    if (!(usagePerRequest > 0)) {
      throw new AutoscaleException(
          "the sweep in " + sweep.directory() + " has no KV-cache usage per request to fit with");
    }
    long kvBlocks = Math.max(1, Math.round(blocksPerRequest / usagePerRequest));

    // Decode step: ITL p50 = a + s x in flight.
    List<double[]> xy = new ArrayList<>();
    List<Level> used = new ArrayList<>();
    for (Level level : sweep.levels()) {
      double n = batch(sweep, level);
      double itl = sweep.metric(level, "inter_token_latency", "p50");
      if (!Double.isNaN(n) && !Double.isNaN(itl)) {
        xy.add(new double[] {n, itl});
        used.add(level);
      }
    }
    if (xy.size() < 2) {
      throw new AutoscaleException(
          "the sweep in "
              + sweep.directory()
              + " has "
              + xy.size()
              + " level(s) with an inter-token latency: fitting the decode step needs two");
    }
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      mx += p[0] / xy.size();
      my += p[1] / xy.size();
    }
    double sxy = 0;
    double sxx = 0;
    for (double[] p : xy) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    if (sxx == 0) {
      throw new AutoscaleException(
          "the sweep's levels all had the same requests in flight: the decode step cannot be fitted");
    }
    double slopeMillis = Math.max(0, sxy / sxx);
    double interceptMillis = Math.max(0, my - slopeMillis * mx);
    double tokensHeld = isl + osl / 2;
    double perSequenceNanos =
        Math.max(0, slopeMillis * 1e6 - engine.decodeNanosPerCachedToken() * tokensHeld);

    // Prefill: the fastest first token is one step with the prompt prefilled.
    double ttftFast = sweep.metric(lowest, "time_to_first_token", "p1");
    double itlLowest = sweep.metric(lowest, "inter_token_latency", "p50");
    double prefillNanos =
        Double.isNaN(ttftFast) || Double.isNaN(itlLowest)
            ? engine.prefillNanosPerToken()
            : Math.max(0, (ttftFast - itlLowest) * 1e6 / isl);

    SimOverrides overrides =
        new SimOverrides(
            null,
            null,
            null,
            null,
            kvBlocks,
            null,
            null,
            prefillNanos / 1e3,
            interceptMillis,
            perSequenceNanos / 1e3,
            null,
            sweep.model());
    SimPreset calibrated;
    try {
      calibrated = overrides.applyTo(base);
    } catch (SimConfigException e) {
      throw new AutoscaleException(
          "the engine fitted to the sweep in "
              + sweep.directory()
              + " is not one: "
              + e.getMessage(),
          e);
    }
    EngineSpec fitted = calibrated.engine();
    List<Point> itlPoints = new ArrayList<>();
    List<Point> kvPoints = new ArrayList<>();
    for (int i = 0; i < used.size(); i++) {
      Level level = used.get(i);
      double n = xy.get(i)[0];
      itlPoints.add(
          new Point(
              level.label(),
              n,
              xy.get(i)[1],
              (fitted.decodeStepFixedNanos()
                      + n
                          * (fitted.decodeNanosPerSequence()
                              + fitted.decodeNanosPerCachedToken() * tokensHeld))
                  / 1e6));
    }
    for (Level level : sweep.levels()) {
      double n = perRunning ? level.runningAvg() : inFlight(sweep, level);
      if (!Double.isNaN(level.kvUsageAvg()) && !Double.isNaN(n)) {
        kvPoints.add(
            new Point(level.label(), n, level.kvUsageAvg(), n * blocksPerRequest / kvBlocks));
      }
    }
    String report =
        report(
            sweep,
            base,
            fitted,
            blocksPerRequest,
            usagePerRequest,
            perRunning,
            slopeMillis,
            tokensHeld,
            ttftFast,
            itlLowest,
            isl,
            itlPoints,
            kvPoints);
    return new SweepCalibration(
        calibrated, overrides, blocksPerRequest, itlPoints, kvPoints, report);
  }

  /** The requests decoded together: those in flight less those the server queued. */
  private static double batch(MeasuredSweep sweep, Level level) {
    double n = inFlight(sweep, level);
    return level.waitingAvg() > 0 ? n - level.waitingAvg() : n;
  }

  private static double inFlight(MeasuredSweep sweep, Level level) {
    return Double.isNaN(level.inFlight()) && sweep.loadKind() == MeasuredSweep.LoadKind.CONCURRENCY
        ? level.load()
        : level.inFlight();
  }

  private static String report(
      MeasuredSweep sweep,
      SimPreset base,
      EngineSpec fitted,
      double blocksPerRequest,
      double usagePerRequest,
      boolean perRunning,
      double slopeMillis,
      double tokensHeld,
      double ttftFast,
      double itlLowest,
      double isl,
      List<Point> itlPoints,
      List<Point> kvPoints) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Calibrated %s to the sweep in %s (%d levels):%n",
            base.name(),
            sweep.directory(),
            sweep.levels().size()));
    out.append(
        String.format(
            Locale.ROOT,
            "  KV cache: %s blocks a request (ISL %s, OSL %s, blocks of %d) / %s usage per %s "
                + "request = %,d blocks%n",
            Plans.number(blocksPerRequest),
            Plans.number(isl),
            Plans.number((tokensHeld - isl) * 2),
            fitted.kvBlockSizeTokens(),
            Plans.number(usagePerRequest),
            perRunning ? "running" : "in-flight",
            fitted.kvBlocksTotal()));
    out.append(
        String.format(
            Locale.ROOT,
            "  decode step: ITL p50 = %s ms + %s ms x requests in the batch; %s us a sequence after %s "
                + "ns a cached token x %s tokens%n",
            Plans.number(fitted.decodeStepFixedNanos() / 1e6),
            Plans.number(slopeMillis),
            Plans.number(fitted.decodeNanosPerSequence() / 1e3),
            Plans.number(fitted.decodeNanosPerCachedToken()),
            Plans.number(tokensHeld)));
    out.append(
        String.format(
            Locale.ROOT,
            "  prefill: (TTFT p1 %s ms - ITL p50 %s ms) / ISL %s = %s us a prompt token%n",
            Plans.number(ttftFast),
            Plans.number(itlLowest),
            Plans.number(isl),
            Plans.number(fitted.prefillNanosPerToken() / 1e3)));
    for (Point p : itlPoints) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %s: ITL p50 %.3f ms measured, %.3f fitted (residual %+.3f) at %.1f in the batch%n",
              p.level(),
              p.measured(),
              p.fitted(),
              p.residual(),
              p.requestsInFlight()));
    }
    for (Point p : kvPoints) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %s: KV usage %.4f measured, %.4f fitted (residual %+.4f) at %.1f requests%n",
              p.level(),
              p.measured(),
              p.fitted(),
              p.residual(),
              p.requestsInFlight()));
    }
    return out.toString();
  }

  /** The base preset with the fitted engine (and the sweep's model as its served name). */
  public SimPreset preset() {
    return preset;
  }

  /** The fit as simulator overrides: kv_blocks, the step costs, the prefill cost, the model. */
  public SimOverrides overrides() {
    return overrides;
  }

  /** The blocks a request holds on average over its steps, at the sweep's ISL and OSL. */
  public double blocksPerRequest() {
    return blocksPerRequest;
  }

  /** Each level's ITL p50 in ms, measured and by the fitted line. */
  public List<Point> itlPoints() {
    return itlPoints;
  }

  /** Each level's KV usage 0..1, measured and by the fitted cache. */
  public List<Point> kvPoints() {
    return kvPoints;
  }

  /** The fit, line by line: the arithmetic, then each level's residuals. */
  public String report() {
    return report;
  }
}
