package dev.calleval.bluejay;

import java.net.URI;
import java.time.Duration;

/**
 * How the client talks to Bluejay. Immutable and validated; {@link #toString()} masks the key.
 *
 * @param baseUrl API root without {@code /v1}, e.g. {@code https://api.getbluejay.ai} ({@code BLUEJAY_BASE_URL})
 * @param apiKey sent as {@code X-API-Key} on every request
 * @param requestsPerSecond rate limit for all requests of this client together; 0 = unlimited. No sliding second
 *     carries more than this plus one request.
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time from sending a request to the end of its response
 * @param retry retry policy for transient failures (the one layer that retries)
 * @param endpoint which Bluejay the ledger records the client's calls under: {@link BluejayEndpoint#of} the base URL,
 *     or {@link BluejayEndpoint#SANDBOX} for the sandbox {@code --sandbox} embeds
 */
public record BluejayClientSettings(
        URI baseUrl, ApiKey apiKey, double requestsPerSecond, Duration connectTimeout, Duration requestTimeout,
        RetrySettings retry, BluejayEndpoint endpoint) {

    public BluejayClientSettings {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("BLUEJAY_BASE_URL must be an absolute http(s) URL, got: " + baseUrl);
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("the endpoint is required");
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 requests per second (0 = unlimited), got " + requestsPerSecond);
        }
        requireRange("connect timeout", connectTimeout);
        requireRange("request timeout", requestTimeout);
        if (retry == null) {
            throw new IllegalArgumentException("retry settings are required");
        }
    }

    /** Settings whose calls the ledger records under the endpoint of {@code baseUrl} ({@link BluejayEndpoint#of}). */
    public BluejayClientSettings(URI baseUrl, ApiKey apiKey, double requestsPerSecond, Duration connectTimeout, Duration requestTimeout,
            RetrySettings retry) {
        this(baseUrl, apiKey, requestsPerSecond, connectTimeout, requestTimeout, retry, BluejayEndpoint.of(baseUrl));
    }

    /** These settings with calls recorded under {@code endpoint} (e.g. {@link BluejayEndpoint#SANDBOX}). */
    public BluejayClientSettings withEndpoint(BluejayEndpoint endpoint) {
        return new BluejayClientSettings(baseUrl, apiKey, requestsPerSecond, connectTimeout, requestTimeout, retry, endpoint);
    }

    private static void requireRange(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + value);
        }
    }

    /**
     * Retry policy for transient failures (408, 429, 5xx, timeouts, resets).
     *
     * @param maxAttempts attempts in all, including the first (1 = no retry)
     * @param initialBackoff wait before the second attempt; doubles each attempt, with ±50 % jitter
     * @param maxBackoff upper bound of one wait
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one fails the attempt sequence
     */
    public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
        public RetrySettings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("retry max-attempts must be >= 1, got " + maxAttempts);
            }
            requireRange("retry initial-backoff", initialBackoff);
            requireRange("retry max-backoff", maxBackoff);
            requireRange("retry max-retry-after", maxRetryAfter);
        }

        /** 5 attempts, 500 ms doubling up to 30 s, Retry-After honoured up to 2 min. */
        public static RetrySettings defaults() {
            return new RetrySettings(5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));
        }
    }
}
