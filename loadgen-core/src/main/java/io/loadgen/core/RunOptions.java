package io.loadgen.core;

import io.loadgen.tokenizer.Tokenizer;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a run reports to while it goes, and what it may borrow, beside its {@link Profile}: the
 * profile says what to measure; these say where the run's by-products go. Immutable; start from
 * {@link #defaults()}.
 *
 * @param tokenizer a tokenizer the caller owns and closes, to count tokens with instead of loading
 *     the one the profile names (runs one after another, such as a test class, then load it once);
 *     it must be the one {@link Workload#tokenizer()} names, which the exports record. Null to load
 *     it
 * @param recordSink receives every finished request (the raw export), or null
 * @param progressListener called about once a second with the run's progress, or null
 * @param warningListener called with each {@link RunWarning} as the run meets it, off the event
 *     loops, or null
 * @param wallClock read once, at the start, to put the run's monotonic times on the calendar: every
 *     epoch time in a {@link RequestRecord} is this instant plus a {@link System#nanoTime()}
 *     offset. A harness that matches records with another process's {@code nanoTime} stamps passes
 *     a clock on that scale
 */
public record RunOptions(
    Tokenizer tokenizer,
    RequestRecordSink recordSink,
    Consumer<Progress> progressListener,
    Consumer<RunWarning> warningListener,
    InstantSource wallClock) {
  private static final RunOptions DEFAULTS =
      new RunOptions(null, null, null, null, InstantSource.system());

  public RunOptions {
    Objects.requireNonNull(wallClock, "wallClock");
  }

  /** No borrowed tokenizer, no sink, no listeners, the system's wall clock. */
  public static RunOptions defaults() {
    return DEFAULTS;
  }

  public RunOptions withTokenizer(Tokenizer tokenizer) {
    return new RunOptions(tokenizer, recordSink, progressListener, warningListener, wallClock);
  }

  public RunOptions withRecordSink(RequestRecordSink sink) {
    return new RunOptions(tokenizer, sink, progressListener, warningListener, wallClock);
  }

  public RunOptions withProgressListener(Consumer<Progress> listener) {
    return new RunOptions(tokenizer, recordSink, listener, warningListener, wallClock);
  }

  public RunOptions withWarningListener(Consumer<RunWarning> listener) {
    return new RunOptions(tokenizer, recordSink, progressListener, listener, wallClock);
  }

  public RunOptions withWallClock(InstantSource clock) {
    return new RunOptions(tokenizer, recordSink, progressListener, warningListener, clock);
  }
}
