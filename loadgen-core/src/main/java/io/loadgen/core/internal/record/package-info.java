/**
 * record: timings into histograms. {@code ResponseTimes} keeps a request's content arrival times on
 * its event loop; an {@code Outcome} carries the finished request to a recorder thread; {@code
 * RequestTimings} computes genai-perf's per-request metrics from the timeline; {@code
 * MetricsRecorder} records them into one HdrHistogram per metric, with the run's totals.
 */
package io.loadgen.core.internal.record;
