package io.loadgen.core.internal.engine;

import io.loadgen.core.Metric;
import io.loadgen.core.Profile;
import io.loadgen.core.ProfileResult;
import io.loadgen.core.Progress;
import io.loadgen.core.RequestRecord;
import io.loadgen.core.RequestRecordSink;
import io.loadgen.core.RunSummary;
import io.loadgen.core.internal.record.MetricsRecorder;
import io.loadgen.core.internal.record.Outcome;
import io.loadgen.core.internal.record.RequestTimings;
import io.loadgen.tokenizer.Tokenizer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The recorder thread: takes finished requests off the event loop, counts their output tokens with
 * the tokenizer (CPU work that must never run on the event loop), records the measured ones and
 * hands every one to the raw-export sink. One thread, so the histograms need no locks.
 */
final class Recording {
  private final ExecutorService thread;
  private final Profile profile;
  private final Tokenizer tokenizer;
  private final MetricsRecorder metrics;
  private final RequestRecordSink sink;
  private final Consumer<Progress> progressListener;
  private final long originEpochNanos;
  private final long originMonotonicNanos;
  private RuntimeException sinkFailure;

  Recording(Profile profile, Tokenizer tokenizer, long originEpochNanos, long originMonotonicNanos) {
    this.profile = profile;
    this.tokenizer = tokenizer;
    this.metrics = new MetricsRecorder(profile.streaming(), profile.goodput());
    this.sink = profile.recordSink();
    this.progressListener = profile.progressListener();
    this.originEpochNanos = originEpochNanos;
    this.originMonotonicNanos = originMonotonicNanos;
    this.thread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "loadgen-recorder");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues a finished request; returns at once. */
  void submit(Outcome outcome) {
    thread.execute(() -> record(outcome));
  }

  /** Delivers a progress snapshot to the listener, off the event loop. */
  void progress(Progress progress) {
    if (progressListener != null) {
      thread.execute(() -> progressListener.accept(progress));
    }
  }

  private void record(Outcome outcome) {
    int outputTokens = outcome.failed() ? 0 : tokenizer.count(outcome.outputText());
    if (!outcome.warmup()) {
      if (outcome.failed()) {
        metrics.recordFailure(outcome.errorKind(), outcome.intendedNanos(), outcome.endNanos());
      } else {
        RequestTimings timings =
            RequestTimings.compute(outcome.intendedNanos(), outcome.responseTimes(), outputTokens);
        long end = outcome.responseTimes().last();
        metrics.recordSuccess(outcome.intendedNanos(), timings, outcome.inputTokens(), outputTokens, end);
        metrics.recordServerUsage(outcome.serverPromptTokens(), outcome.serverCompletionTokens());
      }
    }
    if (sink != null && sinkFailure == null) {
      try {
        sink.accept(toRecord(outcome, outputTokens));
      } catch (RuntimeException e) {
        sinkFailure = e;
      }
    }
  }

  private RequestRecord toRecord(Outcome outcome, int outputTokens) {
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
        outcome.outputText(),
        outcome.inputTokens(),
        outputTokens,
        outcome.serverPromptTokens(),
        outcome.serverCompletionTokens(),
        outcome.httpStatus(),
        outcome.errorKind(),
        outcome.errorMessage());
  }

  long epochNanos(long monotonicNanos) {
    return originEpochNanos + (monotonicNanos - originMonotonicNanos);
  }

  /**
   * Completes once every queued request is recorded, with the run's result; exceptionally if the
   * sink failed. Shuts the thread down.
   */
  CompletableFuture<ProfileResult> finish(long measureStartNanos, long cancelled, boolean interrupted) {
    CompletableFuture<ProfileResult> result = new CompletableFuture<>();
    thread.execute(
        () -> {
          try {
            if (sink != null) {
              sink.close();
            }
            if (sinkFailure != null) {
              throw sinkFailure;
            }
            RunSummary summary = metrics.summary(cancelled, interrupted);
            Map<Metric, Histogram> histograms = metrics.histograms();
            long startMillis = epochNanos(measureStartNanos) / 1_000_000;
            result.complete(new ProfileResult(profile, histograms, summary, startMillis));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    thread.shutdown();
    return result;
  }
}
