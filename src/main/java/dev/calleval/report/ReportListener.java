package dev.calleval.report;

import dev.calleval.database.DatabaseRetry;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.jobfile.ReportSettings;
import dev.calleval.s3.S3Location;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Writes the report of a job execution once it has ended ({@link #afterJob}, after the job repository has its final
 * status) and uploads it to S3 when {@code report.directory} is an {@code s3://} prefix; then completes
 * {@link #outcome()}. One listener per built job, so per launch (see {@link JobReports#listener}).
 *
 * <p>The report is written again when the database connection was lost ({@link DatabaseRetry}). A report that cannot
 * be written completes the outcome exceptionally, never fails the execution; an upload that fails is in the outcome
 * ({@link ReportUpload.Result#succeeded()} false), logged at WARN, and leaves the local copy complete. An execution
 * that never ran because another execution of the job over the same source was alive (a
 * {@link JobAlreadyRunningException} among its failures) gets no report: its outcome completes with that exception.
 *
 * @param <S> the summary type of the job's report
 */
public final class ReportListener<S> implements JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(ReportListener.class);

    /** Writes the report files of an ended execution (the job kind's own files) and returns their summary. */
    @FunctionalInterface
    public interface Writer<S> {
        /**
         * @throws RuntimeException when the report cannot be written (e.g. {@link java.io.UncheckedIOException})
         */
        Written<S> write(JobExecution execution);
    }

    /**
     * A written report.
     *
     * @param directory the local folder of its files, {@code <report.directory>/<job>/<execution id>}
     */
    public record Written<S>(S summary, String directory) {}

    private final String jobName;
    private final ReportSettings settings;
    private final Writer<S> writer;
    private final ReportUpload reportUpload;
    private final DatabaseRetry retry;
    private final CompletableFuture<JobOutcome<S>> outcome = new CompletableFuture<>();

    ReportListener(String jobName, ReportSettings settings, Writer<S> writer, ReportUpload reportUpload, DatabaseRetry retry) {
        this.jobName = jobName;
        this.settings = settings;
        this.writer = writer;
        this.reportUpload = reportUpload;
        this.retry = retry;
    }

    /** Completes once the execution has ended and its report is written (and uploaded, when configured). */
    public CompletableFuture<JobOutcome<S>> outcome() {
        return outcome;
    }

    @Override
    public void afterJob(JobExecution execution) {
        JobAlreadyRunningException refused = execution.getFailureExceptions().stream().filter(JobAlreadyRunningException.class::isInstance)
                .map(JobAlreadyRunningException.class::cast).findFirst().orElse(null);
        if (refused != null) {
            outcome.completeExceptionally(refused); // it ran nothing: no report (the launch tells why)
            return;
        }
        try {
            outcome.complete(retry.call("writing the report of execution " + execution.getId(), () -> report(execution)));
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    private JobOutcome<S> report(JobExecution execution) {
        Written<S> written = writer.write(execution);
        return new JobOutcome<>(written.summary(), execution.getId(), execution.getStatus().name(), execution.getStatus() == BatchStatus.COMPLETED,
                written.directory(), upload(execution.getId(), Path.of(written.directory())));
    }

    /** Uploads the report to {@code <report.directory>/<job>/<execution id>/} when that is an S3 prefix. */
    private ReportUpload.@Nullable Result upload(long executionId, Path localReport) {
        S3Location prefix = settings.upload();
        if (prefix == null) {
            return null;
        }
        ReportUpload.Result result = reportUpload.upload(localReport, prefix.child(jobName + "/" + executionId + "/"));
        if (result.succeeded()) {
            log.info("{} execution {}: report uploaded to {}", jobName, executionId, result.target());
        } else {
            log.warn("{} execution {}: report upload to {} failed: {}", jobName, executionId, result.target(), result.error());
        }
        return result;
    }
}
