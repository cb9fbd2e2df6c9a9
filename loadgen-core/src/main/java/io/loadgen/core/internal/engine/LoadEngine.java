package io.loadgen.core.internal.engine;

import io.loadgen.core.Load;
import io.loadgen.core.LoadMode;
import io.loadgen.core.Profile;
import io.loadgen.core.Progress;
import io.loadgen.core.RunWarning;
import io.loadgen.core.TargetUnreachableException;
import io.loadgen.core.internal.client.ErrorKinds;
import io.loadgen.core.internal.metrics.Scraper;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.secret.SecretScrubber;
import io.loadgen.core.internal.time.NanoClock;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs one profile over several event loops: a warm-up phase, then the measured phase, each in
 * closed loop (a fixed number in flight) or open loop (sends on a precomputed schedule). Each loop
 * has a {@link LoopDriver} with its own {@link Pacer}, connections and recorder, so nothing is
 * shared on the per-token path; this coordinator only starts each phase on every loop once all have
 * finished the last, stops them, and watches for a target that cannot be profiled. Its own state is
 * confined to the first loop's context; {@link #stop()} may be called from any thread.
 */
public final class LoadEngine implements Scraper.ClientState, LoopDriver.Coordinator {
  /** Failures that mean the target is not an OpenAI server we can talk to, not a server error. */
  private static final Set<String> INCOMPATIBLE =
      Set.of(
          "http_400",
          "http_401",
          "http_403",
          "http_404",
          "http_405",
          "http_422",
          "http_501",
          ErrorKinds.INVALID_RESPONSE,
          ErrorKinds.CONNECTION_REFUSED,
          ErrorKinds.UNKNOWN_HOST);

  /**
   * Incompatible answers, with no success before them, that stop the run: three, or every request
   * of a run that sends fewer. One could be a route the server has not loaded yet.
   */
  private static final int INCOMPATIBLE_FAILURES_TO_ABORT = 3;

  private static final long PROGRESS_PERIOD_MILLIS = 1000;

  /**
   * Silent requests (timed out by the idle limit) since the last success that say the server has
   * stopped answering, at the least: with fewer, one stuck slot of a healthy server would do.
   */
  private static final long SILENT_REQUESTS_TO_ABORT = 3;

  /** How long refusals after a success stop a run that has no idle limit (not streamed, say). */
  private static final Duration REFUSED_WITHOUT_IDLE_LIMIT = Duration.ofSeconds(60);

  /** Time-outs of a limit not yet said, being said, and said: each is said once per run. */
  private static final int UNSAID = 0;

  private static final int PENDING = 1;
  private static final int SAID = 2;

  private final Profile profile;
  private final ContextInternal context;
  private final Recording recording;

  /** A server's error text may echo our headers: it is scrubbed before it goes into a message. */
  private final SecretScrubber scrubber;

  private final NanoClock clock;
  private final Pacer.Plan plan;
  private final List<LoopDriver> loops = new ArrayList<>();
  private final CompletableFuture<EngineTotals> done = new CompletableFuture<>();

  // Written by the loops' threads as their requests finish.
  private final AtomicLong successes = new AtomicLong();
  private final AtomicInteger incompatibleFailures = new AtomicInteger();
  private final AtomicBoolean aborting = new AtomicBoolean();
  // Requests the idle limit timed out since the last success, and how many end the run.
  private final AtomicLong silentSinceSuccess = new AtomicLong();
  private final long silentToAbort;
  // When the refusals since the last success began (0: none), and how long of them ends the run.
  private final AtomicLong refusedSinceNanos = new AtomicLong();
  private volatile TargetUnreachableException abort;
  private final int abortThreshold;
  // Measured requests finished and failed, for the failed-request threshold (NaN: none).
  private final AtomicLong measuredFinished = new AtomicLong();
  private final AtomicLong measuredFailed = new AtomicLong();
  private final double failedThresholdPercent;
  // Set once, by the first refusal of the usage option; read by every loop before it sends.
  private final AtomicBoolean usageOptionOff = new AtomicBoolean();

  private final RequestLimits limits;
  // By limit: requests failed for running past it, and whether that has been said.
  private final AtomicLongArray timedOut = new AtomicLongArray(RequestLimits.Limit.values().length);
  private final AtomicIntegerArray warned =
      new AtomicIntegerArray(RequestLimits.Limit.values().length);

  // Confined to the coordinator's context.
  private Pacer.Phase phase;
  private int loopsDone;
  private boolean stopping;
  private boolean interrupted;
  private long measureStartNanos;
  private long progressTimerId = -1;
  private long durationTimerId = -1;
  private long graceTimerId = -1;
  private long rampTimerId = -1;
  private long responsesAtLastProgress;
  private long lastProgressNanos;

  /**
   * @param contexts one per event loop, each on a loop of its own; the first also runs this
   *     coordinator
   * @param clients one per event loop, used only from that loop's context
   * @param targets the request options of each target (replica), spread over in turn
   */
  public LoadEngine(
      Profile profile,
      List<ContextInternal> contexts,
      List<HttpClientAgent> clients,
      List<RequestOptions> targets,
      Dataset dataset,
      Recording recording) {
    this.profile = profile;
    this.context = contexts.get(0);
    this.recording = recording;
    this.scrubber = recording.scrubber();
    this.clock = NanoClock.system();
    this.plan =
        new Pacer.Plan(
            profile.load().mode(),
            dataset.scheduleNanos(),
            dataset.scheduleNanos() != null ? 0 : profile.load().warmupRequestCount(),
            dataset.scheduleNanos() != null
                ? dataset.size()
                : dataset.fileSessions() != null
                    ? (int)
                        Math.min(Integer.MAX_VALUE, SessionPlan.of(profile, dataset).totalTurns())
                    : profile.effectiveRequestCount(),
            sendingWindowNanos(profile.load()),
            profile.workload().randomSeed(),
            dataset.scheduleNanos() != null || profile.load().rampUp() == null
                ? 0
                : profile.load().rampUp().toNanos(),
            SessionPlan.of(profile, dataset));
    this.abortThreshold = abortThreshold(plan);
    this.failedThresholdPercent = profile.load().failedRequestThreshold().orElse(Double.NaN);
    this.limits = RequestLimits.of(profile.endpoint());
    this.silentToAbort = silentToAbort(profile.load().mode(), profile.endpoint().requestTimeout());
    Pacer.Tickets tickets = new Pacer.Tickets();
    for (int i = 0; i < contexts.size(); i++) {
      loops.add(
          new LoopDriver(
              i,
              contexts.get(i),
              clients.get(i),
              targets,
              dataset,
              new Pacer(plan, i, contexts.size(), tickets),
              recording.forLoop(i),
              profile,
              this));
    }
  }

  /** The context the coordinator runs on. */
  public ContextInternal context() {
    return context;
  }

  @Override
  public int inFlight() {
    int sum = 0;
    for (LoopDriver loop : loops) {
      sum += loop.inFlight();
    }
    return sum;
  }

  @Override
  public long sent() {
    long sum = 0;
    for (LoopDriver loop : loops) {
      sum += loop.sent();
    }
    return sum;
  }

  @Override
  public long responses() {
    long sum = 0;
    for (LoopDriver loop : loops) {
      sum += loop.responses();
    }
    return sum;
  }

  /**
   * What the engine knows when it is done; the recorders know the rest.
   *
   * @param cut measured requests still open when the grace period after the benchmark duration ran
   *     out, and closed
   * @param maxLoopDelayNanos the worst lateness of any loop's periodic check in the measured phase
   * @param abortReason null, unless the engine stopped the run because the target cannot be
   *     profiled: then the one-line reason
   */
  public record EngineTotals(
      long measureStartNanos,
      long cancelled,
      long cut,
      boolean interrupted,
      long maxLoopDelayNanos,
      String abortReason) {}

  /**
   * Starts the run; the future completes when every request has finished or been cancelled, also
   * when the engine stopped the run itself ({@link EngineTotals#abortReason()}), so that what it
   * measured until then is recorded and exported.
   */
  public CompletableFuture<EngineTotals> start() {
    context.runOnContext(
        v -> {
          if (plan.ramps(Pacer.Phase.WARMUP)) {
            // The ramp ends by the clock, its requests still in flight, and measuring begins.
            begin(Pacer.Phase.WARMUP, clock.nanoTime());
            long rampMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(plan.rampNanos()));
            rampTimerId = context.owner().setTimer(rampMillis, id -> endRamp());
          } else if (plan.traceOffsetsNanos() == null && plan.warmupCount() > 0) {
            begin(Pacer.Phase.WARMUP, clock.nanoTime());
          } else {
            beginMeasured();
          }
        });
    return done;
  }

  /**
   * Stops sending, abandons what is in flight and ends the run with what was measured; does nothing
   * to a run that has ended.
   */
  public void stop() {
    try {
      context.runOnContext(
          v -> {
            if (!done.isDone() && !stopping) {
              interrupted = true;
              halt(false);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException ended) {
      // The run is over and its event loops are closing: there is nothing left to stop. Ctrl-C
      // between two levels of a sweep stops the one that just ended, and must not throw.
    }
  }

  private void beginMeasured() {
    measureStartNanos = clock.nanoTime();
    lastProgressNanos = measureStartNanos;
    responsesAtLastProgress = responses();
    if (recording.hasProgressListener()) {
      progressTimerId = context.owner().setPeriodic(PROGRESS_PERIOD_MILLIS, id -> reportProgress());
    }
    Duration duration = profile.load().benchmarkDuration();
    if (duration != null) {
      long durationMillis = Math.max(1, duration.toMillis());
      if (plan.total(Pacer.Phase.MEASURED) >= 0) {
        // A count bounds the sending too; the pacer stops at the count, this at the duration.
        durationTimerId = context.owner().setTimer(durationMillis, id -> stopSending());
      }
      Duration grace = profile.load().benchmarkGracePeriod();
      if (grace != null) {
        graceTimerId =
            context.owner().setTimer(durationMillis + grace.toMillis(), id -> cutAtGrace());
      }
    }
    begin(Pacer.Phase.MEASURED, measureStartNanos);
  }

  /**
   * How long the measured phase sends when no count bounds it: the measurement interval or the
   * benchmark duration; 0 when a count does.
   */
  private static long sendingWindowNanos(Load load) {
    if (load.measurementInterval() != null) {
      return load.measurementInterval().toNanos();
    }
    return load.benchmarkDuration() == null ? 0 : load.benchmarkDuration().toNanos();
  }

  private void endRamp() {
    rampTimerId = -1;
    if (!done.isDone() && !stopping && phase == Pacer.Phase.WARMUP) {
      beginMeasured();
    }
  }

  private void stopSending() {
    durationTimerId = -1;
    if (!done.isDone() && !stopping) {
      for (LoopDriver loop : loops) {
        loop.stopSending();
      }
    }
  }

  /**
   * The grace period after the benchmark duration has run out: what is still in flight is cut, as
   * AIPerf does, and the run ends with what finished; not an interruption.
   */
  private void cutAtGrace() {
    graceTimerId = -1;
    if (!done.isDone() && phase == Pacer.Phase.MEASURED) {
      halt(true);
    }
  }

  /**
   * The rule of {@link #INCOMPATIBLE_FAILURES_TO_ABORT} over the whole run, warm-up and measured
   * together: a run for a measurement interval has no count, so it needs the three.
   */
  static int abortThreshold(Pacer.Plan plan) {
    int measured = plan.total(Pacer.Phase.MEASURED);
    if (measured < 0) {
      return INCOMPATIBLE_FAILURES_TO_ABORT;
    }
    long requests = (long) plan.total(Pacer.Phase.WARMUP) + measured;
    return (int) Math.min(INCOMPATIBLE_FAILURES_TO_ABORT, Math.max(1, requests));
  }

  /**
   * A whole load's worth of silent requests with no success among them: every request in flight in
   * closed loop (the concurrency), every arrival of one idle limit in open loop. The server has
   * stopped answering, and the rest of the run would only wait out the limit wave after wave.
   */
  static long silentToAbort(LoadMode mode, Duration idleLimit) {
    double idleSeconds = idleLimit == null ? 1 : idleLimit.toNanos() / 1e9;
    double load =
        mode instanceof LoadMode.RequestRate rate // open loop: level is the rate per second
            ? Math.min(Math.ceil(rate.requestsPerSecond() * idleSeconds), rate.inFlightLimit())
            : mode.inFlightLimit();
    return Math.max(SILENT_REQUESTS_TO_ABORT, (long) Math.min(load, Integer.MAX_VALUE));
  }

  private void begin(Pacer.Phase next, long startNanos) {
    phase = next;
    loopsDone = 0;
    for (LoopDriver loop : loops) {
      loop.begin(next, startNanos);
    }
  }

  @Override
  public void phaseDone(LoopDriver loop, Pacer.Phase loopPhase) {
    context.runOnContext(
        v -> {
          if (loopPhase != phase || done.isDone()) {
            return;
          }
          if (++loopsDone < loops.size()) {
            return;
          }
          if (phase == Pacer.Phase.WARMUP && !stopping) {
            if (!plan.ramps(phase)) {
              beginMeasured(); // a ramp ends by its timer, never by draining
            }
          } else {
            finish();
          }
        });
  }

  @Override
  public void finished(Outcome outcome) {
    if (outcome.cancelledByClient()) {
      return; // the run's own doing: no sign of the server's health either way
    }
    if (!outcome.warmup() && !Double.isNaN(failedThresholdPercent)) {
      long failed = outcome.failed() ? measuredFailed.incrementAndGet() : measuredFailed.get();
      pastFailedThreshold(measuredFinished.incrementAndGet(), failed);
    }
    if (!outcome.failed()) {
      successes.incrementAndGet();
      silentSinceSuccess.set(0);
      refusedSinceNanos.set(0);
      return;
    }
    if (ErrorKinds.CONNECTION_REFUSED.equals(outcome.errorKind()) && successes.get() > 0) {
      goneAway(outcome.endNanos());
    }
    if (successes.get() > 0 || !INCOMPATIBLE.contains(outcome.errorKind())) {
      return;
    }
    if (incompatibleFailures.incrementAndGet() >= abortThreshold
        && aborting.compareAndSet(false, true)) {
      abort = new TargetUnreachableException(incompatibleMessage(outcome));
      context.runOnContext(v -> halt(false));
    }
  }

  /**
   * A 400 or 422 whose error names {@code stream_options} or {@code include_usage}: a strict server
   * that rejects fields it does not know. The option goes, said once; each request it refused is
   * sent again without it, once (a body without the option is never refused for it).
   */
  @Override
  public boolean refusesUsageOption(Outcome outcome) {
    if (!(outcome.httpStatus() == 400 || outcome.httpStatus() == 422)
        || outcome.errorMessage() == null) {
      return false;
    }
    String message = outcome.errorMessage().toLowerCase(Locale.ROOT);
    if (!message.contains("stream_options") && !message.contains("include_usage")) {
      return false;
    }
    if (usageOptionOff.compareAndSet(false, true)) {
      recording.warn(
          new RunWarning(
              null,
              "the server refused stream_options.include_usage ("
                  + outcome.errorKind()
                  + "): requests are sent again without it, so its token counts cannot be"
                  + " checked against the tokenizer's"));
    }
    return true;
  }

  @Override
  public boolean usageOptionOff() {
    return usageOptionOff.get();
  }

  /**
   * Stops the run once more than the threshold's share of its measured requests failed, counted
   * from {@link Load#THRESHOLD_MIN_REQUESTS} on. A request finishing meanwhile may count or not;
   * the summary's figures are the recorder's, exact, and this line only says why it stopped.
   */
  private void pastFailedThreshold(long finished, long failed) {
    if (finished >= Load.THRESHOLD_MIN_REQUESTS
        && 100.0 * failed > failedThresholdPercent * finished
        && aborting.compareAndSet(false, true)) {
      abort =
          new TargetUnreachableException(
              String.format(
                  Locale.ROOT,
                  "%d of %d measured requests failed (%.1f%%), past the failed-request threshold"
                      + " of %s%%; the run was stopped",
                  failed,
                  finished,
                  100.0 * failed / finished,
                  new java.math.BigDecimal(Double.toString(failedThresholdPercent))
                      .stripTrailingZeros()
                      .toPlainString()));
      context.runOnContext(v -> halt(false));
    }
  }

  /**
   * A server that has refused every connection for as long as the idle limit since it last answered
   * has gone away (the backoff keeps the run from spending its requests meanwhile): the run stops
   * rather than wait for it at one refusal every 2 s. Before any success, the rule of three
   * incompatible answers above stops it sooner.
   */
  private void goneAway(long refusedNanos) {
    refusedSinceNanos.compareAndSet(0, refusedNanos);
    Duration idle = profile.endpoint().requestTimeout();
    if (idle == null) {
      idle = REFUSED_WITHOUT_IDLE_LIMIT;
    }
    if (refusedNanos - refusedSinceNanos.get() >= idle.toNanos()
        && aborting.compareAndSet(false, true)) {
      abort =
          new TargetUnreachableException(
              "the server went away: every connection was refused for "
                  + RequestLimits.describe(idle)
                  + " after it had answered; the run was stopped");
      context.runOnContext(v -> halt(false));
    }
  }

  private String incompatibleMessage(Outcome outcome) {
    String target = "POST " + profile.endpoint().url() + "/" + profile.endpoint().path();
    String kind = outcome.errorKind();
    String hint;
    if (kind.equals("http_401") || kind.equals("http_403")) {
      hint =
          "the server refused our credentials: check the API key (OPENAI_API_KEY) and the headers";
    } else if (kind.equals("http_400") || kind.equals("http_422")) {
      hint = "the server rejected the request body: check the model and the extra inputs";
    } else if (kind.equals(ErrorKinds.CONNECTION_REFUSED) || kind.equals(ErrorKinds.UNKNOWN_HOST)) {
      hint = "is the server running? check the URL";
    } else {
      hint =
          "is it an OpenAI-compatible server? check the URL, the endpoint type and the endpoint path";
    }
    return target
        + " failed ("
        + kind
        + ": "
        + scrubber.scrub(outcome.errorMessage())
        + "); "
        + hint;
  }

  /**
   * Says, once per run and limit, that requests ran past it. The loops sweep on their own clocks,
   * so the first waits a sweep for the others' to be counted in its one line; the run's end says
   * what is pending at once.
   */
  @Override
  public void timedOut(RequestLimits.Limit limit, int requests) {
    timedOut.addAndGet(limit.ordinal(), requests);
    if (limit == RequestLimits.Limit.IDLE
        && silentSinceSuccess.addAndGet(requests) >= silentToAbort
        && aborting.compareAndSet(false, true)) {
      abort =
          new TargetUnreachableException(
              "the server stopped answering: "
                  + silentSinceSuccess.get()
                  + " requests in a row got no data for "
                  + RequestLimits.describe(profile.endpoint().requestTimeout())
                  + "; the run was stopped");
      context.runOnContext(v -> halt(false));
    }
    if (warned.compareAndSet(limit.ordinal(), UNSAID, PENDING)) {
      long waitMillis = TimeUnit.NANOSECONDS.toMillis(limits.sweepPeriodNanos()) + 50;
      context.owner().setTimer(waitMillis, id -> warn(limit));
    }
  }

  private void warn(RequestLimits.Limit limit) {
    if (warned.compareAndSet(limit.ordinal(), PENDING, SAID)) {
      recording.warn(
          new RunWarning(limit.setting(), limits.warning(limit, timedOut.get(limit.ordinal()))));
    }
  }

  private void halt(boolean cut) {
    if (stopping) {
      return;
    }
    stopping = true;
    for (LoopDriver loop : loops) {
      loop.halt(cut);
    }
  }

  private void finish() {
    if (progressTimerId >= 0) {
      context.owner().cancelTimer(progressTimerId);
      progressTimerId = -1;
    }
    for (RequestLimits.Limit limit : RequestLimits.Limit.values()) {
      warn(limit);
    }
    for (long timer : new long[] {durationTimerId, graceTimerId, rampTimerId}) {
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
      }
    }
    long cancelled = 0;
    long cut = 0;
    long maxLoopDelay = 0;
    for (LoopDriver loop : loops) {
      cancelled += loop.cancelled();
      cut += loop.cut();
      maxLoopDelay = Math.max(maxLoopDelay, loop.maxLoopDelayNanos());
      loop.close();
    }
    if (measureStartNanos == 0) {
      measureStartNanos = clock.nanoTime(); // stopped in the warm-up: nothing measured
    }
    done.complete(
        new EngineTotals(
            measureStartNanos,
            cancelled,
            cut,
            interrupted,
            maxLoopDelay,
            abort == null ? null : abort.getMessage()));
  }

  private void reportProgress() {
    long now = clock.nanoTime();
    double seconds = (now - lastProgressNanos) / 1e9;
    long responses = responses();
    double rate = seconds > 0 ? (responses - responsesAtLastProgress) / seconds : 0;
    responsesAtLastProgress = responses;
    lastProgressNanos = now;
    long completed = 0;
    long failed = 0;
    for (LoopDriver loop : loops) {
      completed += loop.measuredCompleted();
      failed += loop.measuredFailed();
    }
    int total = plan.total(Pacer.Phase.MEASURED);
    recording.progress(
        new Progress(now - measureStartNanos, completed, failed, inFlight(), total, rate));
  }
}
