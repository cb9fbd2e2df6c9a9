/**
 * The HTML of a run's {@code report.html}: {@link io.loadgen.report.internal.html.ReportPage}
 * builds one self-contained page (styles inline, images as {@code data:} URIs, a
 * Content-Security-Policy that forbids fetching anything) and {@link
 * io.loadgen.report.internal.html.Html} escapes every text put into it. Only {@link
 * io.loadgen.report.HtmlReport} is public.
 */
package io.loadgen.report.internal.html;
