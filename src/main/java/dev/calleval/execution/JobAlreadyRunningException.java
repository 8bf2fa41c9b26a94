package dev.calleval.execution;

import org.jspecify.annotations.Nullable;

/**
 * A launch was refused: an execution of the same job over the same source (the same job parameters, the run counter
 * aside) is still running. The CLI exits with code 4; a caller that launches on demand should answer "conflict" and
 * name {@link #executionId()}.
 */
public class JobAlreadyRunningException extends RuntimeException {
    private final String job;
    private final String source;
    private final long executionId;
    private final transient ExecutionLiveness.@Nullable Heartbeat heartbeat;

    /**
     * @param heartbeat the running execution's heartbeat; null when it has only just been created and has none yet
     */
    public JobAlreadyRunningException(String job, String source, long executionId, ExecutionLiveness.@Nullable Heartbeat heartbeat) {
        super(job + " is already running over " + source + ": execution " + executionId
                + (heartbeat == null ? " (starting)" : " (" + heartbeat.describe() + ")")
                + "; not started again. Wait for it to end; if its process is gone, it counts as dead once its heartbeat is "
                + "older than calleval.heartbeat.timeout, and the next run then restarts it");
        this.job = job;
        this.source = source;
        this.executionId = executionId;
        this.heartbeat = heartbeat;
    }

    /** The job's name. */
    public String job() {
        return job;
    }

    /** The source of the running execution (its {@code source} job parameter: a manifest, directory or file). */
    public String source() {
        return source;
    }

    /** The id of the job execution that is running. */
    public long executionId() {
        return executionId;
    }

    /** Its heartbeat (host, pid, last beat); null when it has none yet (it is just starting). */
    public ExecutionLiveness.@Nullable Heartbeat heartbeat() {
        return heartbeat;
    }
}
