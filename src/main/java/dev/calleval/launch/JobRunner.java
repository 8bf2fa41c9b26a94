package dev.calleval.launch;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.enrich.EnrichJobFactory;
import dev.calleval.enrich.EnrichSummary;
import dev.calleval.evaluate.EvaluateJobFactory;
import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.execution.StopRequests;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.report.JobOutcome;
import dev.calleval.report.ReportedJob;
import dev.calleval.report.RunSummary;
import dev.calleval.source.ManifestHeader;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.DuplicateJobException;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.CompositeJobExecutionListener;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Launches job executions of evaluate and enrich jobs ({@link JobDefinition.BatchJob}): {@link #run} and
 * {@link #runEnrich} to their end in the caller's thread, {@link #start} on an executor (returning as soon as the
 * execution exists; {@code serve}). It owns launch, restart and liveness only: the jobs are built by their factories
 * ({@code evaluate/}, {@code enrich/}), each with the listener that writes and uploads its report when it has ended
 * ({@code report/ReportListener}).
 *
 * <p>One {@link JobOperator} and one {@link JobRegistry} serve the process (Spring beans; {@link LaunchConfiguration}):
 * each job is registered under its name as it is built, replacing the one built for the previous launch; the
 * operator's task executor ({@link LaunchExecutor}) runs an execution in the caller's thread, or on the executor a
 * {@link #start} names.
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
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobOperator jobOperator;
    private final JobRegistry jobRegistry;
    private final LaunchExecutor launchExecutor;
    private final JobRepository jobRepository;
    private final EvaluateJobFactory evaluateJobs;
    private final EnrichJobFactory enrichJobs;
    private final RunningExecutions guard;
    private final StopRequests stopRequests;
    /** Told of every execution's end: logs it and forgets its stop request. */
    private final JobExecutionListener endLog;

    /**
     * @param jobOperator the process's one operator (Spring Boot's, built with {@code jobRegistry} and {@code launchExecutor})
     * @param failureLines tells an expected failure's one line from a bug (the command line's); none: every failure is a bug
     * @param stopRequests how {@link #stop} asks an execution to stop
     */
    public JobRunner(JobOperator jobOperator, JobRegistry jobRegistry, @BatchTaskExecutor LaunchExecutor launchExecutor, JobRepository jobRepository,
            EvaluateJobFactory evaluateJobs, EnrichJobFactory enrichJobs, ExecutionLiveness liveness,
            ObjectProvider<FailureLines> failureLines, StopRequests stopRequests) {
        this.stopRequests = stopRequests;
        this.jobOperator = jobOperator;
        this.jobRegistry = jobRegistry;
        this.launchExecutor = launchExecutor;
        this.jobRepository = jobRepository;
        this.evaluateJobs = evaluateJobs;
        this.enrichJobs = enrichJobs;
        this.guard = new RunningExecutions(jobRepository, liveness, jobOperator);
        CompositeJobExecutionListener ended = new CompositeJobExecutionListener();
        ended.register(stopRequests);
        ended.register(new ExecutionEndLog(failureLines.getIfAvailable(() -> failure -> Optional.empty())));
        this.endLog = ended;
    }

    /**
     * A job execution started by {@link #start}.
     *
     * @param executionId its id, known as soon as it is created (status STARTING until a thread picks it up)
     * @param restarted whether it restarts a FAILED or STOPPED instance
     * @param ended completes once the execution has ended and its report is written (exceptionally when the report
     *     could not be written)
     */
    public record Started(long executionId, boolean restarted, CompletableFuture<JobOutcome<?>> ended) {}

    /**
     * Runs an evaluate job to its end (synchronously); its report is written when it ends.
     *
     * @param client the client for this run (its rate limit and retry come from the job definition)
     * @param waitForResults how long the reconcile step waits for results; zero for one pass
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read (no execution is created)
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive
     * @throws RuntimeException when the report could not be written
     */
    public JobOutcome<RunSummary> run(JobDefinition.Evaluate definition, BluejayClient client, Duration waitForResults) throws Exception {
        checkSource(definition); // before any execution exists: a manifest that cannot be read leaves nothing to restart
        ReportedJob<RunSummary> job = evaluateJobs.build(definition, client, waitForResults, endLog);
        launch(register(job.job()), definition.name(), definition.sourceKey(), client.endpoint());
        return outcome(job);
    }

    /**
     * Runs a job that another feature builds (a re-evaluation round, {@code reevaluate/}) to its end, launched like an
     * evaluate job: a new instance over {@code source}, or a restart of the last one when it failed, was stopped or its
     * process died; refused when an execution over the same source is alive.
     *
     * @param build builds the job, given the listener that must be told of the execution's end
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive
     * @throws RuntimeException when the report could not be written
     */
    public <S> JobOutcome<S> run(java.util.function.Function<JobExecutionListener, ReportedJob<S>> build, String name, String source,
            BluejayEndpoint endpoint) throws Exception {
        ReportedJob<S> job = build.apply(endLog);
        launch(register(job.job()), name, source, endpoint);
        return outcome(job);
    }

    /**
     * Checks, without creating a job execution, that an evaluate job's manifest can be read: it exists, is readable,
     * is not empty, is UTF-8 text (gzip-compressed or not) and has a header row. {@link #run} and {@link #start} do
     * this first, so that a manifest that cannot be read is refused in one line and leaves nothing to restart.
     *
     * @return the manifest's header; empty for other kinds of job and for s3-prefix sources
     * @throws dev.calleval.source.ManifestException naming the manifest and what to do
     */
    public Optional<ManifestHeader> checkSource(JobDefinition definition) {
        return definition instanceof JobDefinition.Evaluate evaluate ? evaluateJobs.checkManifest(evaluate) : Optional.empty();
    }

    /**
     * Runs an enrich job ({@code enrich:} section) to its end; its report ({@code updates.csv}, {@code rejects.csv},
     * {@code summary.json}) is written when it ends.
     *
     * @param client the client for this run (its rate limit and retry come from the job's {@code submit:} section)
     * @param resendInDoubt post again the results earlier runs left IN_DOUBT
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive
     * @throws RuntimeException when the report could not be written
     */
    public JobOutcome<EnrichSummary> runEnrich(JobDefinition.Enrich definition, BluejayClient client, boolean resendInDoubt) throws Exception {
        ReportedJob<EnrichSummary> job = enrichJobs.build(definition, client, resendInDoubt, endLog);
        launch(register(job.job()), definition.name(), definition.sourceKey(), client.endpoint());
        return outcome(job);
    }

    /**
     * Starts one job execution (evaluate or enrich) on {@code executor} and returns once the execution exists in the
     * job repository; it runs on one of the executor's threads, and its report is written when it ends. Parameters and
     * restarts are as for {@link #run}. An evaluate job reconciles once ({@code waitForResults} zero) unless told
     * otherwise; an enrich job posts what earlier runs left in doubt only when its file says so.
     *
     * @param executor runs the execution; a rejected task ends the execution FAILED at once
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read (no execution is created)
     * @throws Exception when Spring Batch refuses the launch (e.g. the instance is already running)
     */
    public Started start(JobDefinition.BatchJob definition, BluejayClient client, Duration waitForResults, Executor executor) throws Exception {
        checkSource(definition).flatMap(ManifestHeader::warning).ifPresent(w -> log.warn("{}: {}", definition.name(), w));
        ReportedJob<?> job = definition instanceof JobDefinition.Evaluate evaluate ? evaluateJobs.build(evaluate, client, waitForResults, endLog)
                : enrichJobs.build((JobDefinition.Enrich) definition, client, ((JobDefinition.Enrich) definition).enrich().resendInDoubt(), endLog);
        CompletableFuture<Launch> created = new CompletableFuture<>();
        CompletableFuture<JobOutcome<?>> ended = new CompletableFuture<>();
        Executor reporting = task -> {
            try {
                executor.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        created.join(); // the launch has returned: the execution's id is known to the caller
                        job.outcome().whenComplete((outcome, failure) -> {
                            if (failure != null) {
                                ended.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                            } else {
                                ended.complete(outcome);
                            }
                        });
                        if (!job.outcome().isDone()) {
                            ended.completeExceptionally(new IllegalStateException(definition.name() + ": the execution ended without a report"));
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new TaskRejectedException("no thread free to run " + definition.name(), e);
            }
        };
        Job registered = register(job.job());
        Launch launch;
        try {
            launch = launchExecutor.on(reporting, () -> launch(registered, definition.name(), definition.sourceKey(), client.endpoint()));
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
     */
    public Optional<RunningExecution> running(JobDefinition.BatchJob definition) {
        return running(definition.name(), definition.sourceKey());
    }

    /**
     * Asks an evaluate or enrich job execution this process runs to stop: its chunk step ends after the chunk in
     * progress (before its first chunk when it has not begun one), the execution ends STOPPED, and the next launch over
     * the same source restarts it; one already past its last chunk finishes (COMPLETED). Returns at once; the step's
     * own thread records the stop ({@link StopRequests}, read by the chunk steps' {@code StopOnInterrupt}; not
     * {@code JobOperator.stop}, whose write of the running step execution can race the step's and end it FAILED). An
     * execution another process runs is not reached.
     *
     * @return false when it is not running (any more)
     */
    public boolean stop(long executionId) {
        stopRequests.request(executionId); // first: an execution ending now forgets it after its status is written
        JobExecution execution = jobRepository.getJobExecution(executionId);
        if (execution == null || !(execution.getStatus() == BatchStatus.STARTING || execution.getStatus() == BatchStatus.STARTED)) {
            stopRequests.forget(executionId);
            return false;
        }
        return true;
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

    /** Registers the job built for this launch under its name, replacing the one built for an earlier launch. */
    private Job register(Job job) {
        synchronized (jobRegistry) {
            jobRegistry.unregister(job.getName());
            try {
                jobRegistry.register(job);
            } catch (DuplicateJobException e) {
                throw new IllegalStateException("job " + job.getName() + " registered twice", e); // unregistered just before
            }
        }
        return job;
    }

    /** The outcome of a job run in this thread: it has ended, and its report listener has written the report. */
    private static <S> JobOutcome<S> outcome(ReportedJob<S> job) {
        if (!job.outcome().isDone()) {
            throw new IllegalStateException(job.job().getName() + ": the execution ended without a report");
        }
        try {
            return job.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The execution of job {@code name} over {@code source} (its {@code source} job parameter: the manifest, or the
     * enrich job's directory or manifest, as a path string) that is running now, if any. "Running" means alive by
     * {@link ExecutionLiveness}; an execution left STARTED by a killed process is not running. The launch API
     * refuses a launch when this is present; {@link #run} and {@link #runEnrich} refuse it themselves.
     */
    public Optional<RunningExecution> running(String name, String source) {
        return guard.started(name, source).stream().filter(RunningExecutions.Found::alive).findFirst()
                .map(s -> new RunningExecution(s.execution().getId(), name, source, s.heartbeat().orElse(null)));
    }

    /** A job execution launched, and whether it restarts an earlier instance. */
    private record Launch(JobExecution execution, boolean restarted) {}

    /**
     * Starts a new instance of the job over {@code source}, or restarts its last one when that failed or was stopped
     * (or was left STARTED by a process that died). The execution's non-identifying job parameter {@value ExecutionHistory#ENDPOINT}
     * records the Bluejay endpoint it sends to ({@link BluejayEndpoint#key}); a restart may send to another endpoint
     * than the execution it restarts (the ledger decides per endpoint what is done).
     *
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive, or another
     *     launch of it started at the same moment
     */
    private Launch launch(Job job, String name, String source, BluejayEndpoint endpoint) throws Exception {
        for (int attempt = 1; ; attempt++) {
            guard.refuseOrRecover(name, source);
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
                    parameters = new JobParametersBuilder(lastParameters).addString(ExecutionHistory.ENDPOINT, endpoint.key(), false).toJobParameters();
                    restart = true;
                    log.info("restarting {} run {} (execution {} ended {}): what was left FAILED is sent again",
                            name, lastRun, lastExecution.getId(), lastExecution.getStatus());
                }
            }
            if (parameters == null) {
                parameters = new JobParametersBuilder()
                        .addString("source", source, true)
                        .addLong("run", nextRun, true)
                        .addString(ExecutionHistory.ENDPOINT, endpoint.key(), false)
                        .toJobParameters();
            }
            JobExecution execution;
            try {
                execution = jobOperator.start(job, parameters);
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
            return new Launch(execution, restart);
        }
    }

}
