package dev.calleval.execution;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * The job executions of this process asked to stop after their chunk in progress ({@code serve} stopping). The chunk
 * steps' {@link StopOnInterrupt} (submit, enrich) reads it before each chunk, in the step's own thread, and stops the
 * step there: it ends STOPPED, its job execution STOPPED, and the next launch over the same source restarts it. A
 * step without that policy (a tasklet) does not read it: it runs to its end.
 *
 * <p>Why not {@code JobOperator.stop}: in Spring Batch 6.0 the operator also writes the running step execution from
 * the caller's thread, while the step's thread writes the same row after each chunk; both writes check the row's
 * version, so one of them can fail with an {@code OptimisticLockingFailureException}, and when the step's loses, the
 * execution ends FAILED instead of STOPPED (spring-batch issues 5120, 5308, 5484). Asked here, only the step's thread
 * writes its execution.
 *
 * <p>A request is forgotten when its execution ends ({@link #afterJob}, a listener of every job {@code launch/JobRunner}
 * launches).
 */
@Component
public class StopRequests implements JobExecutionListener {
    private final Set<Long> requested = ConcurrentHashMap.newKeySet();

    /** Asks job execution {@code executionId}, running in this process, to stop after its chunk in progress. */
    public void request(long executionId) {
        requested.add(executionId);
    }

    /** Whether job execution {@code executionId} was asked to stop. */
    public boolean requested(long executionId) {
        return requested.contains(executionId);
    }

    /** Forgets the request for job execution {@code executionId}, if any. */
    public void forget(long executionId) {
        requested.remove(executionId);
    }

    /** Forgets the execution's request, if any: it has ended. */
    @Override
    public void afterJob(JobExecution jobExecution) {
        forget(jobExecution.getId());
    }
}
