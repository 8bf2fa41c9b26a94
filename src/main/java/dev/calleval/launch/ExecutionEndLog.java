package dev.calleval.launch;

import dev.calleval.execution.JobAlreadyRunningException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Logs the end of every execution {@link JobRunner} launches, after its heartbeat has ended and before its report is
 * written: {@code JOB execution N ended STATUS}, and for a failed one one line per reason (Spring Batch's own stack
 * traces are off): an expected failure's line ({@link FailureLines}), or a bug's stack trace. The
 * {@code JobInterruptedException}s a STOPPED execution carries are how Spring Batch records the stop: debug only. An
 * execution refused because a twin was running is told by the launch instead. Logs as {@code JobRunner}, as it
 * always has.
 */
final class ExecutionEndLog implements JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final FailureLines failureLines;

    ExecutionEndLog(FailureLines failureLines) {
        this.failureLines = failureLines;
    }

    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getFailureExceptions().stream().anyMatch(JobAlreadyRunningException.class::isInstance)) {
            return;
        }
        String name = execution.getJobInstance().getJobName();
        log.info("{} execution {} ended {}", name, execution.getId(), execution.getStatus());
        Set<String> told = new HashSet<>();
        for (Throwable failure : execution.getAllFailureExceptions()) {
            if (failure instanceof JobInterruptedException) {
                // how Spring Batch records a stop (STOPPED, restartable), not a failure
                log.debug("{} execution {}: {}", name, execution.getId(), failure.getMessage());
                continue;
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
}
