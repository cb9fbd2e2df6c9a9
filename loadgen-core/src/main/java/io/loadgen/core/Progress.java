package io.loadgen.core;

/**
 * A snapshot of a running profile, for a live progress line.
 *
 * @param elapsedNanos since the first send
 * @param completed measured requests finished successfully
 * @param failed measured requests that failed
 * @param inFlight requests sent and not finished
 * @param target measured requests the run will send, or -1 when it runs for a time window
 * @param tokensPerSecond content responses received per second over the last interval
 */
public record Progress(
    long elapsedNanos,
    long completed,
    long failed,
    long inFlight,
    long target,
    double tokensPerSecond) {}
