/**
 * The reading half of {@code loadgen merge}: {@link io.loadgen.report.internal.merge.RunArtifacts}
 * reads what one run's folder holds (the summary export, its {@code .hlog} intervals, the raw
 * export's window), {@link io.loadgen.report.internal.merge.IntervalGrid} adds several runs'
 * intervals second by second, and {@link io.loadgen.report.internal.merge.RawExports} reads and
 * concatenates raw exports without holding them. Only {@link io.loadgen.report.Merge} is public; it
 * writes the merged run with the same exports a single run has.
 */
package io.loadgen.report.internal.merge;
