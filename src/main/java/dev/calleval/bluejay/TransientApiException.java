package dev.calleval.bluejay;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failure a later attempt may not meet: HTTP 408, 429 or 5xx, a timeout, or a connection refused or reset.
 * {@link #retryAfter()} carries the server's {@code Retry-After} when it sent one.
 * {@link #requestMayHaveArrived()} is true when the request could have reached the server before the failure
 * (a timeout or reset after sending, or a 5xx/504 answer), which matters for calls that are not idempotent.
 */
public final class TransientApiException extends BluejayApiException {
    private final @Nullable Duration retryAfter;
    private final boolean requestMayHaveArrived;

    public TransientApiException(String operation, int status, String message, @Nullable Duration retryAfter,
            boolean requestMayHaveArrived, @Nullable Throwable cause) {
        super(operation, status, message, cause);
        this.retryAfter = retryAfter;
        this.requestMayHaveArrived = requestMayHaveArrived;
    }

    /** The wait the server asked for with {@code Retry-After}, if any. */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** True when the server may have received (and acted on) the request. */
    public boolean requestMayHaveArrived() {
        return requestMayHaveArrived;
    }
}
