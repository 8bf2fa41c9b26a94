package dev.calleval.execution;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;
import org.springframework.stereotype.Component;

/**
 * The interruption policy of the chunk steps (submit, enrich), checked before each chunk in the step's thread: an
 * interrupted thread, or an execution asked to stop ({@link StopRequests}), stops the step after its chunk in
 * progress, so it ends STOPPED and the next launch restarts it where it stopped.
 *
 * <p>Spring Batch 6.0's {@code ChunkOrientedStep} ends its chunk loop when the policy throws, and the step ends
 * STOPPED only when its execution is marked terminate-only; with the default {@code ThreadStepInterruptionPolicy} a
 * thread interrupt (a pool shut down with {@code shutdownNow}, say) ended the step COMPLETED with the rest of the
 * manifest never read, and the instance could not be restarted. This policy marks the step execution terminate-only
 * before it throws.
 */
@Component
public final class StopOnInterrupt implements StepInterruptionPolicy {
    private final StopRequests stopRequests;

    /** @param stopRequests the executions of this process asked to stop */
    public StopOnInterrupt(StopRequests stopRequests) {
        this.stopRequests = stopRequests;
    }

    /**
     * @throws JobInterruptedException when the thread is interrupted or the execution was asked to stop (the step
     *     execution is then terminate-only), or the step execution was already marked terminate-only
     */
    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("the thread running step " + stepExecution.getStepName() + " was interrupted");
        }
        if (stopRequests.requested(stepExecution.getJobExecutionId())) {
            stepExecution.setTerminateOnly();
        }
        if (stepExecution.isTerminateOnly()) {
            throw new JobInterruptedException("step " + stepExecution.getStepName() + " was asked to stop");
        }
    }
}
