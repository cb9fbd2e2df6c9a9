package io.loadgen.core.internal.engine;

import io.loadgen.core.LoadMode;
import io.loadgen.core.NanoClock;
import io.loadgen.core.Profile;
import io.loadgen.core.Progress;
import io.loadgen.core.TargetUnreachableException;
import io.loadgen.core.internal.client.ErrorKinds;
import io.loadgen.core.internal.client.Exchange;
import io.loadgen.core.internal.client.ResponseCounter;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.schedule.ArrivalSchedule;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Drives one run on one event loop: a warm-up phase, then the measured phase, each in closed loop
 * (a fixed number in flight) or open loop (sends on a precomputed schedule). All state is confined
 * to the event loop's context, so nothing here locks; {@link #stop()} may be called from any thread.
 */
public final class LoadEngine implements io.loadgen.core.internal.metrics.Scraper.ClientState {
  /** Failures that mean the target is not an OpenAI server we can talk to, not a server error. */
  private static final Set<String> INCOMPATIBLE =
      Set.of("http_400", "http_401", "http_403", "http_404", "http_405", "http_422", "http_501",
          ErrorKinds.INVALID_RESPONSE, ErrorKinds.CONNECTION_REFUSED, ErrorKinds.UNKNOWN_HOST);
  private static final int INCOMPATIBLE_FAILURES_TO_ABORT = 3;
  private static final long PROGRESS_PERIOD_MILLIS = 1000;

  private final Profile profile;
  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final RequestOptions requestOptions;
  private final Dataset dataset;
  private final Recording recording;
  private final NanoClock clock;
  private final ChunkDecoder decoder = new ChunkDecoder();
  private final ResponseCounter received = new ResponseCounter();
  private final CompletableFuture<EngineTotals> done = new CompletableFuture<>();
  private final Set<Exchange> active = new HashSet<>();

  private boolean warmupPhase;
  private long phaseTotal;
  private long phaseIssued;
  private long phaseStartNanos;
  private boolean phaseIssuing;
  private ArrivalSchedule schedule;
  private long nextOffsetNanos;
  private long timerId = -1;
  private long progressTimerId = -1;
  private long idleTimerId = -1;

  private long issued;
  private long measureStartNanos;
  private long measuredCompleted;
  private long measuredFailed;
  private long cancelled;
  private long responsesAtLastProgress;
  private long lastProgressNanos;
  private boolean stopping;
  private boolean interrupted;
  private long successes;
  private int incompatibleFailures;
  private RuntimeException abort;

  public LoadEngine(
      Profile profile,
      Vertx vertx,
      HttpClient client,
      RequestOptions requestOptions,
      Dataset dataset,
      Recording recording) {
    this.profile = profile;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.requestOptions = requestOptions;
    this.dataset = dataset;
    this.recording = recording;
    this.clock = profile.clock();
  }

  /** The event loop the engine runs on. */
  public Context context() {
    return context;
  }

  @Override
  public int inFlight() {
    return active.size();
  }

  @Override
  public long sent() {
    return issued;
  }

  @Override
  public long responses() {
    return received.count();
  }

  /** What the engine knows when it is done; the recorder knows the rest. */
  public record EngineTotals(long measureStartNanos, long cancelled, boolean interrupted) {}

  /** Starts the run; the future completes when every request has finished or been cancelled. */
  public CompletableFuture<EngineTotals> start() {
    context.runOnContext(v -> {
      watchForIdleRequests();
      // A replayed trace is its own schedule from its first line: no warm-up before it.
      if (profile.warmupRequestCount() > 0 && dataset.scheduleNanos() == null) {
        beginPhase(true, profile.warmupRequestCount());
      } else {
        beginMeasuredPhase();
      }
    });
    return done;
  }

  /** Stops sending, abandons what is in flight and ends the run with what was measured. */
  public void stop() {
    context.runOnContext(v -> {
      if (!done.isDone() && !stopping) {
        interrupted = true;
        halt();
      }
    });
  }

  /**
   * Times out requests on which the server has sent nothing for {@code --request-timeout}. One
   * sweep over the requests in flight a few times per timeout, rather than a timer per request
   * (thousands in flight). Written here because Vert.x 5.2's per-request idle timeout did not fail
   * a stream that stalled after its headers and first chunk, which is the stall this must catch.
   */
  private void watchForIdleRequests() {
    if (profile.requestTimeout() == null) {
      return;
    }
    long timeoutNanos = profile.requestTimeout().toNanos();
    long period = Math.max(10, profile.requestTimeout().toMillis() / 4);
    String message = "no data from the server for " + profile.requestTimeout().toMillis() + " ms";
    idleTimerId = vertx.setPeriodic(period, id -> {
      long now = clock.nanoTime();
      List<Exchange> idle = new ArrayList<>();
      for (Exchange exchange : active) {
        if (now - exchange.lastActivityNanos() >= timeoutNanos) {
          idle.add(exchange);
        }
      }
      // timeOut delivers the outcome, which removes the exchange from active and may send the next.
      idle.forEach(exchange -> exchange.timeOut(message));
    });
  }

  private void beginMeasuredPhase() {
    measureStartNanos = clock.nanoTime();
    lastProgressNanos = measureStartNanos;
    responsesAtLastProgress = received.count();
    if (profile.progressListener() != null) {
      progressTimerId = vertx.setPeriodic(PROGRESS_PERIOD_MILLIS, id -> reportProgress());
    }
    beginPhase(false, dataset.scheduleNanos() != null ? dataset.size() : profile.effectiveRequestCount());
  }

  private void beginPhase(boolean warmup, long total) {
    warmupPhase = warmup;
    phaseTotal = total;
    phaseIssued = 0;
    phaseIssuing = true;
    phaseStartNanos = warmup ? clock.nanoTime() : measureStartNanos;
    if (dataset.scheduleNanos() != null) {
      schedule = ArrivalSchedule.fixed(dataset.scheduleNanos());
      nextOffsetNanos = schedule.nextOffsetNanos();
      tick();
    } else if (profile.loadMode() instanceof LoadMode.Concurrency c) {
      for (int i = 0; i < c.concurrency() && closedLoopHasMore(); i++) {
        sendOne(clock.nanoTime());
      }
      if (!closedLoopHasMore()) {
        phaseIssuing = false;
      }
      maybeEndPhase();
    } else {
      schedule = new ArrivalSchedule((LoadMode.RequestRate) profile.loadMode(), profile.randomSeed() + (warmup ? 1 : 0));
      nextOffsetNanos = schedule.nextOffsetNanos();
      tick();
    }
  }

  private boolean closedLoopHasMore() {
    if (stopping) {
      return false;
    }
    if (phaseTotal >= 0) {
      return phaseIssued < phaseTotal;
    }
    return clock.nanoTime() - phaseStartNanos < profile.measurementInterval().toNanos();
  }

  private boolean openLoopHasMore() {
    if (stopping) {
      return false;
    }
    if (phaseTotal >= 0) {
      return phaseIssued < phaseTotal;
    }
    return nextOffsetNanos < profile.measurementInterval().toNanos();
  }

  /** Sends every request whose intended time has come, then sleeps until the next one is due. */
  private void tick() {
    timerId = -1;
    long now = clock.nanoTime();
    while (openLoopHasMore()) {
      long intended = phaseStartNanos + nextOffsetNanos;
      if (intended > now) {
        long delayMillis = Math.max(1, (intended - now + 999_999) / 1_000_000);
        timerId = vertx.setTimer(delayMillis, id -> tick());
        return;
      }
      sendOne(intended);
      nextOffsetNanos = schedule.nextOffsetNanos();
    }
    phaseIssuing = false;
    maybeEndPhase();
  }

  private void sendOne(long intendedNanos) {
    long id = issued++;
    phaseIssued++;
    DatasetEntry entry = dataset.entry(id);
    Exchange exchange =
        new Exchange(
            id,
            warmupPhase,
            intendedNanos,
            entry.body(),
            entry.bodyBuffer(),
            entry.inputTokens(),
            // Only a record sink reads every arrival; without one a stream keeps three.
            profile.recordSink() != null
                ? ResponseTimes.every(entry.maxTokensHint())
                : ResponseTimes.firstSecondAndLast(),
            profile.streaming(),
            clock,
            decoder,
            received,
            this::onOutcome);
    active.add(exchange);
    exchange.send(client, requestOptions);
  }

  private void onOutcome(Exchange exchange, Outcome outcome) {
    active.remove(exchange);
    recording.submit(outcome);
    if (!outcome.warmup()) {
      if (outcome.failed()) {
        measuredFailed++;
      } else {
        measuredCompleted++;
      }
    }
    watchForIncompatibleTarget(outcome);
    if (stopping) {
      maybeEndPhase();
      return;
    }
    if (profile.loadMode() instanceof LoadMode.Concurrency && dataset.scheduleNanos() == null && phaseIssuing) {
      if (closedLoopHasMore()) {
        sendOne(clock.nanoTime());
      } else {
        phaseIssuing = false;
      }
    }
    maybeEndPhase();
  }

  private void watchForIncompatibleTarget(Outcome outcome) {
    if (!outcome.failed()) {
      successes++;
      return;
    }
    if (successes > 0 || !INCOMPATIBLE.contains(outcome.errorKind())) {
      return;
    }
    incompatibleFailures++;
    if (incompatibleFailures >= Math.min(INCOMPATIBLE_FAILURES_TO_ABORT, Math.max(1, phaseTotal)) && abort == null) {
      abort = new TargetUnreachableException(incompatibleMessage(outcome));
      halt();
    }
  }

  private String incompatibleMessage(Outcome outcome) {
    String target = "POST " + profile.url() + "/" + profile.endpointPath();
    String kind = outcome.errorKind();
    String hint;
    if (kind.equals("http_401") || kind.equals("http_403")) {
      hint = "the server refused our credentials: set OPENAI_API_KEY or pass --header 'Authorization:Bearer ...'";
    } else if (kind.equals("http_400") || kind.equals("http_422")) {
      hint = "the server rejected the request body: check -m/--model and --extra-inputs";
    } else if (kind.equals(ErrorKinds.CONNECTION_REFUSED) || kind.equals(ErrorKinds.UNKNOWN_HOST)) {
      hint = "is the server running? check -u/--url";
    } else {
      hint = "is it an OpenAI-compatible server? check -u/--url, --endpoint-type and --endpoint";
    }
    return target + " failed (" + kind + ": " + outcome.errorMessage() + "); " + hint;
  }

  private void halt() {
    stopping = true;
    phaseIssuing = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    for (Exchange exchange : active) {
      if (exchange.cancel() && !exchange.warmup()) {
        cancelled++;
      }
    }
    active.clear();
    maybeEndPhase();
  }

  private void maybeEndPhase() {
    if (phaseIssuing || !active.isEmpty() || done.isDone()) {
      return;
    }
    if (warmupPhase && !stopping) {
      beginMeasuredPhase();
      return;
    }
    if (progressTimerId >= 0) {
      vertx.cancelTimer(progressTimerId);
      progressTimerId = -1;
    }
    if (idleTimerId >= 0) {
      vertx.cancelTimer(idleTimerId);
      idleTimerId = -1;
    }
    if (abort != null) {
      done.completeExceptionally(abort);
    } else {
      done.complete(new EngineTotals(measureStartNanos, cancelled, interrupted));
    }
  }

  private void reportProgress() {
    long now = clock.nanoTime();
    double seconds = (now - lastProgressNanos) / 1e9;
    double rate = seconds > 0 ? (received.count() - responsesAtLastProgress) / seconds : 0;
    responsesAtLastProgress = received.count();
    lastProgressNanos = now;
    recording.progress(
        new Progress(now - measureStartNanos, measuredCompleted, measuredFailed, active.size(),
            phaseTotal, rate));
  }
}
