package io.loadgen.core.internal.engine;

import io.loadgen.core.EndpointType;
import io.loadgen.core.Profile;
import io.loadgen.core.RequestCancellation;
import io.loadgen.core.internal.client.ConnectionUses;
import io.loadgen.core.internal.client.Exchange;
import io.loadgen.core.internal.client.RequestBodies;
import io.loadgen.core.internal.client.ResponseCounter;
import io.loadgen.core.internal.client.RetryAfter;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.RawResponseLog;
import io.loadgen.core.internal.record.ResponseTimes;
import io.loadgen.core.internal.sse.ChunkDecoder;
import io.loadgen.core.internal.time.NanoClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  /** What the loop tells the run as a whole. Each is called on this loop's thread. */
  interface Coordinator {
    /** The loop has nothing more to send in {@code phase} and nothing in flight. Once per phase. */
    void phaseDone(LoopDriver loop, Pacer.Phase phase);

    /** A request finished; the run watches for a target that is not what it should be. */
    void finished(Outcome outcome);

    /** {@code requests} requests ran past {@code limit} and were failed as timed out. */
    void timedOut(RequestLimits.Limit limit, int requests);

    /**
     * Whether {@code outcome} is the server refusing the usage option of its body ({@link
     * RequestBodies#USAGE_OPTION}); the first such refusal turns the option off for the run.
     */
    boolean refusesUsageOption(Outcome outcome);

    /** Whether bodies are sent without the usage option, which the server refused. */
    boolean usageOptionOff();
  }

  /**
   * How often the loop checks on itself and its requests: the resolution of its blocked-loop
   * measurement, and a wake-up cheap enough to have on every loop.
   */
  static final long HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

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
  private final RequestLimits limits;

  private boolean reported;
  private boolean halted;
  private io.netty.util.concurrent.ScheduledFuture<?> timer;
  private long timerDueNanos = Pacer.NEVER;
  private boolean watching;
  private boolean closed;
  private io.netty.util.concurrent.ScheduledFuture<?> heartbeat;
  private long nextSweepNanos;
  private boolean measuring;

  // Read by other threads (progress, the scraper, the run's end): written once per request.
  private volatile long sent;
  private volatile int inFlight;
  private volatile long measuredCompleted;
  private volatile long measuredFailed;
  private volatile long cancelled;
  private volatile long cut;
  private final RequestCancellation cancellation;
  private final SessionPlan sessions;
  private final RequestBodies sessionBodies;
  // Each session's exchanges so far, while it runs on this loop.
  private final Map<Integer, List<Map.Entry<String, String>>> conversations = new HashMap<>();
  private final String cancellationMessage;
  // Written by the heartbeat, only when it grows.
  private volatile long maxLoopDelayNanos;

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
    this.limits = RequestLimits.of(profile.endpoint());
    this.wallClock = InstantSource.system();
    this.cancellation = profile.load().requestCancellation();
    this.sessions = SessionPlan.of(profile, dataset);
    this.sessionBodies = Dataset.bodies(profile);
    this.cancellationMessage =
        cancellation == null
            ? null
            : "cancelled by the client "
                + RequestLimits.describe(cancellation.delay())
                + " after it was sent (request cancellation)";
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
            long now = clock.nanoTime();
            scheduleBeat(now + HEARTBEAT_NANOS, now);
          }
          // Only the measured phase's timings are reported, so only its delays are kept.
          measuring = phase == Pacer.Phase.MEASURED;
          reported = false;
          pacer.begin(phase, startNanos);
          pump();
        });
  }

  /**
   * Stops sending and abandons what is in flight; no outcome is delivered for an abandoned request.
   * The loop then reports its phase done.
   *
   * @param cut whether the abandoned requests are cut at the end of the grace period ({@link
   *     #cut()}) rather than cancelled by a stop ({@link #cancelled()})
   */
  void halt(boolean cut) {
    context.runOnContext(
        v -> {
          halted = true;
          pacer.stop();
          for (Exchange exchange : active) {
            if (exchange.cancel()) {
              if (!exchange.warmup()) {
                if (cut) {
                  this.cut++;
                } else {
                  cancelled++;
                }
              }
              pacer.finished();
            }
          }
          active.clear();
          inFlight = 0;
          pump();
        });
  }

  /**
   * Sends nothing more in this phase and lets what is in flight finish: the end of a benchmark
   * duration. The loop reports its phase done when the last one has.
   */
  void stopSending() {
    context.runOnContext(
        v -> {
          pacer.stop();
          pump();
        });
  }

  /** Cancels this loop's timers; on its context. */
  void close() {
    context.runOnContext(
        v -> {
          cancelTimer();
          closed = true;
          if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
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

  /**
   * The longest this loop was kept from running its tasks during the measured phase: how late its
   * heartbeat ran, at worst. Token arrivals are stamped when the loop reads them, so during such a
   * delay they are stamped late. Read by the run once every loop has reported its phase done.
   */
  long maxLoopDelayNanos() {
    return maxLoopDelayNanos;
  }

  /** Measured requests abandoned by a stop; read once the loop has reported its phase done. */
  long cancelled() {
    return cancelled;
  }

  /** Measured requests cut at the end of the grace period; read as {@link #cancelled()} is. */
  long cut() {
    return cut;
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
    start(send.index(), send.warmup(), send.intendedNanos());
  }

  /**
   * Starts request {@code index}; its times count from {@code intendedNanos} in open loop. Once the
   * server has refused the usage option, bodies go without it (made per request: a copy, off the
   * token path).
   */
  private void start(long index, boolean warmup, long intendedNanos) {
    DatasetEntry entry = dataset.entry(index, warmup);
    String body = entry.body();
    Buffer bodyBuffer = entry.bodyBuffer();
    int inputTokens = entry.inputTokens();
    if (sessions != null && !warmup) {
      // A session's turn: the conversation so far and a new user message, made per turn (off the
      // token path); its input length is counted by the recorder, from the body.
      entry = dataset.entry(SessionPlan.session(index) * 31L + SessionPlan.turn(index));
      List<Map.Entry<String, String>> conversation =
          new ArrayList<>(conversations.getOrDefault(SessionPlan.session(index), List.of()));
      conversation.addAll(turnMessages(SessionPlan.session(index), SessionPlan.turn(index)));
      body =
          sessionBodies.body(
              conversation, entry.maxTokensHint(), profile.workload().outputTokensDeterministic());
      bodyBuffer = Buffer.buffer(body);
      inputTokens = -1;
    }
    if (coordinator.usageOptionOff() && body.contains(RequestBodies.USAGE_OPTION)) {
      body = RequestBodies.withoutUsageOption(body);
      bodyBuffer = Buffer.buffer(body);
    }
    Exchange exchange =
        new Exchange(
            index,
            warmup,
            intendedNanos,
            body,
            bodyBuffer,
            inputTokens,
            // Only a record sink reads every arrival; without one a stream keeps three.
            recorder.keepsEveryArrival()
                ? ResponseTimes.every(entry.maxTokensHint())
                : ResponseTimes.firstSecondAndLast(),
            recorder.keepsEveryArrival() ? new RawResponseLog(entry.maxTokensHint()) : null,
            profile.endpoint().streaming(),
            clock,
            decoder,
            received,
            this::onOutcome);
    if (!profile.endpoint().type().generative()) {
      exchange.expectsRetrieval(profile.endpoint().type() == EndpointType.RANKINGS);
    }
    if (!warmup && cancellation != null && chosenForCancellation(index)) {
      exchange.whenWritten(() -> cancelLater(exchange));
    }
    active.add(exchange);
    sent++;
    inFlight = active.size();
    // Several targets (replicas): spread as a Service spreads connections, each request in turn.
    exchange.send(client, targets.get((int) (index % targets.size())), connections);
  }

  /**
   * Whether request {@code index} is one to cancel: a draw of its own from the run's seed, so the
   * same seed chooses the same requests whichever loop sends them.
   */
  private boolean chosenForCancellation(long index) {
    long seed = profile.workload().randomSeed() * 0x9E3779B97F4A7C15L + index;
    return new java.util.SplittableRandom(seed).nextDouble() * 100 < cancellation.ratePercent();
  }

  /**
   * Cancels a request chosen for it, {@link RequestCancellation#delay()} from now, if still open.
   */
  private void cancelLater(Exchange exchange) {
    long delayNanos = cancellation.delay().toNanos();
    context
        .nettyEventLoop()
        .schedule(
            () -> context.emit(v -> exchange.abandon(cancellationMessage)),
            delayNanos,
            TimeUnit.NANOSECONDS);
  }

  private void onOutcome(Exchange exchange, Outcome outcome) {
    active.remove(exchange);
    inFlight = active.size();
    if (outcome.requestBody().contains(RequestBodies.USAGE_OPTION)
        && coordinator.refusesUsageOption(outcome)) {
      // Not a failure of the request but of our option: the same request again, without it, in
      // the same slot and from the same intended time.
      start(outcome.id(), outcome.warmup(), outcome.intendedNanos());
      return;
    }
    recorder.submit(outcome);
    if (!outcome.warmup() && !outcome.cancelledByClient()) {
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
    if (sessions != null && !outcome.warmup()) {
      turnDone(outcome);
    } else {
      pacer.finished();
    }
    coordinator.finished(outcome);
    if (!halted) {
      pump();
    } else if (pacer.idle() && !reported) {
      reported = true;
      coordinator.phaseDone(this, pacer.phase());
    }
  }

  /** What a session's turn adds: the file's messages, or a user message of a synthetic prompt. */
  private List<Map.Entry<String, String>> turnMessages(int session, int turn) {
    List<Map.Entry<String, String>> fromFile = sessions.fileMessages(session, turn);
    return fromFile != null
        ? fromFile
        : List.of(Map.entry("user", dataset.entry(session * 31L + turn).prompt()));
  }

  /**
   * A session's turn is over: a successful exchange joins its conversation, which the next turn
   * sends again (a failed one does not: as a user who asks again, the next turn goes without it);
   * after its last turn the conversation is let go.
   */
  private void turnDone(Outcome outcome) {
    int session = SessionPlan.session(outcome.id());
    int turn = SessionPlan.turn(outcome.id());
    if (turn + 1 >= sessions.turns(session)) {
      conversations.remove(session);
    } else if (!outcome.failed() && !outcome.cancelledByClient()) {
      List<Map.Entry<String, String>> conversation =
          conversations.computeIfAbsent(session, s -> new ArrayList<>());
      conversation.addAll(turnMessages(session, turn));
      conversation.add(Map.entry("assistant", outcome.outputText()));
    }
    pacer.turnFinished(outcome.id(), clock.nanoTime());
  }

  /**
   * The loop's one periodic task, every {@link #HEARTBEAT_NANOS}: it measures how late it runs,
   * which is how long the loop was kept from its sockets (a blocked loop, a GC pause, a starved
   * thread), and, as often as the limits need, sweeps the loop's requests for those past a limit.
   * One task rather than a timer per request: thousands are in flight. Scheduled on Netty's loop,
   * as the sends are, at nanosecond resolution. Written here rather than with Vert.x 5.2's
   * per-request idle timeout because that did not fail a stream that stalled after its headers and
   * first chunk, and it counts bytes as activity, where only a chunk is progress.
   */
  private void beat(long dueNanos) {
    heartbeat = null;
    if (closed) {
      return;
    }
    long now = clock.nanoTime();
    if (measuring && now - dueNanos > maxLoopDelayNanos) {
      maxLoopDelayNanos = now - dueNanos;
    }
    if (limits.any() && now >= nextSweepNanos) {
      nextSweepNanos = now + limits.sweepPeriodNanos();
      sweep(now);
    }
    scheduleBeat(now + HEARTBEAT_NANOS, now);
  }

  private void scheduleBeat(long dueNanos, long nowNanos) {
    heartbeat =
        context
            .nettyEventLoop()
            .schedule(
                () -> context.emit(v -> beat(dueNanos)),
                Math.max(0, dueNanos - nowNanos),
                TimeUnit.NANOSECONDS);
  }

  private void sweep(long nowNanos) {
    List<Exchange> idle = new ArrayList<>();
    List<Exchange> late = new ArrayList<>();
    for (Exchange exchange : active) {
      RequestLimits.Limit limit =
          limits.exceeded(exchange.intendedNanos(), exchange.lastProgressNanos(), nowNanos);
      if (limit == RequestLimits.Limit.IDLE) {
        idle.add(exchange);
      } else if (limit == RequestLimits.Limit.DEADLINE) {
        late.add(exchange);
      }
    }
    // timeOut delivers the outcome, which removes the exchange from active and may send the next.
    timeOut(idle, RequestLimits.Limit.IDLE);
    timeOut(late, RequestLimits.Limit.DEADLINE);
  }

  private void timeOut(List<Exchange> exchanges, RequestLimits.Limit limit) {
    if (exchanges.isEmpty()) {
      return;
    }
    String message = limits.requestMessage(limit);
    int timedOut = 0;
    for (Exchange exchange : exchanges) {
      if (exchange.timeOut(message)) {
        timedOut++;
      }
    }
    if (timedOut > 0) {
      coordinator.timedOut(limit, timedOut);
    }
  }
}
