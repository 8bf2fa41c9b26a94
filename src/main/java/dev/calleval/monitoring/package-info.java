/**
 * Watching calleval run: the submit step's progress (a live line on a terminal, a log line every
 * {@code calleval.progress.interval} otherwise), Micrometer metrics ({@code calleval.*}, scraped at
 * {@code /actuator/prometheus}), the Bluejay health indicator ({@code /actuator/health}) and the structured (JSON) log
 * option ({@code CALLEVAL_LOG_FORMAT}). Nothing here changes what a run does; the features report to it through
 * small listener interfaces ({@link dev.calleval.bluejay.RequestListener},
 * {@link dev.calleval.evaluate.SubmissionObserver}) so they work without Spring too.
 */
@NullMarked
package dev.calleval.monitoring;

import org.jspecify.annotations.NullMarked;

