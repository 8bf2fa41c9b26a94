package dev.calleval.jobfile;

import dev.calleval.bluejay.BluejayClientSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How requests are sent.
 *
 * @param rateLimit requests per second to Bluejay, all threads together (0 = unlimited)
 * @param maxInFlight requests in flight at once
 * @param chunkSize rows per chunk transaction (the restart granularity)
 */
public record SubmitSettings(
        @DefaultValue("20") double rateLimit,
        @DefaultValue("16") int maxInFlight,
        @DefaultValue("100") int chunkSize,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("60s") Duration requestTimeout,
        @DefaultValue Retry retry,
        @DefaultValue InDoubt inDoubt) {
    public SubmitSettings {
        if (maxInFlight < 1 || maxInFlight > 1024) {
            throw new IllegalArgumentException("submit.max-in-flight must be 1..1024, got " + maxInFlight);
        }
        if (chunkSize < 1 || chunkSize > 10_000) {
            throw new IllegalArgumentException("submit.chunk-size must be 1..10000, got " + chunkSize);
        }
    }

    /**
     * Settling an evaluate request that failed ambiguously (the call may exist): after {@code lookup-delay} (at least
     * the request timeout when it timed out), up to {@code max-pages} pages of the agent's calls are searched for it,
     * and once more {@code lookup-delay} later before it is sent again (0 = never look: it stays in doubt).
     */
    public record InDoubt(@DefaultValue("5s") Duration lookupDelay, @DefaultValue("10") int maxPages) {
    }

    /** Retry of transient failures (408, 429, 5xx, timeouts, resets); {@code max-attempts} counts the first. */
    public record Retry(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("2m") Duration maxRetryAfter) {
        BluejayClientSettings.RetrySettings settings() {
            return new BluejayClientSettings.RetrySettings(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter);
        }
    }
}
