package dev.calleval.serve;

import org.jspecify.annotations.Nullable;

/**
 * A launch that was refused, with the reason an operator reads ({@link #getMessage}) and what kind of refusal it is,
 * which the launch API answers with as an HTTP status.
 */
final class LaunchException extends RuntimeException {
    /** Why a launch was refused. */
    public enum Reason {
        /** No job file of that name in the jobs folder (404). */
        NO_SUCH_JOB(404),
        /** A parameter the job does not take, a source that does not exist, a job that cannot be launched (400). */
        BAD_PARAMETERS(400),
        /** An execution of the job over the same source has not ended (409). */
        ALREADY_RUNNING(409),
        /** Spring Batch refused it: e.g. the job instance is complete or being restarted elsewhere (409). */
        REFUSED(409),
        /** Too many executions running or waiting, or the server is stopping (503). */
        UNAVAILABLE(503);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status the launch API answers with. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;
    private final @Nullable Long runningExecutionId;

    LaunchException(Reason reason, String message) {
        this(reason, message, null);
    }

    LaunchException(Reason reason, String message, @Nullable Long runningExecutionId) {
        super(message);
        this.reason = reason;
        this.runningExecutionId = runningExecutionId;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#ALREADY_RUNNING}: the execution that is still running. */
    public @Nullable Long runningExecutionId() {
        return runningExecutionId;
    }
}
