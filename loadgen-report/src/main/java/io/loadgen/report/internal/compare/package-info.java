/**
 * The figures of {@code loadgen compare}: {@link
 * io.loadgen.report.internal.compare.RunFiguresReader} reads each run's avg, p50 and p99 from the
 * summary export in its folder into {@link io.loadgen.report.internal.compare.RunFigures}, and
 * {@link io.loadgen.report.internal.compare.ComparedMetric} lines the runs up, a row per metric,
 * with each run's change against the first. Only {@link io.loadgen.report.Comparison} is public; it
 * renders the rows and draws the overlaid charts with {@code internal.plots}.
 */
package io.loadgen.report.internal.compare;
