package dev.calleval.report;

import dev.calleval.database.DatabaseRetry;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.jobfile.ReportSettings;
import dev.calleval.s3.S3Settings;
import dev.calleval.s3.S3Storage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report of an ended execution is written by its job's listener: once, after the end; its failure is the outcome's. */
class ReportListenerTests {
    @TempDir
    Path dir;

    private final DatabaseRetry retry = new DatabaseRetry(Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(50));
    private final ReportUpload upload = new ReportUpload(new S3Storage(S3Settings.defaults()));

    private static JobExecution ended(BatchStatus status) {
        JobExecution execution = new JobExecution(7L, new JobInstance(3L, "nightly"), new JobParameters());
        execution.setStatus(status);
        return execution;
    }

    @Test
    void writesTheReportAfterTheJobAndCompletesTheOutcomeWithIt() {
        AtomicInteger writes = new AtomicInteger();
        ReportListener<String> listener = new ReportListener<>("nightly", new ReportSettings(dir.toString(), null), execution -> {
            writes.incrementAndGet();
            return new ReportListener.Written<>("summary of " + execution.getId(), dir.resolve("nightly/7").toString());
        }, upload, retry);

        assertThat(listener.outcome()).isNotDone();
        listener.afterJob(ended(BatchStatus.FAILED));

        JobOutcome<String> outcome = listener.outcome().join();
        assertThat(writes).hasValue(1);
        assertThat(outcome.summary()).isEqualTo("summary of 7");
        assertThat(outcome.executionId()).isEqualTo(7L);
        assertThat(outcome.status()).isEqualTo("FAILED");
        assertThat(outcome.completed()).isFalse();
        assertThat(outcome.reportDirectory()).isEqualTo(dir.resolve("nightly/7").toString());
        assertThat(outcome.upload()).as("report.directory is local: nothing uploaded").isNull();
    }

    @Test
    void aReportThatCannotBeWrittenCompletesTheOutcomeExceptionallyWithoutFailingTheJob() {
        ReportListener<String> listener = new ReportListener<>("nightly", new ReportSettings(dir.toString(), null), execution -> {
            throw new UncheckedIOException("cannot write the report to " + dir, new java.io.IOException("disk full"));
        }, upload, retry);

        listener.afterJob(ended(BatchStatus.COMPLETED)); // does not throw: the execution keeps its status

        assertThatThrownBy(() -> listener.outcome().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write the report to");
    }

    @Test
    void anExecutionRefusedBecauseATwinWasRunningGetsNoReport() {
        AtomicInteger writes = new AtomicInteger();
        ReportListener<String> listener = new ReportListener<>("nightly", new ReportSettings(dir.toString(), null), execution -> {
            writes.incrementAndGet();
            return new ReportListener.Written<>("x", dir.toString());
        }, upload, retry);
        JobExecution refused = ended(BatchStatus.STOPPED);
        refused.addFailureException(new JobAlreadyRunningException("nightly", "/data/calls.csv", 6L, null));

        listener.afterJob(refused);

        assertThat(writes).hasValue(0);
        assertThatThrownBy(() -> listener.outcome().join()).hasCauseInstanceOf(JobAlreadyRunningException.class);
    }
}
