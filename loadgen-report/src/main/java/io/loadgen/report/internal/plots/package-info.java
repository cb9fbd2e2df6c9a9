/**
 * The charts of {@code --generate-plots}, made from what a run wrote rather than from its live
 * state, so that one run's folder (or several, later) can be drawn again at any time: {@link
 * io.loadgen.report.internal.plots.RawExportReader} reads the per-request export into {@link
 * io.loadgen.report.internal.plots.RequestSample}s, {@link
 * io.loadgen.report.internal.plots.HistogramLogs} merges a metric's {@code .hlog} intervals, {@link
 * io.loadgen.report.internal.plots.ServerMetricsReader} reads the scraped server's time series from
 * the summary export, {@link io.loadgen.report.internal.plots.PlotData} turns both into the series
 * each chart shows, and {@link io.loadgen.report.internal.plots.Charts} draws them with JFreeChart
 * into PNG files; {@link io.loadgen.report.internal.plots.InteractivePage} writes an {@link
 * io.loadgen.report.internal.plots.InteractiveChart} as an offline HTML page drawn by uPlot. Only
 * {@link io.loadgen.report.Plots} is public.
 */
package io.loadgen.report.internal.plots;
