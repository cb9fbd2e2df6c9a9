/**
 * The HTML of a run's and a sweep's {@code report.html}: {@link
 * io.loadgen.report.internal.html.ReportPage} and {@link io.loadgen.report.internal.html.SweepPage}
 * build one self-contained page each (styles inline, images as {@code data:} URIs, a
 * Content-Security-Policy that forbids fetching anything) and {@link
 * io.loadgen.report.internal.html.Html} escapes every text put into it. Only {@link
 * io.loadgen.report.HtmlReport} and {@link io.loadgen.report.SweepReport} are public.
 */
package io.loadgen.report.internal.html;
