package dev.calleval.execution;

import dev.calleval.database.DatabaseRetry;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the heartbeat of every job execution this process runs ({@link ExecutionLiveness}): from before its first
 * step, so before it claims anything in a ledger, until it ends, whatever its status. A heartbeat that cannot be
 * written (the database is away) never fails the run.
 *
 * <p>It is also the last word on overlap: an execution of a job over a source that another live execution of the
 * job is already processing (two launches at the same moment, which Spring Batch lets through when they restart
 * the same job instance) does not start: it is marked stopping before its first step, with a
 * {@link JobAlreadyRunningException} among its failure exceptions, for the launcher ({@code launch/JobRunner}) to report.
 */
@Component
public class ExecutionHeartbeatListener implements JobExecutionListener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ExecutionHeartbeatListener.class);
    private final ExecutionLiveness liveness;
    private final DatabaseRetry retry;

    /** @param retry writes the heartbeat's start and end again when the database connection was lost */
    public ExecutionHeartbeatListener(ExecutionLiveness liveness, DatabaseRetry retry) {
        this.liveness = liveness;
        this.retry = retry;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        String name = jobExecution.getJobInstance().getJobName();
        String source = jobExecution.getJobParameters().getString("source");
        Optional<ExecutionLiveness.Heartbeat> running = retry.callIfNeverSent("starting the heartbeat of execution " + jobExecution.getId(),
                () -> liveness.started(jobExecution.getId(), name, source));
        if (running.isPresent()) {
            jobExecution.addFailureException(new JobAlreadyRunningException(name, source == null ? "?" : source,
                    running.get().executionId(), running.get()));
            jobExecution.setStatus(BatchStatus.STOPPING); // no step runs
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        try {
            retry.run("ending the heartbeat of execution " + jobExecution.getId(), () -> liveness.ended(jobExecution.getId()));
        } catch (RuntimeException e) {
            // not worth failing the run for: the heartbeat stops being written, so it ages out after the heartbeat timeout
            log.warn("execution {}: could not record the end of its heartbeat: {}", jobExecution.getId(), e.getMessage());
        }
    }
}
