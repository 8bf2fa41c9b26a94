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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.calleval.ledger.ExecutionLiveness;
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
    private final JobRepository jobRepository;
    private final EvaluateJobFactory jobFactory;
    private final ReportWriter reportWriter;
    private final EnrichJobFactory enrichJobFactory;
    private final EnrichReportWriter enrichReportWriter;
    private final ExecutionHistory history;
    private final ExecutionLiveness liveness;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, EvaluateJobFactory jobFactory, ReportWriter reportWriter,
            EnrichJobFactory enrichJobFactory, EnrichReportWriter enrichReportWriter, ExecutionHistory history, ExecutionLiveness liveness) {
        this.liveness = liveness;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobFactory = jobFactory;
        this.reportWriter = reportWriter;
        this.enrichJobFactory = enrichJobFactory;
        this.enrichReportWriter = enrichReportWriter;
        this.history = history;
    }

    /** The outcome of a run: its summary (as written to {@code summary.json}) and whether it completed. */
    public record RunOutcome(RunSummary summary, boolean completed, boolean restarted) {}

    /** The outcome of an enrich run: its summary (as written to {@code summary.json}) and whether it completed. */
    public record EnrichOutcome(EnrichSummary summary, boolean completed, boolean restarted) {}

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
        Launch launch = launch(job, definition.name(), source(definition));
        JobExecution execution = launch.execution();
        BluejayClient.Stats stats = client.stats();
        Path reportDirectory = Path.of(definition.report().directory());
        RunSummary summary = reportWriter.write(reportDirectory, history.record(execution, definition.requireSource().location(), reportDirectory,
                new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt())));
        return new RunOutcome(summary, execution.getStatus() == BatchStatus.COMPLETED, launch.restarted());
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
        Launch launch = launch(job, definition.name(), source(definition));
        JobExecution execution = launch.execution();
        StepExecution step = ExecutionHistory.step(execution, "enrich");
        BluejayClient.Stats stats = client.stats();
        EnrichSummary summary = enrichReportWriter.write(Path.of(definition.report().directory()), new EnrichReportWriter.ExecutionInfo(
                definition.name(), execution.getId(), execution.getStatus().name(), exitDescription(execution, true),
                ExecutionHistory.instant(execution.getStartTime()), ExecutionHistory.instant(execution.getEndTime()),
                dev.calleval.enrichment.SimulationLogSource.shown(definition.enrichLocation()), step == null ? 0 : step.getReadCount(),
                resendInDoubt, new RunSummary.Requests(stats.attempts(), stats.tooManyRequests(), stats.retries(), stats.inDoubt())));
        return new EnrichOutcome(summary, execution.getStatus() == BatchStatus.COMPLETED, launch.restarted());
    }

    private record Launch(JobExecution execution, boolean restarted) {}

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
        return running(definition.name(), source(definition));
    }

    /** The {@code source} job parameter of a definition's executions: its manifest, or its enrich directory or manifest. */
    private static String source(JobDefinition definition) {
        return switch (definition.kind()) {
            case EVALUATE -> definition.manifestPath().toString();
            case ENRICH -> definition.enrichLocation().toString();
            case SIMULATE_SMS -> throw new IllegalArgumentException(definition.name() + " is a simulate-sms job: it has no source");
        };
    }

    /**
     * The execution of job {@code name} over {@code source} (its {@code source} job parameter: the manifest, or the
     * enrich job's directory or manifest, as a path string) that is running now, if any. "Running" means alive by
     * {@link ExecutionLiveness}; an execution left STARTED by a killed process is not running. The launch API
     * refuses a launch when this is present; {@link #run} and {@link #runEnrich} refuse it themselves.
     */
    public Optional<RunningExecution> running(String name, String source) {
        return started(name, source).stream().filter(Started::alive).findFirst()
                .map(s -> new RunningExecution(s.execution().getId(), name, source, s.heartbeat().orElse(null)));
    }

    /** An execution the job repository has as running (STARTING, STARTED, STOPPING), and whether it really is. */
    private record Started(JobExecution execution, Optional<ExecutionLiveness.Heartbeat> heartbeat, boolean alive) {}

    /** The executions of job {@code name} over {@code source} that the job repository has as running. */
    private List<Started> started(String name, String source) {
        List<Started> started = new ArrayList<>();
        for (JobExecution execution : jobRepository.findRunningJobExecutions(name)) {
            if (source.equals(execution.getJobParameters().getString("source"))) {
                Optional<ExecutionLiveness.Heartbeat> heartbeat = liveness.heartbeat(execution.getId());
                started.add(new Started(execution, heartbeat, heartbeat.isPresent() ? heartbeat.get().alive() : justCreated(execution)));
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
        List<Started> started = started(name, source);
        for (Started s : started) {
            if (s.alive()) {
                throw new JobAlreadyRunningException(name, source, s.execution().getId(), s.heartbeat().orElse(null));
            }
        }
        for (Started s : started) {
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
     * (or was left STARTED by a process that died).
     *
     * @throws JobAlreadyRunningException when an execution of the job over the same source is alive, or another
     *     launch of it started at the same moment
     */
    private Launch launch(Job job, String name, String source) throws Exception {
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
            log.info("{} execution {} ended {}", name, execution.getId(), execution.getStatus());
            return new Launch(execution, restart);
        }
    }

    /**
     * Why the execution ended as it did: the root causes of its failures, else its exit description, else (with
     * {@code fromSteps}) the first step's exit description.
     */
    static @Nullable String exitDescription(JobExecution execution, boolean fromSteps) {
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

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
