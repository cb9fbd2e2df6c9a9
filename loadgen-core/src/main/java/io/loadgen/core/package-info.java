/**
 * loadgen's Java API, both ends of the data path: a {@link io.loadgen.core.Profile} says what to
 * send, to whom and under what load; {@link io.loadgen.core.LoadGenerator} runs it; a {@link
 * io.loadgen.core.ProfileResult} holds what was measured (one HdrHistogram per {@link
 * io.loadgen.core.Metric}, the {@link io.loadgen.core.RunSummary} and the {@link
 * io.loadgen.core.ServerMetrics}), and a {@link io.loadgen.core.RequestRecordSink} receives every
 * request as it finishes. Everything between lives under {@code io.loadgen.core.internal} and may
 * change in any release; the types here are listed in {@code loadgen-core/api/loadgen-core.api}.
 */
package io.loadgen.core;
