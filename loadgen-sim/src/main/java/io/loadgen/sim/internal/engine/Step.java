package io.loadgen.sim.internal.engine;

/**
 * What one engine step produced, all due at {@code endNanos}: {@code tokens[i]} emitted its token
 * number {@code tokenIndexes[i]}, and finished if {@code finished[i]}.
 */
public record Step(
    long startNanos,
    long endNanos,
    int count,
    Sequence[] tokens,
    int[] tokenIndexes,
    boolean[] finished) {}
