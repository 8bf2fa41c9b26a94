package dev.calleval.execution;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;

/**
 * The interruption policy of the chunk steps (submit, enrich): an interrupted thread stops the step like
 * {@code JobOperator.stop} does, so it ends STOPPED and the next launch restarts it where it stopped.
 *
 * <p>Spring Batch 6.0's {@code ChunkOrientedStep} ends its chunk loop when the policy throws, and the step ends
 * STOPPED only when its execution is marked terminate-only; with the default {@code ThreadStepInterruptionPolicy} a
 * thread interrupt (a pool shut down with {@code shutdownNow}, say) ended the step COMPLETED with the rest of the
 * manifest never read, and the instance could not be restarted. This policy marks the step execution terminate-only
 * before it throws.
 */
public final class StopOnInterrupt implements StepInterruptionPolicy {

    /**
     * @throws JobInterruptedException when the thread is interrupted (the step execution is then terminate-only) or the
     *     step execution was asked to stop
     */
    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("the thread running step " + stepExecution.getStepName() + " was interrupted");
        }
        if (stepExecution.isTerminateOnly()) {
            throw new JobInterruptedException("step " + stepExecution.getStepName() + " was asked to stop");
        }
    }
}
