package dev.calleval.job;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.enrichment.EnrichReportWriter;
import dev.calleval.enrichment.EnrichSummary;
import dev.calleval.report.ReportWriter;
import dev.calleval.report.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.NoSuchJobExecutionException;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.stereotype.Service;

/**
 * Runs one job execution of a job definition and writes its report: {@link #run} for evaluate jobs,
 * {@link #runEnrich} for enrich jobs (both to their end, in the caller's thread), {@link #start} for either on an
 * executor (returning as soon as the execution exists; {@code serve}).
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

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, EvaluateJobFactory jobFactory, ReportWriter reportWriter,
            EnrichJobFactory enrichJobFactory, EnrichReportWriter enrichReportWriter) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobFactory = jobFactory;
        this.reportWriter = reportWriter;
        this.enrichJobFactory = enrichJobFactory;
        this.enrichReportWriter = enrichReportWriter;
    }

    /** What an ended job execution produced: its report's summary, and whether it completed. */
    public sealed interface Outcome permits RunOutcome, EnrichOutcome {
        /** The job execution id. */
        long executionId();

        /** The job execution's status (COMPLETED, FAILED, STOPPED). */
        String status();

        /** Whether the execution completed. */
        boolean completed();

        /** The folder its report was written to. */
        String reportDirectory();
    }

    /** The outcome of a run: its summary (as written to {@code summary.json}) and whether it completed. */
    public record RunOutcome(RunSummary summary, boolean completed, boolean restarted) implements Outcome {
        @Override
        public long executionId() {
            return summary.executionId();
        }

        @Override
        public String status() {
            return summary.status();
        }

        @Override
        public String reportDirectory() {
            return summary.reportDirectory();
        }
    }

    /** The outcome of an enrich run: its summary (as written to {@code summary.json}) and whether it completed. */
    public record EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted) implements Outcome {
        @Override
        public long executionId() {
            return summary.executionId();
        }

        @Override
        public String status() {
            return summary.status();
        }

        @Override
        public String reportDirectory() {
            return summary.reportDirectory();
        }
    }

    /**
     * A job execution started by {@link #start}.
     *
     * @param executionId its id, known as soon as it is created (status STARTING until a thread picks it up)
     * @param restarted whether it restarts a FAILED or STOPPED instance
     * @param ended completes once the execution has ended and its report is written (exceptionally when the report
     *     could not be written)
     */
    public record Started(long executionId, boolean restarted, CompletableFuture<Outcome> ended) {}

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
        Launch launch = parameters(definition.name(), sourceOf(definition));
        JobExecution execution = jobOperator.start(jobFactory.build(definition, client, waitForResults), launch.parameters());
        log.info("{} execution {} ended {}", definition.name(), execution.getId(), execution.getStatus());
        return (RunOutcome) report(definition, client, execution, launch.restarted(), false);
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
        Launch launch = parameters(definition.name(), sourceOf(definition));
        JobExecution execution = jobOperator.start(enrichJobFactory.build(definition, client, resendInDoubt), launch.parameters());
        log.info("{} execution {} ended {}", definition.name(), execution.getId(), execution.getStatus());
        return (EnrichOutcome) report(definition, client, execution, launch.restarted(), resendInDoubt);
    }

    /**
     * Starts one job execution (evaluate or enrich) on {@code executor} and returns once the execution exists in the
     * job repository; it runs on one of the executor's threads, then its report is written. Parameters and
     * restarts are as for {@link #run}. An evaluate job reconciles once ({@code waitForResults} zero) unless told
     * otherwise; an enrich job posts what earlier runs left in doubt only when its file says so.
     *
     * @param executor runs the execution; a rejected task ends the execution FAILED at once
     * @throws IllegalArgumentException for a simulate-sms job (not a Spring Batch job)
     * @throws Exception when Spring Batch refuses the launch (e.g. the instance is already running)
     */
    public Started start(JobDefinition definition, BluejayClient client, Duration waitForResults, Executor executor) throws Exception {
        boolean resendInDoubt = definition.kind() == JobDefinition.Kind.ENRICH && definition.requireEnrich().resendInDoubt();
        Job job = switch (definition.kind()) {
            case EVALUATE -> jobFactory.build(definition, client, waitForResults);
            case ENRICH -> enrichJobFactory.build(definition, client, resendInDoubt);
            case SIMULATE_SMS -> throw new IllegalArgumentException(definition.name() + " is a simulate-sms job: it queues simulation runs "
                    + "and is not started as a job execution (use 'calleval run " + definition.name() + "')");
        };
        Launch launch = parameters(definition.name(), sourceOf(definition));
        CompletableFuture<JobExecution> created = new CompletableFuture<>();
        CompletableFuture<Outcome> ended = new CompletableFuture<>();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(jobRepository);
        operator.setJobRegistry(new org.springframework.batch.core.configuration.support.MapJobRegistry());
        operator.setTaskExecutor(task -> {
            try {
                executor.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        JobExecution execution = created.join();
                        log.info("{} execution {} ended {}", definition.name(), execution.getId(), execution.getStatus());
                        try {
                            ended.complete(report(definition, client, execution, launch.restarted(), resendInDoubt));
                        } catch (RuntimeException e) {
                            ended.completeExceptionally(e);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new TaskRejectedException("no thread free to run " + definition.name(), e);
            }
        });
        operator.afterPropertiesSet();
        JobExecution execution;
        try {
            execution = operator.start(job, launch.parameters());
        } catch (Exception e) {
            created.completeExceptionally(e);
            throw e;
        }
        created.complete(execution);
        return new Started(execution.getId(), launch.restarted(), ended);
    }

    /**
     * The execution of job {@code jobName} over {@code source} that has not ended (STARTING, STARTED or STOPPING in the
     * job repository), if any: a second launch with the same parameters is refused while it runs. An execution of a
     * process that was killed stays STARTED in the repository and is reported here too.
     *
     * @param source the job parameter {@code source} ({@link #sourceOf})
     */
    public Optional<JobExecution> runningExecution(String jobName, String source) {
        return jobRepository.findRunningJobExecutions(jobName).stream()
                .filter(e -> source.equals(e.getJobParameters().getString("source")))
                .min(java.util.Comparator.comparing(JobExecution::getId));
    }

    /** The job parameter {@code source} of a definition: the absolute path it reads. */
    public static String sourceOf(JobDefinition definition) {
        return definition.sourcePath().toString();
    }

    /**
     * Asks a running execution to stop: its chunk step ends after the chunk in progress, the execution ends STOPPED,
     * and the next launch over the same source restarts it.
     *
     * @return false when it was not running (any more)
     */
    public boolean stop(long executionId) {
        try {
            return jobOperator.stop(executionId);
        } catch (JobExecutionNotRunningException | NoSuchJobExecutionException e) {
            return false;
        }
    }

    /**
     * Ends an execution that {@link #start} created but no thread ever ran (status STARTING): STOPPED, so that the next
     * launch over the same source restarts it. Does nothing to an execution in any other status.
     */
    public void stopWaiting(long executionId, String reason) {
        JobExecution execution = jobRepository.getJobExecution(executionId);
        if (execution != null && execution.getStatus() == BatchStatus.STARTING) {
            execution.setStatus(BatchStatus.STOPPED);
            execution.setExitStatus(ExitStatus.STOPPED.addExitDescription(reason));
            execution.setEndTime(LocalDateTime.now());
            jobRepository.update(execution);
        }
    }

    private Outcome report(JobDefinition definition, BluejayClient client, JobExecution execution, boolean restarted, boolean resendInDoubt) {
        BluejayClient.Stats stats = client.stats();
        RunSummary.Requests requests = new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt());
        boolean completed = execution.getStatus() == BatchStatus.COMPLETED;
        if (definition.kind() == JobDefinition.Kind.ENRICH) {
            StepExecution step = step(execution, "enrich");
            EnrichSummary summary = enrichReportWriter.write(Path.of(definition.report().directory()), new EnrichReportWriter.ExecutionInfo(
                    definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, true),
                    instant(execution.getStartTime()), instant(execution.getEndTime()),
                    dev.calleval.enrichment.SimulationLogSource.shown(definition.enrichLocation()), step == null ? 0 : step.getReadCount(),
                    resendInDoubt, requests));
            return new EnrichOutcome(summary, completed, restarted);
        }
        StepExecution submit = step(execution, "submit");
        RunSummary summary = reportWriter.write(Path.of(definition.report().directory()), new ReportWriter.ExecutionInfo(
                definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, false),
                instant(execution.getStartTime()), instant(execution.getEndTime()), definition.requireSource().location(),
                submit == null ? 0 : submit.getReadCount(), requests));
        return new RunOutcome(summary, completed, restarted);
    }

    private record Launch(JobParameters parameters, boolean restarted) {}

    /**
     * The parameters of the next execution of job {@code name} over {@code source}: those of its last instance when
     * that instance's last execution over the same source FAILED or was STOPPED (a restart), else a new instance with
     * the next {@code run} number.
     */
    private Launch parameters(String name, String source) {
        JobInstance last = jobRepository.getLastJobInstance(name);
        long nextRun = 1;
        if (last != null) {
            JobExecution lastExecution = jobRepository.getLastJobExecution(last);
            JobParameters lastParameters = lastExecution == null ? null : lastExecution.getJobParameters();
            Long lastRun = lastParameters == null ? null : lastParameters.getLong("run");
            nextRun = lastRun == null ? 1 : lastRun + 1;
            if (lastExecution != null && (lastExecution.getStatus() == BatchStatus.FAILED || lastExecution.getStatus() == BatchStatus.STOPPED)
                    && Objects.equals(source, lastParameters.getString("source"))) {
                log.info("restarting {} run {} (execution {} ended {}): what was left FAILED is sent again",
                        name, lastRun, lastExecution.getId(), lastExecution.getStatus());
                return new Launch(lastParameters, true);
            }
        }
        return new Launch(new JobParametersBuilder()
                .addString("source", source, true)
                .addLong("run", nextRun, true)
                .toJobParameters(), false);
    }

    private static @Nullable StepExecution step(JobExecution execution, String name) {
        return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst().orElse(null);
    }

    /**
     * Why the execution ended as it did: the root causes of its failures, else its exit description, else (with
     * {@code fromSteps}) the first step's exit description.
     */
    public static @Nullable String exitDescription(JobExecution execution, boolean fromSteps) {
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

    /** A time of the job repository (local time of this JVM) as an instant. */
    public static @Nullable Instant instant(@Nullable LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
