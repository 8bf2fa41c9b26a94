package dev.calleval.ledger;

import org.jspecify.annotations.Nullable;

/**
 * Which ledger calls a reconciliation looks at: those one job execution read, those of one job (the job that last
 * claimed them, {@code call_ledger.job_name}), or every call.
 *
 * @param executionId a job execution id, or null
 * @param jobName a job name, or null
 */
public record CallScope(@Nullable Long executionId, @Nullable String jobName) {
    private static final CallScope ALL = new CallScope(null, null);

    public CallScope {
        if (executionId != null && jobName != null) {
            throw new IllegalArgumentException("a call scope is one execution or one job, not both");
        }
    }

    /** Every call in the ledger. */
    public static CallScope all() {
        return ALL;
    }

    /** The calls one job execution read. */
    public static CallScope execution(long executionId) {
        return new CallScope(executionId, null);
    }

    /** The calls of one job, or every call when {@code jobName} is null. */
    public static CallScope job(@Nullable String jobName) {
        return jobName == null ? ALL : new CallScope(null, jobName);
    }

    @Override
    public String toString() {
        return executionId != null ? "execution " + executionId : jobName != null ? "job " + jobName : "all jobs";
    }
}
