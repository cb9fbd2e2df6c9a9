/**
 * Measurements of the data path, beside the code they measure. JMH suites time single steps: a
 * synthetic prompt ({@code PromptSynthesisBenchmark}), SSE parsing and chunk decoding ({@code
 * StreamParsingBenchmark}) and per-token recording ({@code RequestTimingsBenchmark}); the last two
 * reach into loadgen-core's internal packages, which only this module may do. The scale harnesses
 * run the whole path against the simulated server, in this process or another, for throughput, CPU
 * and heap per stream, and timing error against the server's own schedule.
 */
package io.loadgen.benchmarks;
