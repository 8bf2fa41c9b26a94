package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * A call to the Bluejay API that did not succeed. The subtype says whether a retry can help:
 * {@link TransientApiException} (408, 429, 5xx, timeouts, resets: retried), {@link RequestInDoubtException} (an
 * ambiguous failure of a request that is not idempotent: never retried), {@link ValidationFailedException}
 * (422: permanent, the input must change), {@link AuthenticationFailedException} (401/403: fatal for the run),
 * {@link PermanentApiException} (any other 4xx). Messages name the operation and HTTP status and never contain
 * the API key.
 */
public abstract sealed class BluejayApiException extends RuntimeException
        permits TransientApiException, RequestInDoubtException, ValidationFailedException, AuthenticationFailedException,
                PermanentApiException {

    private final String operation;
    private final int status;

    BluejayApiException(String operation, int status, String message, @Nullable Throwable cause) {
        super(operation + (status > 0 ? " answered HTTP " + status : " failed") + ": " + message, cause);
        this.operation = operation;
        this.status = status;
    }

    /** The API operation, e.g. {@code POST /v1/evaluate}. */
    public String operation() {
        return operation;
    }

    /** The HTTP status, or 0 when no response was received (timeout, reset, refused connection). */
    public int status() {
        return status;
    }
}
