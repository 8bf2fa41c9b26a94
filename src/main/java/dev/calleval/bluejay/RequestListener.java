package dev.calleval.bluejay;

/**
 * Hears about every HTTP attempt a {@link BluejayClient} makes, for metrics: latency and status per endpoint, time
 * spent waiting for a rate-limit permit, retries. Called on the requesting thread, so implementations must be cheap,
 * thread-safe and never throw. Keeps the client free of any metrics library: tests construct it without one
 * ({@link #NONE}).
 */
public interface RequestListener {
    /** Hears nothing. */
    RequestListener NONE = new RequestListener() {};

    /**
     * One HTTP attempt ended.
     *
     * @param operation the endpoint, e.g. {@code POST /v1/evaluate}
     * @param status the HTTP status, or 0 when no response arrived (refused connection, timeout, reset)
     * @param nanos from sending the request to the end of its response (or the failure), in nanoseconds
     */
    default void responded(String operation, int status, long nanos) {}

    /**
     * An attempt waited for its rate-limit permit before being sent (attempts of a client without a rate limit do
     * not call this).
     *
     * @param nanos the wait in nanoseconds; 0 when a permit was free
     */
    default void rateLimiterWaited(long nanos) {}

    /**
     * A failed attempt of {@code operation} will be retried (after the backoff or {@code Retry-After}).
     *
     * @param operation the endpoint, e.g. {@code POST /v1/evaluate}; {@code unknown} when the failure named none
     */
    default void retrying(String operation) {}
}
