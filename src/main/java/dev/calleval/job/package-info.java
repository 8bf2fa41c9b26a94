/**
 * Job definitions (the YAML files in {@code jobs/}) and the Spring Batch job {@code evaluate} that runs one:
 * a chunked, restartable submit step and a reconcile step, and the launcher that starts or restarts a job
 * execution and writes its report.
 */
@NullMarked
package dev.calleval.job;

import org.jspecify.annotations.NullMarked;
