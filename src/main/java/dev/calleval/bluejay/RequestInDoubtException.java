package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * A request that is not idempotent ({@code POST /v1/evaluate}, {@code POST /v1/update-simulation-result},
 * {@code POST /v1/queue-sms-simulation-run}, {@code POST /v1/re-evaluate}) failed in a way that leaves open whether
 * Bluejay acted on it: no response within the timeout after it was sent, the connection reset mid-response, or an
 * answer of 500, 502 or 504 (API reference §8: "do not blindly retry"). Also a 2xx answer whose body cannot be read:
 * the request was acted on, but what it created (a call id, a run id) is unknown; {@link #status()} is then 2xx. The client never retries it; the caller
 * records it as in doubt (the ledger's {@code in_doubt} flag) so that a person, or a later lookup, decides.
 */
public final class RequestInDoubtException extends BluejayApiException {
    public RequestInDoubtException(String operation, int status, String message, @Nullable Throwable cause) {
        super(operation, status, message + " (the request may have been acted on: not retried)", cause);
    }

    /** True when no answer came within the request timeout (the server may still be working on it), not a reset or a 5xx. */
    public boolean timedOut() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
