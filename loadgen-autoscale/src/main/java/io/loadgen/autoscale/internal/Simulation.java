package io.loadgen.autoscale.internal;

import io.loadgen.autoscale.LoadPlan;
import io.loadgen.autoscale.RehearsalSpec;
import io.loadgen.autoscale.Sync;
import io.loadgen.autoscale.Window;
import io.loadgen.sim.VirtualReplica;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The discrete-event model of a rehearsal, on a virtual clock in nanoseconds: replicas of one
 * engine ({@link VirtualReplica}) behind a Service that sends each request to a ready pod chosen at
 * random (kube-proxy's iptables mode), Prometheus scraping every ready pod's KV-cache gauge at an
 * interval, prometheus-adapter serving each pod's last sample, and the HPA controller ({@link
 * HpaController}) at its sync period, whose new pods are ready after the startup time. A pod scaled
 * away leaves the Service at once and finishes what it holds, as a terminating pod drains. Users of
 * a closed-loop phase each send their next request when the last finishes; an open-loop phase's
 * requests arrive as a Poisson process. One thread; the same spec and seed, the same events.
 */
public final class Simulation {
  private static final long SECOND = 1_000_000_000L;

  /** How long the users a phase adds take to join: {@link #beginPhase}. */
  public static final long USER_SPREAD_NANOS = 5 * SECOND;

  private enum State {
    STARTING,
    READY,
    TERMINATING
  }

  private static final class Pod {
    final VirtualReplica replica;
    State state;
    double scraped = Double.NaN;
    boolean stepping;

    Pod(VirtualReplica replica, State state) {
      this.replica = replica;
      this.state = state;
    }
  }

  private record Event(long nanos, long order, Runnable action) {}

  private final RehearsalSpec spec;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(
          (a, b) ->
              a.nanos != b.nanos ? Long.compare(a.nanos, b.nanos) : Long.compare(a.order, b.order));
  private final List<Pod> pods = new ArrayList<>();
  private final SplittableRandom routing;
  private final SplittableRandom lengths;
  private final SplittableRandom arrivals;
  private final SplittableRandom starts;
  private final HpaController hpa;
  private final List<Window> windows = new ArrayList<>();
  private final List<Sync> syncs = new ArrayList<>();
  private final LinkedHashSet<long[]> awaitingFirstToken = new LinkedHashSet<>();
  private long order;
  private long now;
  private long endNanos;
  private int phaseIndex = -1;
  private int wantedUsers;
  private int liveUsers;
  private Histogram windowTtft = new Histogram(3);
  private Histogram windowItl = new Histogram(3);
  private long windowCompleted;

  public Simulation(RehearsalSpec spec) {
    this.spec = spec;
    this.routing = new SplittableRandom(spec.seed());
    this.lengths = new SplittableRandom(spec.seed() + 1);
    this.arrivals = new SplittableRandom(spec.seed() + 2);
    this.starts = new SplittableRandom(spec.seed() + 3);
    this.hpa =
        new HpaController(
            spec.target(),
            spec.tolerance(),
            spec.minReplicas(),
            spec.maxReplicas(),
            spec.behavior());
  }

  /** The windows, one per sync period. */
  public List<Window> windows() {
    return windows;
  }

  /** Every HPA sync. */
  public List<Sync> syncs() {
    return syncs;
  }

  /** Runs the plan to its end. */
  public void run() {
    endNanos = spec.plan().duration().toNanos();
    for (int i = 0; i < spec.minReplicas(); i++) {
      pods.add(new Pod(new VirtualReplica(spec.engine()), State.READY));
    }
    long phaseStart = 0;
    for (int i = 0; i < spec.plan().phases().size(); i++) {
      int index = i;
      at(phaseStart, () -> beginPhase(index));
      phaseStart += spec.plan().phases().get(i).duration().toNanos();
    }
    long scrape = nanos(spec.scrapeIntervalSeconds());
    for (long t = 0; t <= endNanos; t += scrape) {
      at(t, this::scrape);
    }
    long sync = nanos(spec.syncPeriodSeconds());
    for (long t = sync; t <= endNanos; t += sync) {
      long windowStart = t - sync;
      at(t, () -> endWindow(windowStart));
      at(t, this::sync);
    }
    while (!events.isEmpty() && events.peek().nanos <= endNanos) {
      Event e = events.poll();
      now = e.nanos;
      e.action.run();
    }
  }

  private void at(long nanos, Runnable action) {
    events.add(new Event(nanos, order++, action));
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * SECOND);
  }

  private void beginPhase(int index) {
    phaseIndex = index;
    LoadPlan.Phase phase = spec.plan().phases().get(index);
    if (phase.rate()) {
      wantedUsers = 0;
      arrive(index);
    } else {
      wantedUsers = (int) phase.level();
      while (liveUsers < wantedUsers) {
        liveUsers++;
        // New users join over a spread, as a client's connections open: users that all started
        // at once would stay in step (the same lengths, the same steps), and the gauge would swing
        // with their phase instead of settling at the level's average, as a real server's does.
        at(now + (long) (starts.nextDouble() * USER_SPREAD_NANOS), () -> send(true));
      }
    }
  }

  /** The next Poisson arrival of an open-loop phase, while the phase lasts. */
  private void arrive(int index) {
    double rate = spec.plan().phases().get(index).level();
    long gap = Math.max(1, Math.round(-Math.log(1 - arrivals.nextDouble()) / rate * SECOND));
    at(
        now + gap,
        () -> {
          if (phaseIndex == index) {
            send(false);
            arrive(index);
          }
        });
  }

  /** A request, to a ready pod at random; a user's sends its next when it finishes. */
  private void send(boolean user) {
    List<Pod> ready = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.state == State.READY) {
        ready.add(pod);
      }
    }
    Pod pod = ready.get(routing.nextInt(ready.size()));
    int prompt = spec.inputTokens().sample(lengths);
    int output = spec.outputTokens().sample(lengths);
    long[] request = {now, -1}; // arrival, first token
    awaitingFirstToken.add(request);
    pod.replica.submit(
        prompt,
        output,
        now,
        new VirtualReplica.TokenListener() {
          @Override
          public void onToken(int index, long nanos) {
            if (index == 0) {
              request[1] = nanos;
              awaitingFirstToken.remove(request);
              windowTtft.recordValue(nanos - request[0]);
            }
          }

          @Override
          public void onFinish(long nanos) {
            windowCompleted++;
            if (output > 1 && request[1] >= 0) {
              windowItl.recordValue((nanos - request[1]) / (output - 1));
            }
            if (user) {
              if (liveUsers > wantedUsers) {
                liveUsers--; // the load fell: this user stops
              } else {
                send(true);
              }
            }
          }
        });
    step(pod);
  }

  /** Starts the pod's next step if it is idle and has work; each step's end starts the next. */
  private void step(Pod pod) {
    if (pod.stepping || !pod.replica.hasWork()) {
      return;
    }
    long end = pod.replica.startStep(now);
    if (end < 0) {
      return;
    }
    pod.stepping = true;
    at(
        end,
        () -> {
          pod.replica.endStep();
          pod.stepping = false;
          step(pod);
        });
  }

  private void scrape() {
    for (Pod pod : pods) {
      if (pod.state == State.READY) {
        pod.scraped = pod.replica.kvCacheUsage();
      }
    }
  }

  private double[] readyValues() {
    List<Double> values = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.state == State.READY && !Double.isNaN(pod.scraped)) {
        values.add(pod.scraped);
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private void sync() {
    int current = 0;
    int ready = 0;
    int unready = 0;
    int missing = 0;
    for (Pod pod : pods) {
      if (pod.state == State.TERMINATING) {
        continue;
      }
      current++;
      if (pod.state == State.STARTING) {
        unready++;
      } else {
        ready++;
        if (Double.isNaN(pod.scraped)) {
          missing++;
        }
      }
    }
    HpaController.Decision decision = hpa.decide(now, current, readyValues(), unready, missing);
    syncs.add(
        new Sync(
            now / 1e9,
            current,
            ready,
            decision.metricAverage(),
            decision.replicas(),
            decision.reason()));
    for (int i = current; i < decision.replicas(); i++) {
      Pod pod = new Pod(new VirtualReplica(spec.engine()), State.STARTING);
      pods.add(pod);
      at(
          now + nanos(spec.replicaStartupSeconds()),
          () -> {
            if (pod.state == State.STARTING) {
              pod.state = State.READY;
            }
          });
    }
    for (int i = decision.replicas(); i < current; i++) {
      removeOne();
    }
  }

  /** As a ReplicaSet scales down: a starting pod first, else the newest ready one. */
  private void removeOne() {
    for (int pass = 0; pass < 2; pass++) {
      State wanted = pass == 0 ? State.STARTING : State.READY;
      for (int i = pods.size() - 1; i >= 0; i--) {
        Pod pod = pods.get(i);
        if (pod.state == wanted) {
          pod.state = State.TERMINATING;
          pod.scraped = Double.NaN;
          return;
        }
      }
    }
  }

  private void endWindow(long startNanos) {
    // A request still queued for its first token counts with its wait so far: a queue that grows
    // must show in the window's TTFT, not only once its requests are served.
    for (long[] request : awaitingFirstToken) {
      windowTtft.recordValue(now - request[0]);
    }
    int ready = 0;
    int starting = 0;
    int running = 0;
    int waiting = 0;
    for (Pod pod : pods) {
      if (pod.state == State.READY) {
        ready++;
      } else if (pod.state == State.STARTING) {
        starting++;
      }
      running += pod.replica.running();
      waiting += pod.replica.waiting();
    }
    double[] values = readyValues();
    double average = 0;
    for (double v : values) {
      average += v;
    }
    LoadPlan.Phase phase = spec.plan().phases().get(Math.max(0, phaseIndex));
    windows.add(
        new Window(
            startNanos / 1e9,
            phase.level(),
            ready,
            starting,
            values.length == 0 ? Double.NaN : average / values.length,
            running,
            waiting,
            windowCompleted,
            windowTtft,
            windowItl));
    windowTtft = new Histogram(3);
    windowItl = new Histogram(3);
    windowCompleted = 0;
  }
}
