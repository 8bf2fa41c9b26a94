/**
 * Reports per job execution: {@code calls.csv} (one row per call read, with its state and key metrics),
 * {@code rejects.csv} (one row per rejected input row: line, fields, reason), {@code summary.json} (counts
 * that add up to the rows read) and {@code report.html} (the same for people: charts drawn as inline SVG, the calls
 * with their transcripts, the rejects; see {@link dev.calleval.report.HtmlReport}), written to
 * {@code reports/<job>/<execution id>/}.
 */
@NullMarked
package dev.calleval.report;

import org.jspecify.annotations.NullMarked;
