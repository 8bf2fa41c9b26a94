package dev.calleval.report;

import org.jspecify.annotations.Nullable;

/**
 * What an ended job execution produced, for evaluate and enrich jobs alike: its report's summary (as written to
 * {@code summary.json}), whether it completed, where its report is, and the upload of the report to S3.
 *
 * @param <S> the summary: {@link RunSummary} for an evaluate job, the enrich job's own summary for an enrich job
 * @param executionId the job execution's id
 * @param status the job execution's status (COMPLETED, FAILED, STOPPED)
 * @param completed whether the execution completed
 * @param reportDirectory the local folder its report was written to
 * @param upload the upload of the report to S3; null when {@code report.directory} is local
 */
public record JobOutcome<S>(S summary, long executionId, String status, boolean completed, String reportDirectory,
        ReportUpload.@Nullable Result upload) {}
