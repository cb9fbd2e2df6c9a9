/**
 * The {@code loadgen} command, a thin picocli layer over the Java API: {@code profile} turns
 * genai-perf's flags into a {@link io.loadgen.core.Profile}, runs it with a live progress view and
 * hands the result to loadgen-report; {@code sim} runs the simulated server standalone. Failures
 * become one line on stderr and an exit code. Its public surface is {@link io.loadgen.cli.Main} and
 * the command line; it uses only the other modules' root packages.
 */
package io.loadgen.cli;
