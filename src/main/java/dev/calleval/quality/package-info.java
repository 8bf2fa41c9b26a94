/**
 * Results over time: the figures of job executions (goal success, hallucination, latency, custom metrics) per agent,
 * label or metadata value ({@link dev.calleval.quality.QualityRecords}), compared between a baseline and a candidate
 * with a significance test per figure ({@link dev.calleval.quality.Comparison}), regressions decided by thresholds
 * ({@link dev.calleval.quality.Thresholds}: one rule for {@code compare}, the report's trend section and alerts), and the
 * alert that tells a configured URL about them ({@link dev.calleval.quality.Alerts}). docs/compare-and-alerts.md.
 */
@NullMarked
package dev.calleval.quality;

import org.jspecify.annotations.NullMarked;
