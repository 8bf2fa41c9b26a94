package dev.calleval.report;

import java.util.concurrent.CompletableFuture;
import org.springframework.batch.core.job.Job;

/**
 * A job built for one launch, with the outcome its {@link ReportListener} completes once the execution has ended and
 * its report is written (exceptionally when it could not be, or when the execution never ran: refused because
 * another execution of the job over the same source was running).
 *
 * @param <S> the summary type of the job's report
 */
public record ReportedJob<S>(Job job, CompletableFuture<JobOutcome<S>> outcome) {}
