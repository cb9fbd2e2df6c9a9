package io.loadgen.core.internal.engine;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.Progress;
import io.loadgen.core.RawResponse;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RequestRecordSink;
import io.loadgen.core.RunOptions;
import io.loadgen.core.RunSummary;
import io.loadgen.core.RunWarning;
import io.loadgen.core.internal.record.MetricsRecorder;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.RawResponseLog;
import io.loadgen.core.internal.record.RequestTimings;
import io.loadgen.core.internal.secret.SecretScrubber;
import io.loadgen.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.HdrHistogram.Histogram;

/**
 * The recorder threads, one per event loop: each takes its loop's finished requests, counts their
 * output tokens with the tokenizer (CPU work that must never run on an event loop), records the
 * measured ones in histograms of its own and hands every one to the raw-export sink. So no lock is
 * taken per request except the sink's, and the loops' histograms are added together only at the
 * end.
 */
final class Recording {
  private final Profile profile;
  private final Tokenizer tokenizer;
  private final RequestRecordSink sink;
  private final Consumer<Progress> progressListener;
  private final Consumer<RunWarning> warningListener;
  private final long originEpochNanos;
  private final long originMonotonicNanos;
  private final List<Recorder> recorders = new ArrayList<>();
  private final Object sinkLock = new Object();
  private final SecretScrubber scrubber;
  private RuntimeException sinkFailure;
  private final LatenciesSoFar latencies;
  private volatile DoubleSupplier kvCacheUsage = () -> Double.NaN;

  Recording(
      Profile profile,
      RunOptions options,
      int loops,
      long originEpochNanos,
      long originMonotonicNanos) {
    this.profile = profile;
    this.tokenizer = options.tokenizer();
    this.sink = options.recordSink();
    this.progressListener = options.progressListener();
    this.warningListener = options.warningListener();
    this.scrubber = SecretScrubber.of(profile.endpoint(), System.getenv());
    this.originEpochNanos = originEpochNanos;
    this.originMonotonicNanos = originMonotonicNanos;
    this.latencies = new LatenciesSoFar(profile.endpoint().streaming(), loops);
    for (int i = 0; i < loops; i++) {
      recorders.add(new Recorder(i));
    }
  }

  /**
   * The run's secrets, to scrub from what its servers say: made once, for every part of the run.
   */
  SecretScrubber scrubber() {
    return scrubber;
  }

  /** Whether anything listens to the run's progress. */
  boolean hasProgressListener() {
    return progressListener != null;
  }

  /** The recorder of event loop {@code loop}. */
  Recorder forLoop(int loop) {
    return recorders.get(loop);
  }

  /** Where progress snapshots read the server's KV-cache usage (a fraction, NaN for none). */
  void readKvCacheUsageFrom(DoubleSupplier source) {
    kvCacheUsage = source;
  }

  /**
   * Delivers a progress snapshot to the listener, off the event loops, with the latencies so far
   * and the latest KV-cache usage added. Always on the first recorder's thread: the one reader of
   * the latencies.
   */
  void progress(Progress progress) {
    if (progressListener != null) {
      try {
        recorders
            .get(0)
            .thread
            .execute(
                () ->
                    progressListener.accept(
                        latencies.snapshot(progress, kvCacheUsage.getAsDouble())));
      } catch (java.util.concurrent.RejectedExecutionException finished) {
        // A last tick that raced the end of the run: the result says the rest.
      }
    }
  }

  /** Delivers a warning to the listener, off the event loops. */
  void warn(RunWarning warning) {
    if (warningListener != null) {
      try {
        recorders.get(0).thread.execute(() -> warningListener.accept(warning));
      } catch (java.util.concurrent.RejectedExecutionException finished) {
        // Said after the run's end: the result's error counts say it too.
      }
    }
  }

  /** One event loop's recorder: a thread and the histograms it alone writes. */
  final class Recorder {
    private final int loop;
    private final ExecutorService thread;
    private final MetricsRecorder metrics =
        new MetricsRecorder(
            profile.endpoint().streaming(), profile.load().goodput(), originMonotonicNanos);

    private Recorder(int loop) {
      this.loop = loop;
      this.thread =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread t = new Thread(runnable, "loadgen-recorder-" + loop);
                t.setDaemon(true);
                return t;
              });
    }

    /** Whether a sink takes every record, so that every arrival of a stream must be kept. */
    boolean keepsEveryArrival() {
      return sink != null;
    }

    /** Queues a finished request; returns at once. */
    void submit(Outcome outcome) {
      thread.execute(() -> record(outcome));
    }

    private void record(Outcome outcome) {
      boolean serverCounts = profile.workload().useServerTokenCount();
      boolean slotWaits = Metric.SLOT_WAIT.appliesTo(profile);
      int outputTokens;
      int inputTokens =
          outcome.inputTokens() >= 0
              ? outcome.inputTokens()
              : tokenizer.count(SessionBodies.conversationText(outcome.requestBody()));
      // A reasoning model's thinking counts in its output, as every token the server generated
      // (AIPerf's output sequence length); its answer alone is the output token count.
      int reasoningTokens =
          outcome.reasoningText() == null || outcome.failed()
              ? 0
              : tokenizer.count(outcome.reasoningText());
      if (outcome.failed()) {
        outputTokens = 0;
      } else if (outcome.cancelledByClient()) {
        // Its partial output, for the raw export only: no figure counts it.
        outputTokens = tokenizer.count(outcome.outputText()) + reasoningTokens;
      } else if (serverCounts && outcome.serverCompletionTokens() >= 0) {
        outputTokens = (int) Math.min(Integer.MAX_VALUE, outcome.serverCompletionTokens());
      } else {
        outputTokens = tokenizer.count(outcome.outputText()) + reasoningTokens;
        if (outcome.serverCompletionTokens() >= 0 && !outcome.warmup()) {
          metrics.recordTokenCountComparison(outputTokens, outcome.serverCompletionTokens());
        }
      }
      if (serverCounts && outcome.errorKind() == null && outcome.serverPromptTokens() >= 0) {
        inputTokens = (int) Math.min(Integer.MAX_VALUE, outcome.serverPromptTokens());
      }
      if (!outcome.warmup()) {
        metrics.recordRetries(outcome.retries());
        if (slotWaits) {
          metrics.recordSlotWait(outcome.intendedNanos(), outcome.sendNanos(), outcome.endNanos());
        }
        if (outcome.cancelledByClient()) {
          metrics.recordCancellation(outcome.intendedNanos(), outcome.endNanos());
        } else if (outcome.failed()) {
          metrics.recordSendLag(
              outcome.intendedNanos(), outcome.writtenNanos(), outcome.endNanos());
          metrics.recordFailure(outcome.errorKind(), outcome.intendedNanos(), outcome.endNanos());
        } else {
          RequestTimings timings =
              RequestTimings.compute(
                  outcome.intendedNanos(), outcome.responseTimes(), outputTokens);
          long end = outcome.responseTimes().last();
          metrics.recordSendLag(outcome.intendedNanos(), outcome.writtenNanos(), end);
          metrics.recordSuccess(outcome.intendedNanos(), timings, inputTokens, outputTokens, end);
          if (profile.load().sessions() != null) {
            metrics.recordTurn(SessionPlan.turn(outcome.id()) + 1, timings, inputTokens);
          }
          metrics.recordServerUsage(outcome.serverPromptTokens(), outcome.serverCompletionTokens());
          if (outcome.reasoningText() != null) {
            metrics.recordReasoning(
                reasoningTokens,
                Math.max(0, outputTokens - reasoningTokens),
                outcome.firstOutputNanos() < 0
                    ? RequestTimings.ABSENT
                    : outcome.firstOutputNanos() - outcome.intendedNanos(),
                end);
          }
          latencies.record(loop, timings);
        }
      }
      if (sink != null) {
        // The sink writes one file in order: one record at a time, whichever loop's it is.
        synchronized (sinkLock) {
          if (sinkFailure == null) {
            try {
              sink.accept(toRecord(outcome, inputTokens, outputTokens, reasoningTokens));
            } catch (RuntimeException e) {
              sinkFailure = e;
            }
          }
        }
      }
    }

    /** Completes once every request queued so far is recorded; then stops the thread. */
    private CompletableFuture<MetricsRecorder> drain() {
      CompletableFuture<MetricsRecorder> drained = new CompletableFuture<>();
      thread.execute(() -> drained.complete(metrics));
      thread.shutdown();
      return drained;
    }
  }

  private RequestRecord toRecord(
      Outcome outcome, int inputTokens, int outputTokens, int reasoningTokens) {
    long[] responses = outcome.responseTimes().toArray();
    for (int i = 0; i < responses.length; i++) {
      responses[i] = epochNanos(responses[i]);
    }
    return new RequestRecord(
        outcome.id(),
        outcome.warmup(),
        epochNanos(outcome.intendedNanos()),
        epochNanos(outcome.sendNanos()),
        responses,
        outcome.requestBody(),
        scrubber.scrub(outcome.outputText()),
        inputTokens,
        outputTokens,
        outcome.serverPromptTokens(),
        outcome.serverCompletionTokens(),
        outcome.httpStatus(),
        outcome.errorKind(),
        scrubber.scrub(outcome.errorMessage()),
        rawResponses(outcome.rawResponses()),
        outcome.retries(),
        reasoningTokens);
  }

  private List<RawResponse> rawResponses(RawResponseLog log) {
    if (log == null) {
      return List.of();
    }
    List<RawResponse> responses = new ArrayList<>(log.count());
    for (int i = 0; i < log.count(); i++) {
      responses.add(
          new RawResponse(
              epochNanos(log.arrivalNanos(i)), scrubber.scrub(log.text(i)), log.cut(i)));
    }
    return responses;
  }

  /**
   * Says once, at the end, when the tokenizer's count of the outputs differs from the server's
   * {@code usage.completion_tokens} by more than {@link #TOKEN_COUNT_TOLERANCE}: output lengths,
   * inter-token latency and throughputs then read off by that much, and the usual cause is a
   * tokenizer that is not the model's. Prompts are not compared: the server's count holds the chat
   * template's tokens, which ours, of the message contents as genai-perf counts, does not.
   */
  private void sayWhenTokenCountsDisagree(MetricsRecorder all) {
    long ours = all.comparedTokenizerTokens();
    long theirs = all.comparedServerTokens();
    if (warningListener == null || theirs <= 0) {
      return;
    }
    double off = (double) (ours - theirs) / theirs;
    if (Math.abs(off) > TOKEN_COUNT_TOLERANCE) {
      warningListener.accept(
          new RunWarning(
              "useServerTokenCount",
              String.format(
                  java.util.Locale.ROOT,
                  "the tokenizer counted %,d output tokens where the server reported %,d"
                      + " (%+.1f%%): is the tokenizer the model's? Output lengths, inter-token"
                      + " latency and throughputs read %.1f%% %s; the server's counts can be used"
                      + " instead",
                  ours,
                  theirs,
                  100 * off,
                  100 * Math.abs(off),
                  off > 0 ? "high (ITL low)" : "low (ITL high)")));
    }
  }

  /** Token counts of the tokenizer and the server that agree within this share are one count. */
  static final double TOKEN_COUNT_TOLERANCE = 0.05;

  long epochNanos(long monotonicNanos) {
    return originEpochNanos + (monotonicNanos - originMonotonicNanos);
  }

  /**
   * Completes once every queued request is recorded, with the run's result (the loops' histograms
   * and counts added together); exceptionally if the sink failed. Stops the threads.
   */
  CompletableFuture<MeasuredResult> finish(LoadEngine.EngineTotals totals) {
    List<CompletableFuture<MetricsRecorder>> drained =
        recorders.stream().map(Recorder::drain).toList();
    return CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              if (sink != null) {
                synchronized (sinkLock) {
                  sink.close();
                }
              }
              if (sinkFailure != null) {
                throw sinkFailure;
              }
              MetricsRecorder all =
                  new MetricsRecorder(
                      profile.endpoint().streaming(),
                      profile.load().goodput(),
                      originMonotonicNanos);
              drained.forEach(loop -> all.addAll(loop.join()));
              sayWhenTokenCountsDisagree(all);
              RunSummary summary =
                  all.summary(
                      totals.cancelled(),
                      totals.cut(),
                      totals.interrupted(),
                      totals.maxLoopDelayNanos(),
                      totals.abortReason());
              Map<Metric, Histogram> histograms = all.histograms();
              long startMillis = epochNanos(totals.measureStartNanos()) / 1_000_000;
              Map<Metric, List<Histogram>> intervals = new EnumMap<>(Metric.class);
              for (Metric metric : Metric.values()) {
                intervals.put(
                    metric, all.intervals(metric, originEpochNanos, totals.measureStartNanos()));
              }
              return new MeasuredResult(
                  profile,
                  histograms,
                  intervals,
                  summary,
                  startMillis,
                  io.loadgen.core.ServerMetrics.NONE);
            });
  }
}
