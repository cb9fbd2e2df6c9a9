package io.loadgen.report.internal.plots;

import java.util.Arrays;

/**
 * One measured, successful request of the raw export, as the plots need it: its token counts and
 * when each response that carried content arrived.
 *
 * @param inputTokens prompt tokens by the run's tokenizer
 * @param outputTokens output tokens by the run's tokenizer
 * @param intendedSendEpochNanos when the schedule meant to send it, which every latency counts from
 *     (as the run's metrics do)
 * @param contentEpochNanos the arrival of each response that carried content, in order; the sample
 *     keeps its own copy
 */
public record RequestSample(
    int inputTokens, int outputTokens, long intendedSendEpochNanos, long[] contentEpochNanos) {

  public RequestSample {
    contentEpochNanos = contentEpochNanos.clone();
  }

  /** A copy of the content arrivals. */
  @Override
  public long[] contentEpochNanos() {
    return contentEpochNanos.clone();
  }

  /** How many responses carried content. */
  public int contentCount() {
    return contentEpochNanos.length;
  }

  /** The arrival of content response {@code index}, from 0. */
  public long contentEpochNanos(int index) {
    return contentEpochNanos[index];
  }

  /** The first content arrival minus the intended send, in milliseconds; NaN without content. */
  public double timeToFirstTokenMillis() {
    return contentEpochNanos.length == 0
        ? Double.NaN
        : (contentEpochNanos[0] - intendedSendEpochNanos) / 1e6;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RequestSample that
        && inputTokens == that.inputTokens
        && outputTokens == that.outputTokens
        && intendedSendEpochNanos == that.intendedSendEpochNanos
        && Arrays.equals(contentEpochNanos, that.contentEpochNanos);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * inputTokens + outputTokens) + Long.hashCode(intendedSendEpochNanos))
        + Arrays.hashCode(contentEpochNanos);
  }

  @Override
  public String toString() {
    return "RequestSample[inputTokens="
        + inputTokens
        + ", outputTokens="
        + outputTokens
        + ", intendedSendEpochNanos="
        + intendedSendEpochNanos
        + ", contentEpochNanos="
        + Arrays.toString(contentEpochNanos)
        + "]";
  }
}
