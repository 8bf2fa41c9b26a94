package dev.calleval.jobfile;

/** A job file that cannot be found or read, or that holds an invalid value; the message names file and key. */
public final class JobFileException extends RuntimeException {
    public JobFileException(String message) {
        super(message);
    }
}
