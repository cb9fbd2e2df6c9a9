/**
 * The simulator's engine: when each token is generated. {@code Engine} is a pure discrete-time
 * model of a continuous-batching engine with a paged {@code KvCache}, after vLLM's scheduler,
 * tested on a virtual clock; {@code EngineDriver} is the thin real-time driver that paces its steps
 * onto {@link System#nanoTime()} on a thread of its own; {@code EngineMetrics} keeps what it does
 * as the Prometheus metrics that {@code /metrics} serves, under NIM's and vLLM's names.
 */
package io.loadgen.sim.internal.engine;
