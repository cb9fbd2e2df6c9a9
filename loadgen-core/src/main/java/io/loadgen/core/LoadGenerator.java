package io.loadgen.core;

import io.loadgen.core.internal.engine.Runs;
import io.loadgen.core.internal.engine.Session;
import io.loadgen.core.internal.engine.StartGate;
import io.loadgen.core.internal.engine.StartedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs profiles and sweeps: the entry point of loadgen's Java API.
 *
 * <pre>{@code
 * Profile profile = Profile.builder()
 *     .url("sim://default").model("meta/llama-3.1-8b-instruct")
 *     .streaming(true).concurrency(10).build();
 * ProfileResult result = LoadGenerator.run(profile);
 * double ttftP99Millis = result.stats(Metric.TIME_TO_FIRST_TOKEN).p99();
 * }</pre>
 *
 * <p>A target {@code sim://PRESET} is an embedded simulated server, started for the run (or the
 * sweep) and closed after it.
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  /** {@link #start(Profile, RunOptions)} with {@link RunOptions#defaults()}. */
  public static RunHandle start(Profile profile) {
    return start(profile, RunOptions.defaults());
  }

  /**
   * Prepares the run (tokenizer, simulated targets, dataset, a check that every target accepts
   * connections) on the calling thread, then starts it on its event loops and returns at once. A
   * profile with a {@link Load#startAt()} still to come is waited for here, after preparing, on
   * {@link RunOptions#wallClock()}: this returns once the run has started. (A {@link Sweep} waits
   * on its own thread, and its {@link SweepHandle#stop()} ends the wait.)
   *
   * @throws LoadgenException when the profile cannot run: a tokenizer that does not load, a target
   *     that does not accept connections
   */
  public static RunHandle start(Profile profile, RunOptions options) {
    Session session = Session.open(profile, options.tokenizer());
    RunHandle run;
    try {
      run = Runs.start(session.resolve(profile), options.withTokenizer(session.tokenizer()));
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    // Closing a simulated server waits for its threads: not on a thread of the run's own.
    CompletableFuture<ProfileResult> result =
        run.result()
            .toCompletableFuture()
            .handleAsync(
                (r, e) -> {
                  session.close();
                  if (e != null) {
                    throw e instanceof CompletionException c ? c : new CompletionException(e);
                  }
                  return r;
                });
    return new StartedRun(result, run::stop);
  }

  /** {@link #start(Profile)} and wait for the result. */
  public static ProfileResult run(Profile profile) {
    return await(start(profile).result());
  }

  /** {@link #start(Profile, RunOptions)} and wait for the result. */
  public static ProfileResult run(Profile profile, RunOptions options) {
    return await(start(profile, options).result());
  }

  /**
   * Starts {@code sweep} on a thread of its own and returns at once: its levels run one after
   * another, sharing one tokenizer and the simulated targets; each level's result goes to the
   * sweep's listener as it ends, and a stopped level ends the sweep.
   */
  public static SweepHandle start(Sweep sweep) {
    SweepRun run = new SweepRun(sweep);
    Thread thread = new Thread(run::run, "loadgen-sweep");
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** {@link #start(Sweep)} and wait for every level's result. */
  public static List<ProfileResult> run(Sweep sweep) {
    return await(start(sweep).results());
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** A sweep's levels, run in turn on the sweep's thread. */
  private static final class SweepRun implements SweepHandle {
    private final Sweep sweep;
    private final CompletableFuture<List<ProfileResult>> results = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile RunHandle current;
    // Released by stop(): a sweep told to wait for its start instant can be stopped while it waits.
    private final StartGate gate = new StartGate();

    SweepRun(Sweep sweep) {
      this.sweep = sweep;
    }

    void run() {
      List<Profile> levels = sweep.profiles();
      List<ProfileResult> done = new ArrayList<>();
      // Everything on this thread fails into the results, or nothing would ever complete them.
      try {
        RunOptions first = sweep.options(levels.get(0));
        runLevels(levels, first, done);
      } catch (Throwable e) {
        results.completeExceptionally(e);
        return;
      }
      // Completed once the simulated targets have closed, so a caller that exits leaves nothing
      // behind.
      results.complete(List.copyOf(done));
    }

    private void runLevels(List<Profile> levels, RunOptions first, List<ProfileResult> done) {
      try (Session session = Session.open(sweep.base(), first.tokenizer())) {
        for (int i = 0; i < levels.size() && !stopped; i++) {
          RunOptions options = i == 0 ? first : sweep.options(levels.get(i));
          current =
              Runs.start(
                  session.resolve(levels.get(i)),
                  options.withTokenizer(session.tokenizer()),
                  i,
                  gate);
          if (stopped) {
            current.stop();
          }
          ProfileResult result;
          try {
            result = await(current.result());
          } catch (TargetUnreachableException e) {
            // The failures that stopped the level are the listener's to export, as any result.
            if (e.measured().isPresent()) {
              done.add(e.measured().get());
              sweep.levelDone(e.measured().get());
            }
            throw e;
          }
          done.add(result);
          sweep.levelDone(result);
          if (result.summary().interrupted()) {
            break;
          }
        }
      }
    }

    @Override
    public CompletionStage<List<ProfileResult>> results() {
      return results;
    }

    @Override
    public void stop() {
      stopped = true;
      gate.release();
      RunHandle running = current;
      if (running != null) {
        running.stop();
      }
    }
  }
}
