/**
 * The simulator's HTTP side: requests off the socket into the engine, tokens out of it onto the
 * socket. {@code OpenAiHandler} routes the API on the event loop and {@code RequestParser} reads
 * completion requests, rejecting what a real server would; {@code StepDispatcher} hands each engine
 * step's tokens to their responses' event loops, one task per loop per step; {@code StreamWriter}
 * writes them as SSE events or one JSON body, in {@code ChunkFormat}'s text; {@code SelfWarmUp}
 * loads the server's classes before it listens.
 */
package io.loadgen.sim.internal;
