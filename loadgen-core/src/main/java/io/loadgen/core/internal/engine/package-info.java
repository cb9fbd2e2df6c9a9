/**
 * engine: runs one profile, and drives every other step of the data path. {@code Runs} wires a run
 * together; {@code Dataset} makes every request body before the first send; {@code ClientWarmUp}
 * loads the client's classes against a throwaway local server; {@code LoadEngine} runs the warm-up
 * and measured phases over the event loops; on each loop a {@code Pacer}, a pure model tested on a
 * virtual clock, says what to send and when, and a {@code LoopDriver} sends it through Vert.x,
 * fails the requests past one of their {@code RequestLimits} and measures how late its loop runs;
 * and {@code Recording}'s threads, one per loop, take each finished request off the loop.
 */
package io.loadgen.core.internal.engine;
