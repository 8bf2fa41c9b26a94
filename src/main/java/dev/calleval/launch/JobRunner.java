package dev.calleval.launch;

import dev.calleval.enrich.EnrichJobFactory;
import dev.calleval.evaluate.EvaluateJobFactory;
import dev.calleval.execution.ExecutionHeartbeatListener;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.enrich.EnrichReportWriter;
import dev.calleval.enrich.EnrichSummary;
import dev.calleval.report.ReportUpload;
import dev.calleval.report.ReportWriter;
import dev.calleval.s3.S3Location;
import dev.calleval.report.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.calleval.execution.ExecutionLiveness;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
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
 *
 * <p>Overlap: a launch of a job over a source that one of its executions is still processing (alive by
 * {@link ExecutionLiveness}) is refused with {@link JobAlreadyRunningException}; see {@link #running}. An execution
 * left STARTED by a process that died is marked FAILED ({@link JobOperator#recover}) and its instance restarted, so
 * "kill -9, then run again" resumes the same run. Launches of other jobs (or the same job over other sources) run
 * side by side; the ledgers decide which of them sends each call.
 */
@Service
public class JobRunner {
    /**
     * The job parameter (not identifying) that names the Bluejay endpoint an execution sends to: {@code sandbox} or a
     * normalised base URL ({@link BluejayEndpoint#key}). Absent for executions from before it was recorded.
     */
    public static final String ENDPOINT = "endpoint";
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final EvaluateJobFactory jobFactory;
    private final ReportWriter reportWriter;
    private final EnrichJobFactory enrichJobFactory;
    private final EnrichReportWriter enrichReportWriter;
    private final ExecutionHistory history;
    private final ExecutionLiveness liveness;
    private final ReportUpload reportUpload;
    private final DatabaseRetry retry;
    private final FailureLines failureLines;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, EvaluateJobFactory jobFactory, ReportWriter reportWriter,
            EnrichJobFactory enrichJobFactory, EnrichReportWriter enrichReportWriter, ExecutionHistory history, ExecutionLiveness liveness,
            ReportUpload reportUpload, DatabaseRetry retry, org.springframework.beans.factory.ObjectProvider<FailureLines> failureLines) {
        this.failureLines = failureLines.getIfAvailable(() -> failure -> Optional.empty());
        this.retry = retry;
        this.liveness = liveness;
        this.reportUpload = reportUpload;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobFactory = jobFactory;
        this.reportWriter = reportWriter;
        this.enrichJobFactory = enrichJobFactory;
        this.enrichReportWriter = enrichReportWriter;
        this.history = history;
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

    /**
     * The outcome of a run: its summary (as written to {@code summary.json}), whether it completed, and the upload of
     * its report to S3 (null when {@code report.directory} is local).
     */
    public record RunOutcome(RunSummary summary, boolean completed, boolean restarted, ReportUpload.@Nullable Result upload) implements Outcome {
        public RunOutcome(RunSummary summary, boolean completed, boolean restarted) {
            this(summary, completed, restarted, null);
        }

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

    /** The outcome of an enrich run: its summary (as written to {@code summary.json}), whether it completed, the report upload. */
    public record EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted, ReportUpload.@Nullable Result upload)
            implements Outcome {
        public EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted) {
            this(summary, completed, restarted, null);
        }

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
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read (no execution is created)
     */
    public RunOutcome run(JobDefinition definition, BluejayClient client, Duration waitForResults) throws Exception {
        checkSource(definition); // before any execution exists: a manifest that cannot be read leaves nothing to restart
        if (definition.kind() != JobDefinition.Kind.EVALUATE) {
            throw new IllegalArgumentException(definition.name() + " is an " + definition.kind() + " job, not an evaluate job");
        }
        Launch launch = launch(jobOperator, jobFactory.build(definition, client, waitForResults), definition.name(), sourceOf(definition),
                client.endpoint());
        return (RunOutcome) report(definition, client, launch.execution(), launch.restarted(), false);
    }

    /**
     * Checks, without creating a job execution, that an evaluate job's manifest can be read: it exists, is readable,
     * is not empty, is UTF-8 text (gzip-compressed or not) and has a header row. {@link #run} and {@link #start} do
     * this first, so that a manifest that cannot be read is refused in one line and leaves nothing to restart.
     *
     * @return the manifest's header; empty for other kinds of job and for s3-prefix sources
     * @throws dev.calleval.source.ManifestException naming the manifest and what to do
     */
    public Optional<dev.calleval.source.ManifestHeader> checkSource(JobDefinition definition) {
        return definition.kind() == JobDefinition.Kind.EVALUATE ? jobFactory.checkManifest(definition) : Optional.empty();
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
        Launch launch = launch(jobOperator, enrichJobFactory.build(definition, client, resendInDoubt), definition.name(), sourceOf(definition),
                client.endpoint());
        return (EnrichOutcome) report(definition, client, launch.execution(), launch.restarted(), resendInDoubt);
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

    /**
     * Starts one job execution (evaluate or enrich) on {@code executor} and returns once the execution exists in the
     * job repository; it runs on one of the executor's threads, then its report is written. Parameters and
     * restarts are as for {@link #run}. An evaluate job reconciles once ({@code waitForResults} zero) unless told
     * otherwise; an enrich job posts what earlier runs left in doubt only when its file says so.
     *
     * @param executor runs the execution; a rejected task ends the execution FAILED at once
     * @throws IllegalArgumentException for a simulate-sms job (not a Spring Batch job)
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read (no execution is created)
     * @throws Exception when Spring Batch refuses the launch (e.g. the instance is already running)
     */
    public Started start(JobDefinition definition, BluejayClient client, Duration waitForResults, Executor executor) throws Exception {
        boolean resendInDoubt = definition.kind() == JobDefinition.Kind.ENRICH && definition.requireEnrich().resendInDoubt();
        checkSource(definition).flatMap(dev.calleval.source.ManifestHeader::warning).ifPresent(w -> log.warn("{}: {}", definition.name(), w));
        Job job = switch (definition.kind()) {
            case EVALUATE -> jobFactory.build(definition, client, waitForResults);
            case ENRICH -> enrichJobFactory.build(definition, client, resendInDoubt);
            case SIMULATE_SMS -> throw new IllegalArgumentException(definition.name() + " is a simulate-sms job: it queues simulation runs "
                    + "and is not started as a job execution (use 'calleval run " + definition.name() + "')");
            case DROP_FOLDER -> throw new IllegalArgumentException(definition.name() + " is a drop-folder job: serve polls its inbox and "
                    + "runs each dropped manifest (or 'calleval drop-folder poll-once " + definition.name() + "')");
        };
        CompletableFuture<Launch> created = new CompletableFuture<>();
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
                        Launch launch = created.join();
                        JobExecution execution = launch.execution();
                        ended(definition.name(), execution);
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
        Launch launch;
        try {
            launch = launch(operator, job, definition.name(), sourceOf(definition), client.endpoint());
        } catch (Exception e) {
            created.completeExceptionally(e);
            throw e;
        }
        created.complete(launch);
        return new Started(launch.execution().getId(), launch.restarted(), ended);
    }

    /**
     * An execution that is running now.
     *
     * @param heartbeat its heartbeat; null when it was created moments ago and has none yet
     */
    public record RunningExecution(long executionId, String job, String source, ExecutionLiveness.@Nullable Heartbeat heartbeat) {}

    /**
     * The execution of this evaluate or enrich job over its source that is running now, if any: what a launch of the
     * definition would be refused for. See {@link #running(String, String)}.
     *
     * @throws IllegalArgumentException for a simulate-sms job (it has no source, and is never refused)
     */
    public Optional<RunningExecution> running(JobDefinition definition) {
        return running(definition.name(), sourceOf(definition));
    }

    /** The job parameter {@code source} of a definition: the absolute path it reads. */
    public static String sourceOf(JobDefinition definition) {
        return switch (definition.kind()) {
            case EVALUATE -> definition.sourceKey(); // the manifest (a local path or s3://), or the s3-prefix of its date
            case ENRICH -> definition.enrichLocation().toString();
            case SIMULATE_SMS, DROP_FOLDER -> throw new IllegalStateException(definition.name() + " is a " + definition.kind()
                    + " job: it has no source");
        };
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

    /** Writes the execution's report; its reads are run again when the database connection was lost. */
    private Outcome report(JobDefinition definition, BluejayClient client, JobExecution execution, boolean restarted, boolean resendInDoubt) {
        return retry.call("writing the report of execution " + execution.getId(),
                () -> writeReport(definition, client, execution, restarted, resendInDoubt));
    }

    private Outcome writeReport(JobDefinition definition, BluejayClient client, JobExecution execution, boolean restarted, boolean resendInDoubt) {
        BluejayClient.Stats stats = client.stats();
        RunSummary.Requests requests = new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt());
        boolean completed = execution.getStatus() == BatchStatus.COMPLETED;
        if (definition.kind() == JobDefinition.Kind.ENRICH) {
            StepExecution step = ExecutionHistory.step(execution, "enrich");
            EnrichSummary summary = enrichReportWriter.write(definition.report().localPath(), new EnrichReportWriter.ExecutionInfo(
                    definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, true),
                    instant(execution.getStartTime()), instant(execution.getEndTime()),
                    dev.calleval.enrich.SimulationLogSource.shown(definition.enrichLocation()), client.endpoint().key(),
                    step == null ? 0 : step.getReadCount(),
                    resendInDoubt, requests));
            return new EnrichOutcome(summary, completed, restarted, upload(definition, execution.getId(),
                    definition.report().localPath().resolve(definition.name()).resolve(Long.toString(execution.getId()))));
        }
        Path reportDirectory = definition.report().localPath();
        RunSummary summary = reportWriter.write(reportDirectory, history.record(execution, definition.sourceShown(), reportDirectory,
                requests));
        return new RunOutcome(summary, completed, restarted, upload(definition, execution.getId(), Path.of(summary.reportDirectory())));
    }

    /**
     * The execution of job {@code name} over {@code source} (its {@code source} job parameter: the manifest, or the
     * enrich job's directory or manifest, as a path string) that is running now, if any. "Running" means alive by
     * {@link ExecutionLiveness}; an execution left STARTED by a killed process is not running. The launch API
     * refuses a launch when this is present; {@link #run} and {@link #runEnrich} refuse it themselves.
     */
    public Optional<RunningExecution> running(String name, String source) {
        return started(name, source).stream().filter(Found::alive).findFirst()
                .map(s -> new RunningExecution(s.execution().getId(), name, source, s.heartbeat().orElse(null)));
    }

    /** A job execution launched, and whether it restarts an earlier instance. */
    private record Launch(JobExecution execution, boolean restarted) {}

    /** An execution the job repository has as running (STARTING, STARTED, STOPPING), and whether it really is. */
    private record Found(JobExecution execution, Optional<ExecutionLiveness.Heartbeat> heartbeat, boolean alive) {}

    /** The executions of job {@code name} over {@code source} that the job repository has as running. */
    private List<Found> started(String name, String source) {
        List<Found> started = new ArrayList<>();
        for (JobExecution execution : jobRepository.findRunningJobExecutions(name)) {
            if (source.equals(execution.getJobParameters().getString("source"))) {
                Optional<ExecutionLiveness.Heartbeat> heartbeat = liveness.heartbeat(execution.getId());
                started.add(new Found(execution, heartbeat, heartbeat.isPresent() ? heartbeat.get().alive() : justCreated(execution)));
            }
        }
        return started;
    }

    /** An execution without a heartbeat yet, created less than the heartbeat timeout ago: starting, not dead. */
    private boolean justCreated(JobExecution execution) {
        LocalDateTime created = execution.getCreateTime();
        return created != null && created.isAfter(LocalDateTime.now().minus(liveness.timeout()));
    }

    /**
     * Refuses the launch when an execution of the job over the same source is alive; marks those that are STARTED
     * but dead (their process was killed) FAILED through {@link JobOperator#recover}, so that this launch restarts
     * their job instance.
     *
     * @throws JobAlreadyRunningException when one is alive
     */
    private void refuseOrRecover(String name, String source) {
        List<Found> started = started(name, source);
        for (Found s : started) {
            if (s.alive()) {
                throw new JobAlreadyRunningException(name, source, s.execution().getId(), s.heartbeat().orElse(null));
            }
        }
        for (Found s : started) {
            JobExecution found = s.execution();
            Optional<ExecutionLiveness.Heartbeat> heartbeat = s.heartbeat();
            String why = heartbeat.map(h -> "its process (" + h.describe() + ") stopped without ending it")
                    .orElse("it has no heartbeat (its process stopped before it began)");
            log.warn("{} execution {} is {} but dead: {}; marking it FAILED, so that this run restarts it", name, found.getId(),
                    found.getStatus(), why);
            JobExecution execution = jobRepository.getJobExecution(found.getId()); // with its step executions
            if (execution == null) {
                continue;
            }
            execution.setExitStatus(ExitStatus.FAILED.addExitDescription("abandoned: " + why));
            try {
                jobOperator.recover(execution);
            } catch (OptimisticLockingFailureException concurrent) {
                log.info("{} execution {} was marked FAILED by another run at the same moment", name, found.getId());
            }
            liveness.ended(found.getId());
        }
    }

    /**
     * Starts a new instance of the job over {@code source}, or restarts its last one when that failed or was stopped
     * (or was left STARTED by a process that died). The execution's non-identifying job parameter {@value #ENDPOINT}
     * records the Bluejay endpoint it sends to ({@link BluejayEndpoint#key}); a restart may send to another endpoint
     * than the execution it restarts (the ledger decides per endpoint what is done).
     *
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive, or another
     *     launch of it started at the same moment
     */
    private Launch launch(JobOperator operator, Job job, String name, String source, BluejayEndpoint endpoint) throws Exception {
        for (int attempt = 1; ; attempt++) {
            refuseOrRecover(name, source);
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
                    parameters = new JobParametersBuilder(lastParameters).addString(ENDPOINT, endpoint.key(), false).toJobParameters();
                    restart = true;
                    log.info("restarting {} run {} (execution {} ended {}): what was left FAILED is sent again",
                            name, lastRun, lastExecution.getId(), lastExecution.getStatus());
                }
            }
            if (parameters == null) {
                parameters = new JobParametersBuilder()
                        .addString("source", source, true)
                        .addLong("run", nextRun, true)
                        .addString(ENDPOINT, endpoint.key(), false)
                        .toJobParameters();
            }
            JobExecution execution;
            try {
                execution = operator.start(job, parameters);
            } catch (JobExecutionAlreadyRunningException | DataIntegrityViolationException | ConcurrencyFailureException
                    | JobInstanceAlreadyCompleteException raced) {
                // another launch created the same job instance (same run number) at the same moment: it is running it, or
                // has already finished it (then this launch takes the next run number)
                Optional<RunningExecution> other = running(name, source);
                if (other.isPresent()) {
                    throw new JobAlreadyRunningException(name, source, other.get().executionId(), other.get().heartbeat());
                }
                if (attempt >= 3) {
                    throw raced;
                }
                log.info("{}: another launch took run {} at the same moment ({}); trying again", name,
                        parameters.getLong("run"), raced.getClass().getSimpleName());
                continue;
            }
            Optional<JobAlreadyRunningException> refused = execution.getFailureExceptions().stream()
                    .filter(JobAlreadyRunningException.class::isInstance).map(JobAlreadyRunningException.class::cast).findFirst();
            if (refused.isPresent()) {
                // it met a live twin in its first moment (ExecutionHeartbeatListener): no step ran; abandoned, so that
                // nothing ever restarts it
                execution.setStatus(BatchStatus.ABANDONED);
                execution.setExitStatus(ExitStatus.NOOP.addExitDescription("not run: " + refused.get().getMessage()));
                jobRepository.update(execution);
                throw refused.get();
            }
            if (operator == jobOperator) { // synchronous: it has ended
                ended(name, execution);
            }
            return new Launch(execution, restart);
        }
    }

    /**
     * Logs the end of an execution; a failed one with one line per reason (Spring Batch's own stack traces are off): an
     * expected failure's line ({@link FailureLines}), or a bug's stack trace.
     */
    private void ended(String name, JobExecution execution) {
        log.info("{} execution {} ended {}", name, execution.getId(), execution.getStatus());
        java.util.Set<String> told = new java.util.HashSet<>();
        for (Throwable failure : execution.getAllFailureExceptions()) {
            if (failure instanceof JobAlreadyRunningException) {
                continue; // told by the launch
            }
            Optional<String> line = failureLines.describe(failure);
            if (line.isPresent()) {
                if (told.add(line.get())) {
                    log.error("{} execution {} failed: {}", name, execution.getId(), line.get());
                }
                log.debug("{} execution {}: the failure's stack trace", name, execution.getId(), failure);
            } else {
                log.error("{} execution {} failed on an unexpected error (a bug; please report it with this stack trace)", name,
                        execution.getId(), failure);
            }
        }
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

    /**
     * The message that says what went wrong, not which layer noticed: that of the innermost calleval exception (which
     * words it for an operator, e.g. a database outage past its tolerance or the API key refused), else of the
     * innermost cause.
     */
    static @Nullable String rootMessage(Throwable failure) {
        Throwable t = failure;
        Throwable ours = null;
        while (true) {
            if (t.getClass().getName().startsWith("dev.calleval.") && t.getMessage() != null) {
                ours = t;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        if (ours != null && !(ours instanceof dev.calleval.evaluate.SubmissionWriter.RunStoppedException)) {
            return ours.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : failure.getMessage();
    }

    /** A time of the job repository (local time of this JVM) as an instant. */
    public static @Nullable Instant instant(@Nullable LocalDateTime time) {
        return ExecutionHistory.instant(time);
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
