/**
 * Reports per job execution: {@code calls.csv} (one row per call read, with its state and key metrics),
 * {@code rejects.csv} (one row per rejected input row: line, fields, reason) and {@code summary.json} (counts
 * that add up to the rows read), written to {@code reports/<job>/<execution id>/}.
 */
@NullMarked
package dev.calleval.report;

import org.jspecify.annotations.NullMarked;
