/**
 * report: the last step of the data path, measured results into what a person or a tool reads.
 * {@link io.loadgen.report.ConsoleTable} prints genai-perf's table, {@link
 * io.loadgen.report.Exports} writes the JSON and CSV summaries and one HdrHistogram log per metric,
 * {@link io.loadgen.report.RawExportSink} streams the per-request export as requests finish, and
 * {@link io.loadgen.report.SweepSummary} relates the server's KV-cache usage to the load across
 * levels, {@link io.loadgen.report.Plots} draws a run's charts from the files it wrote, and {@link
 * io.loadgen.report.Comparison} sets several runs' folders side by side. Its package-private
 * classes {@code io.loadgen.report.internal.plots} (the charts' data and drawing) and {@code
 * io.loadgen.report.internal.compare} (the compared figures) are its internals. The public types
 * are listed in {@code loadgen-report/api/loadgen-report.api}.
 */
package io.loadgen.report;
