package dev.calleval.job;

import dev.calleval.ledger.ExecutionLiveness;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the heartbeat of every job execution this process runs ({@link ExecutionLiveness}): from before its first
 * step, so before it claims anything in a ledger, until it ends, whatever its status.
 *
 * <p>It is also the last word on overlap: an execution of a job over a source that another live execution of the
 * job is already processing (two launches at the same moment, which Spring Batch lets through when they restart
 * the same job instance) does not start: it is marked stopping before its first step, with a
 * {@link JobAlreadyRunningException} among its failure exceptions, for {@link JobRunner} to report.
 */
@Component
public class ExecutionHeartbeatListener implements JobExecutionListener {
    private final ExecutionLiveness liveness;

    public ExecutionHeartbeatListener(ExecutionLiveness liveness) {
        this.liveness = liveness;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        String name = jobExecution.getJobInstance().getJobName();
        String source = jobExecution.getJobParameters().getString("source");
        Optional<ExecutionLiveness.Heartbeat> running = liveness.started(jobExecution.getId(), name, source);
        if (running.isPresent()) {
            jobExecution.addFailureException(new JobAlreadyRunningException(name, source == null ? "?" : source,
                    running.get().executionId(), running.get()));
            jobExecution.setStatus(BatchStatus.STOPPING); // no step runs
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        liveness.ended(jobExecution.getId());
    }
}
