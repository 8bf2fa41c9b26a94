package dev.calleval.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of what a {@link SandboxServer} has seen so far.
 *
 * @param evaluateRequests every {@code POST /v1/evaluate} (and {@code /v1/evaluate-call}) request, whatever its answer
 * @param evaluateAccepted requests answered 200 with a call id
 * @param evaluateRejected422 requests answered 422 (malformed JSON or a body that fails validation)
 * @param retrieveRequests every {@code GET /v1/retrieve-call-log/{call_id}} request, whatever its answer
 * @param webhooksSent webhook deliveries the receiver acknowledged with a 2xx (a duplicated webhook counts twice)
 * @param webhookFailures webhook deliveries given up after every attempt failed (non-2xx, timeout or connection
 *     error); a retried delivery that finally succeeds is not a failure
 * @param evaluateArrivals arrival time of every evaluate request, including those answered 401, 422, 429, 503 or
 *     reset, in arrival order
 */
public record SandboxStats(
        long evaluateRequests,
        long evaluateAccepted,
        long evaluateRejected422,
        long retrieveRequests,
        long webhooksSent,
        long webhookFailures,
        List<Instant> evaluateArrivals) {

    /** Copies the arrival list. */
    public SandboxStats {
        evaluateArrivals = List.copyOf(Objects.requireNonNull(evaluateArrivals, "evaluateArrivals"));
    }

    /**
     * The largest number of evaluate arrivals inside any half-open window {@code [t, t + 1 s)}: what a client that
     * promises "no more than N requests in any sliding second" must keep at or below N.
     */
    public int maxRequestsInAnySlidingSecond() {
        return maxInAnyWindow(evaluateArrivals, Duration.ofSeconds(1));
    }

    /**
     * The largest number of instants inside any half-open window {@code [t, t + window)}. Two instants share a
     * window exactly when they are less than {@code window} apart. The input need not be sorted.
     *
     * @return 0 for an empty list
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    static int maxInAnyWindow(List<Instant> instants, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        List<Instant> sorted = new ArrayList<>(instants);
        sorted.sort(null);
        int best = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            Instant limit = sorted.get(end).minus(window);
            // drop every instant at least one window older than sorted[end]
            while (!sorted.get(start).isAfter(limit)) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }
}
