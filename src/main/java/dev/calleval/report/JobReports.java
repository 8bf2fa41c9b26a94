package dev.calleval.report;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.ReportSettings;
import org.springframework.stereotype.Component;

/**
 * Makes the {@link ReportListener} a job factory adds to each job it builds, so that every job kind writes and
 * uploads its report the same way after its execution ends.
 */
@Component
public class JobReports {
    private final ReportUpload reportUpload;
    private final DatabaseRetry retry;

    public JobReports(ReportUpload reportUpload, DatabaseRetry retry) {
        this.reportUpload = reportUpload;
        this.retry = retry;
    }

    /**
     * A listener that writes the report of {@code definition}'s execution with {@code writer}, under its
     * {@code report:} settings.
     */
    public <S> ReportListener<S> listener(JobDefinition definition, ReportListener.Writer<S> writer) {
        return new ReportListener<>(definition.name(), definition.report(), writer, reportUpload, retry);
    }

    /**
     * The local folder of a job's reports: {@code <report.directory>/<job>/} (or {@code report.local-directory} when the
     * reports go to S3), each execution's in its {@code <execution id>/} under it; the plan of {@code run --dry-run}
     * is written here.
     */
    public static java.nio.file.Path jobDirectory(JobDefinition definition) {
        return definition.report().localPath().resolve(definition.name());
    }

    /**
     * A listener that writes the report of an execution of job {@code jobName} (e.g. {@code reevaluate-<job>}, whose
     * report folder and upload prefix are named for it) with {@code writer}, under {@code settings}.
     */
    public <S> ReportListener<S> listener(String jobName, ReportSettings settings, ReportListener.Writer<S> writer) {
        return new ReportListener<>(jobName, settings, writer, reportUpload, retry);
    }

    /** The HTTP requests {@code client} made so far, as a report counts them. */
    public static RunSummary.Requests requests(BluejayClient client) {
        BluejayClient.Stats stats = client.stats();
        return new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt());
    }
}
