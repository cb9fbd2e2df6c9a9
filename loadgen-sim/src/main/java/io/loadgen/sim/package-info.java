/**
 * The simulated OpenAI-compatible inference server's API, the other end of the wire in tests and
 * benchmarks: {@link io.loadgen.sim.SimServer} starts one from a {@link io.loadgen.sim.SimConfig}
 * (a {@link io.loadgen.sim.SimPreset} with {@link io.loadgen.sim.SimOverrides} and {@link
 * io.loadgen.sim.SimFaults}), reports its {@link io.loadgen.sim.SimStats}, and tells a {@link
 * io.loadgen.sim.TokenSendListener} when each token was due and when it was written. The server
 * itself lives under {@code io.loadgen.sim.internal}; the types here are listed in {@code
 * loadgen-sim/api/loadgen-sim.api}.
 */
package io.loadgen.sim;
