package dev.calleval.launch;

import java.util.Optional;

/**
 * Tells an expected failure of a job execution (a database outage past its tolerance, Bluejay refusing the API key,
 * S3 refusing) from a bug, for the one line {@link JobRunner} logs when an execution fails: the line for an expected
 * one, the stack trace for a bug. Implemented by the command line ({@code cli/ErrorLines}).
 */
@FunctionalInterface
public interface FailureLines {
    /** The one line for {@code failure}, or empty when it is a bug. */
    Optional<String> describe(Throwable failure);
}
