package dev.calleval.launch;

import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.execution.JobAlreadyRunningException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The executions of a job over a source that the job repository has as running, told alive or dead by
 * {@link ExecutionLiveness}: what {@link JobRunner} refuses a launch for, and what it marks FAILED (through the
 * {@link JobOperator}) so that the launch restarts it. Logs as {@code JobRunner}, as it always has.
 */
final class RunningExecutions {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobRepository;
    private final ExecutionLiveness liveness;
    private final JobOperator jobOperator;

    RunningExecutions(JobRepository jobRepository, ExecutionLiveness liveness, JobOperator jobOperator) {
        this.jobRepository = jobRepository;
        this.liveness = liveness;
        this.jobOperator = jobOperator;
    }

    /** An execution the job repository has as running (STARTING, STARTED, STOPPING), and whether it really is. */
    record Found(JobExecution execution, Optional<ExecutionLiveness.Heartbeat> heartbeat, boolean alive) {}

    /** The executions of job {@code name} over {@code source} that the job repository has as running. */
    List<Found> started(String name, String source) {
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
    void refuseOrRecover(String name, String source) {
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
}
