package dev.calleval.job;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.enrichment.EnrichReportWriter;
import dev.calleval.enrichment.EnrichSummary;
import dev.calleval.report.ReportUpload;
import dev.calleval.report.ReportWriter;
import dev.calleval.s3.S3Location;
import dev.calleval.report.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Service;

/**
 * Runs one job execution of a job definition and writes its report: {@link #run} for evaluate jobs,
 * {@link #runEnrich} for enrich jobs.
 *
 * <p>Job parameters: {@code source} (the manifest, or the enrich job's directory or manifest; identifying) and
 * {@code run} (a counter, identifying). When the job's last execution over the same source FAILED or was STOPPED,
 * the run restarts that job instance (a new execution of it), which sends the calls (posts the updates) left
 * FAILED. Otherwise a new instance starts with the next {@code run} number; the ledgers make sure nothing already
 * accepted is sent again.
 */
@Service
public class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final EvaluateJobFactory jobFactory;
    private final ReportWriter reportWriter;
    private final EnrichJobFactory enrichJobFactory;
    private final EnrichReportWriter enrichReportWriter;
    private final ReportUpload reportUpload;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, EvaluateJobFactory jobFactory, ReportWriter reportWriter,
            EnrichJobFactory enrichJobFactory, EnrichReportWriter enrichReportWriter, ReportUpload reportUpload) {
        this.reportUpload = reportUpload;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobFactory = jobFactory;
        this.reportWriter = reportWriter;
        this.enrichJobFactory = enrichJobFactory;
        this.enrichReportWriter = enrichReportWriter;
    }

    /**
     * The outcome of a run: its summary (as written to {@code summary.json}), whether it completed, and the upload of
     * its report to S3 (null when {@code report.directory} is local).
     */
    public record RunOutcome(RunSummary summary, boolean completed, boolean restarted, ReportUpload.@Nullable Result upload) {
        public RunOutcome(RunSummary summary, boolean completed, boolean restarted) {
            this(summary, completed, restarted, null);
        }
    }

    /** The outcome of an enrich run: its summary (as written to {@code summary.json}), whether it completed, the report upload. */
    public record EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted, ReportUpload.@Nullable Result upload) {
        public EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted) {
            this(summary, completed, restarted, null);
        }
    }

    /**
     * Runs the job to its end (synchronously) and writes the report.
     *
     * @param client the client for this run (its rate limit and retry come from the job definition)
     * @param waitForResults how long the reconcile step waits for results; zero for one pass
     */
    public RunOutcome run(JobDefinition definition, BluejayClient client, Duration waitForResults) throws Exception {
        if (definition.kind() != JobDefinition.Kind.EVALUATE) {
            throw new IllegalArgumentException(definition.name() + " is an " + definition.kind() + " job, not an evaluate job");
        }
        Job job = jobFactory.build(definition, client, waitForResults);
        Launch launch = launch(job, definition.name(), definition.sourceKey());
        JobExecution execution = launch.execution();
        StepExecution submit = step(execution, "submit");
        BluejayClient.Stats stats = client.stats();
        RunSummary summary = reportWriter.write(definition.report().localPath(), new ReportWriter.ExecutionInfo(
                definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, false),
                instant(execution.getStartTime()), instant(execution.getEndTime()), definition.requireSource().resolvedLocation(),
                submit == null ? 0 : submit.getReadCount(),
                new dev.calleval.report.RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt())));
        return new RunOutcome(summary, execution.getStatus() == BatchStatus.COMPLETED, launch.restarted(),
                upload(definition, execution.getId(), Path.of(summary.reportDirectory())));
    }

    /**
     * Runs an enrich job ({@code enrich:} section) to its end and writes its report ({@code updates.csv},
     * {@code rejects.csv}, {@code summary.json}).
     *
     * @param client the client for this run (its rate limit and retry come from the job's {@code submit:} section)
     * @param resendInDoubt post again the results earlier runs left IN_DOUBT
     * @throws IllegalArgumentException when the definition is not an enrich job
     */
    public EnrichOutcome runEnrich(JobDefinition definition, BluejayClient client, boolean resendInDoubt) throws Exception {
        if (definition.kind() != JobDefinition.Kind.ENRICH) {
            throw new IllegalArgumentException(definition.name() + " is an " + definition.kind() + " job, not an enrich job");
        }
        Job job = enrichJobFactory.build(definition, client, resendInDoubt);
        Launch launch = launch(job, definition.name(), definition.enrichLocation().toString());
        JobExecution execution = launch.execution();
        StepExecution step = step(execution, "enrich");
        BluejayClient.Stats stats = client.stats();
        EnrichSummary summary = enrichReportWriter.write(definition.report().localPath(), new EnrichReportWriter.ExecutionInfo(
                definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, true),
                instant(execution.getStartTime()), instant(execution.getEndTime()),
                dev.calleval.enrichment.SimulationLogSource.shown(definition.enrichLocation()), step == null ? 0 : step.getReadCount(),
                resendInDoubt, new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt())));
        return new EnrichOutcome(summary, execution.getStatus() == BatchStatus.COMPLETED, launch.restarted(),
                upload(definition, execution.getId(), definition.report().localPath().resolve(definition.name()).resolve(Long.toString(execution.getId()))));
    }

    /** Uploads the report to {@code <report.directory>/<job>/<execution id>/} when that is an S3 prefix. */
    private ReportUpload.@Nullable Result upload(JobDefinition definition, long executionId, Path localReport) {
        S3Location prefix = definition.report().upload();
        if (prefix == null) {
            return null;
        }
        ReportUpload.Result result = reportUpload.upload(localReport, prefix.child(definition.name() + "/" + executionId + "/"));
        if (result.succeeded()) {
            log.info("{} execution {}: report uploaded to {}", definition.name(), executionId, result.target());
        } else {
            log.warn("{} execution {}: report upload to {} failed: {}", definition.name(), executionId, result.target(), result.error());
        }
        return result;
    }

    private record Launch(JobExecution execution, boolean restarted) {}

    /** Starts a new instance of the job over {@code source}, or restarts its last one when that failed or was stopped. */
    private Launch launch(Job job, String name, String source) throws Exception {
        JobParameters parameters = null;
        boolean restart = false;
        JobInstance last = jobRepository.getLastJobInstance(name);
        long nextRun = 1;
        if (last != null) {
            JobExecution lastExecution = jobRepository.getLastJobExecution(last);
            JobParameters lastParameters = lastExecution == null ? null : lastExecution.getJobParameters();
            Long lastRun = lastParameters == null ? null : lastParameters.getLong("run");
            nextRun = lastRun == null ? 1 : lastRun + 1;
            if (lastExecution != null && (lastExecution.getStatus() == BatchStatus.FAILED || lastExecution.getStatus() == BatchStatus.STOPPED)
                    && Objects.equals(source, lastParameters.getString("source"))) {
                parameters = lastParameters;
                restart = true;
                log.info("restarting {} run {} (execution {} ended {}): what was left FAILED is sent again",
                        name, lastRun, lastExecution.getId(), lastExecution.getStatus());
            }
        }
        if (parameters == null) {
            parameters = new JobParametersBuilder()
                    .addString("source", source, true)
                    .addLong("run", nextRun, true)
                    .toJobParameters();
        }
        JobExecution execution = jobOperator.start(job, parameters);
        log.info("{} execution {} ended {}", name, execution.getId(), execution.getStatus());
        return new Launch(execution, restart);
    }

    private static @Nullable StepExecution step(JobExecution execution, String name) {
        return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst().orElse(null);
    }

    /**
     * Why the execution ended as it did: the root causes of its failures, else its exit description, else (with
     * {@code fromSteps}) the first step's exit description.
     */
    private static @Nullable String exitDescription(JobExecution execution, boolean fromSteps) {
        String failure = execution.getAllFailureExceptions().stream().map(JobRunner::rootMessage).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining("; "));
        if (!failure.isEmpty()) {
            return failure;
        }
        String description = emptyToNull(execution.getExitStatus().getExitDescription());
        if (description == null && fromSteps) {
            description = execution.getStepExecutions().stream().map(s -> emptyToNull(s.getExitStatus().getExitDescription()))
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        return description;
    }

    /** The message of the innermost cause: the one that says what went wrong, not which layer noticed. */
    static @Nullable String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : failure.getMessage();
    }

    private static @Nullable Instant instant(@Nullable LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
