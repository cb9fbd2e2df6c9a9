package io.loadgen.core.internal.engine;

import io.loadgen.core.Profile;
import io.loadgen.core.internal.client.ConnectionUses;
import io.loadgen.core.internal.client.Exchange;
import io.loadgen.core.internal.client.ResponseCounter;
import io.loadgen.core.internal.client.RetryAfter;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.time.NanoClock;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The thin Vert.x adapter of one event loop: sends what its {@link Pacer} says when it says, on an
 * HTTP client of its own, so that every connection of the loop is created, read and written on the
 * loop's thread, and hands each finished request to the loop's recorder. Everything here runs on
 * the loop's context and needs no lock; the counters the progress line and the scraper read from
 * other threads are written with release semantics, once per request or token.
 *
 * <p>A refused connection or a server's {@code Retry-After} holds the loop's next sends ({@link
 * Backoff}); the failed request is recorded as failed all the same.
 *
 * <p>Open-loop sends are timed with Netty's scheduler on the loop, at nanosecond resolution (a
 * timerfd under the native transports), rather than with Vert.x timers, which round to
 * milliseconds: a late timer would be the client's own lag in every latency of the run.
 */
final class LoopDriver {
  /** What the loop tells the run as a whole. Both are called on this loop's thread. */
  interface Coordinator {
    /** The loop has nothing more to send in {@code phase} and nothing in flight. Once per phase. */
    void phaseDone(LoopDriver loop, Pacer.Phase phase);

    /** A request finished; the run watches for a target that is not what it should be. */
    void finished(Outcome outcome);
  }

  private final int index;
  private final ContextInternal context;
  private final HttpClientAgent client;
  private final List<RequestOptions> targets;
  private final Dataset dataset;
  private final Pacer pacer;
  private final Recording.Recorder recorder;
  private final Profile profile;
  private final Coordinator coordinator;
  private final NanoClock clock;

  /** Only for a {@code Retry-After} date, which is wall-clock time. */
  private final InstantSource wallClock;

  private final ChunkDecoder decoder = new ChunkDecoder();
  private final ResponseCounter received = new ResponseCounter();
  private final ConnectionUses connections = new ConnectionUses();
  private final Backoff backoff = new Backoff();
  private final Set<Exchange> active = new HashSet<>();

  private boolean reported;
  private boolean halted;
  private io.netty.util.concurrent.ScheduledFuture<?> timer;
  private long timerDueNanos = Pacer.NEVER;
  private boolean watching;
  private long idleTimerId = -1;

  // Read by other threads (progress, the scraper, the run's end): written once per request.
  private volatile long sent;
  private volatile int inFlight;
  private volatile long measuredCompleted;
  private volatile long measuredFailed;
  private volatile long cancelled;

  LoopDriver(
      int index,
      ContextInternal context,
      HttpClientAgent client,
      List<RequestOptions> targets,
      Dataset dataset,
      Pacer pacer,
      Recording.Recorder recorder,
      Profile profile,
      Coordinator coordinator) {
    this.index = index;
    this.context = context;
    this.client = client;
    this.targets = List.copyOf(targets);
    this.dataset = dataset;
    this.pacer = pacer;
    this.recorder = recorder;
    this.profile = profile;
    this.coordinator = coordinator;
    this.clock = NanoClock.system();
    this.wallClock = InstantSource.system();
  }

  int index() {
    return index;
  }

  ContextInternal context() {
    return context;
  }

  /** Starts {@code phase} on this loop, with open-loop times counted from {@code startNanos}. */
  void begin(Pacer.Phase phase, long startNanos) {
    context.runOnContext(
        v -> {
          if (!watching) {
            watching = true;
            watchForIdleRequests();
          }
          reported = false;
          pacer.begin(phase, startNanos);
          pump();
        });
  }

  /**
   * Stops sending and abandons what is in flight; no outcome is delivered for an abandoned request.
   * The loop then reports its phase done.
   */
  void halt() {
    context.runOnContext(
        v -> {
          halted = true;
          pacer.stop();
          for (Exchange exchange : active) {
            if (exchange.cancel()) {
              if (!exchange.warmup()) {
                cancelled++;
              }
              pacer.finished();
            }
          }
          active.clear();
          inFlight = 0;
          pump();
        });
  }

  /** Cancels this loop's timers; on its context. */
  void close() {
    context.runOnContext(
        v -> {
          cancelTimer();
          if (idleTimerId >= 0) {
            context.owner().cancelTimer(idleTimerId);
            idleTimerId = -1;
          }
        });
  }

  long sent() {
    return sent;
  }

  int inFlight() {
    return inFlight;
  }

  long responses() {
    return received.count();
  }

  long measuredCompleted() {
    return measuredCompleted;
  }

  long measuredFailed() {
    return measuredFailed;
  }

  /** Measured requests abandoned by a stop; read once the loop has reported its phase done. */
  long cancelled() {
    return cancelled;
  }

  /** Sends everything due, arms the timer for the next timed send, and reports when idle. */
  private void pump() {
    long now = clock.nanoTime();
    for (Pacer.Send send; (send = pacer.next(now)) != null; ) {
      sendOne(send);
    }
    arm(pacer.nextDueNanos(), now);
    if (pacer.idle() && !reported) {
      reported = true;
      coordinator.phaseDone(this, pacer.phase());
    }
  }

  private void arm(long dueNanos, long nowNanos) {
    if (dueNanos == timerDueNanos && timer != null) {
      return;
    }
    cancelTimer();
    if (dueNanos == Pacer.NEVER) {
      return;
    }
    timerDueNanos = dueNanos;
    timer =
        context
            .nettyEventLoop()
            .schedule(
                () ->
                    context.emit(
                        v -> {
                          timer = null;
                          timerDueNanos = Pacer.NEVER;
                          pump();
                        }),
                Math.max(0, dueNanos - nowNanos),
                TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timerDueNanos = Pacer.NEVER;
  }

  private void sendOne(Pacer.Send send) {
    DatasetEntry entry = dataset.entry(send.index(), send.warmup());
    Exchange exchange =
        new Exchange(
            send.index(),
            send.warmup(),
            send.intendedNanos(),
            entry.body(),
            entry.bodyBuffer(),
            entry.inputTokens(),
            // Only a record sink reads every arrival; without one a stream keeps three.
            recorder.keepsEveryArrival()
                ? ResponseTimes.every(entry.maxTokensHint())
                : ResponseTimes.firstSecondAndLast(),
            profile.endpoint().streaming(),
            clock,
            decoder,
            received,
            this::onOutcome);
    active.add(exchange);
    sent++;
    inFlight = active.size();
    // Several targets (replicas): spread as a Service spreads connections, each request in turn.
    exchange.send(client, targets.get((int) (send.index() % targets.size())), connections);
  }

  private void onOutcome(Exchange exchange, Outcome outcome) {
    active.remove(exchange);
    inFlight = active.size();
    recorder.submit(outcome);
    if (!outcome.warmup()) {
      if (outcome.failed()) {
        measuredFailed++;
      } else {
        measuredCompleted++;
      }
    }
    // Before the freed slot is filled: a refusal or a Retry-After holds the next send.
    backoff.finished(
        outcome.errorKind(),
        RetryAfter.delayNanos(outcome.retryAfter(), wallClock.instant()),
        outcome.endNanos());
    pacer.holdUntil(backoff.untilNanos());
    pacer.finished();
    coordinator.finished(outcome);
    if (!halted) {
      pump();
    } else if (pacer.idle() && !reported) {
      reported = true;
      coordinator.phaseDone(this, pacer.phase());
    }
  }

  /**
   * Times out requests on which the server has sent nothing for the profile's request timeout. One
   * sweep over the loop's requests a few times per timeout, rather than a timer per request
   * (thousands in flight). Written here because Vert.x 5.2's per-request idle timeout did not fail
   * a stream that stalled after its headers and first chunk, which is the stall this must catch.
   */
  private void watchForIdleRequests() {
    if (profile.endpoint().requestTimeout() == null) {
      return;
    }
    long timeoutNanos = profile.endpoint().requestTimeout().toNanos();
    long period = Math.max(10, profile.endpoint().requestTimeout().toMillis() / 4);
    String message =
        "no data from the server for " + profile.endpoint().requestTimeout().toMillis() + " ms";
    idleTimerId =
        context
            .owner()
            .setPeriodic(
                period,
                id -> {
                  long now = clock.nanoTime();
                  List<Exchange> idle = new ArrayList<>();
                  for (Exchange exchange : active) {
                    if (now - exchange.lastActivityNanos() >= timeoutNanos) {
                      idle.add(exchange);
                    }
                  }
                  // timeOut delivers the outcome, which removes the exchange from active and may
                  // send the next.
                  idle.forEach(exchange -> exchange.timeOut(message));
                });
  }
}
