package dev.calleval.job;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.report.ReportWriter;
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
 * Runs one job execution of a job definition and writes its report.
 *
 * <p>Job parameters: {@code source} (the manifest, identifying) and {@code run} (a counter, identifying). When the
 * job's last execution over the same source FAILED or was STOPPED, the run restarts that job instance (a new
 * execution of it), which sends the calls left FAILED. Otherwise a new instance starts with the next
 * {@code run} number; the ledger makes sure nothing already accepted is sent again.
 */
@Service
public class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final EvaluateJobFactory jobFactory;
    private final ReportWriter reportWriter;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, EvaluateJobFactory jobFactory, ReportWriter reportWriter) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobFactory = jobFactory;
        this.reportWriter = reportWriter;
    }

    /** The outcome of a run: its summary (as written to {@code summary.json}) and whether it completed. */
    public record RunOutcome(RunSummary summary, boolean completed, boolean restarted) {}

    /**
     * Runs the job to its end (synchronously) and writes the report.
     *
     * @param client the client for this run (its rate limit and retry come from the job definition)
     * @param waitForResults how long the reconcile step waits for results; zero for one pass
     */
    public RunOutcome run(JobDefinition definition, BluejayClient client, Duration waitForResults) throws Exception {
        Job job = jobFactory.build(definition, client, waitForResults);
        String source = definition.manifestPath().toString();
        JobParameters parameters = null;
        boolean restart = false;
        JobInstance last = jobRepository.getLastJobInstance(definition.name());
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
                log.info("restarting {} run {} (execution {} ended {}): calls left FAILED are sent again",
                        definition.name(), lastRun, lastExecution.getId(), lastExecution.getStatus());
            }
        }
        if (parameters == null) {
            parameters = new JobParametersBuilder()
                    .addString("source", source, true)
                    .addLong("run", nextRun, true)
                    .toJobParameters();
        }
        JobExecution execution = jobOperator.start(job, parameters);
        log.info("{} execution {} ended {}", definition.name(), execution.getId(), execution.getStatus());
        StepExecution submit = execution.getStepExecutions().stream().filter(s -> s.getStepName().equals("submit")).findFirst().orElse(null);
        BluejayClient.Stats stats = client.stats();
        String failure = execution.getAllFailureExceptions().stream().map(JobRunner::rootMessage).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining("; "));
        String exitDescription = failure.isEmpty() ? emptyToNull(execution.getExitStatus().getExitDescription()) : failure;
        RunSummary summary = reportWriter.write(Path.of(definition.report().directory()), new ReportWriter.ExecutionInfo(
                definition.name(), execution.getId(), execution.getStatus().name(), exitDescription,
                instant(execution.getStartTime()), instant(execution.getEndTime()), definition.requireSource().location(),
                submit == null ? 0 : submit.getReadCount(),
                new dev.calleval.report.RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt())));
        return new RunOutcome(summary, execution.getStatus() == BatchStatus.COMPLETED, restart);
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
