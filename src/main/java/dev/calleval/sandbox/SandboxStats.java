package dev.calleval.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of what a {@link SandboxServer} has seen so far; {@code GET /_sandbox/stats} serves the same numbers.
 *
 * @param evaluateRequests every {@code POST /v1/evaluate} (and {@code /v1/evaluate-call}) request, whatever its answer
 * @param evaluateAccepted evaluate requests that created a call: answered 200 with a call id, or answered 504 or
 *     reset by an accept-then-fail/reset fault after the call was created
 * @param evaluateRejected422 requests answered 422 (malformed JSON or a body that fails validation)
 * @param retrieveRequests every {@code GET /v1/retrieve-call-log/{call_id}} request, whatever its answer
 * @param webhooksSent webhook deliveries the receiver acknowledged with a 2xx (a duplicated webhook counts twice)
 * @param webhookFailures webhook deliveries given up after every attempt failed (non-2xx, timeout or connection
 *     error); a retried delivery that finally succeeds is not a failure
 * @param evaluateArrivals arrival time of every evaluate request, including those answered 401, 422, 429, 503 or
 *     reset, in arrival order
 * @param endpoints the counters of every endpoint (all {@link SandboxEndpoint} values present, zeros included)
 * @param webhooksSentByType acknowledged webhook deliveries per {@code type} (e.g. {@code simulation_ended}); only
 *     types delivered at least once are present
 * @param updateSimulationResultPosts per {@code simulation_result_id}, the {@code POST /v1/update-simulation-result}
 *     requests that were applied to that result (each one appended its tool calls again, API reference §4.1),
 *     including those answered 504 or reset afterwards by an accept-then-fail/reset fault
 */
public record SandboxStats(
        long evaluateRequests,
        long evaluateAccepted,
        long evaluateRejected422,
        long retrieveRequests,
        long webhooksSent,
        long webhookFailures,
        List<Instant> evaluateArrivals,
        Map<SandboxEndpoint, EndpointStats> endpoints,
        Map<String, Long> webhooksSentByType,
        Map<String, Integer> updateSimulationResultPosts) {

    /** Copies the list and the maps; fills in zero counters for endpoints without any. */
    public SandboxStats {
        evaluateArrivals = List.copyOf(Objects.requireNonNull(evaluateArrivals, "evaluateArrivals"));
        EnumMap<SandboxEndpoint, EndpointStats> all = new EnumMap<>(SandboxEndpoint.class);
        for (SandboxEndpoint endpoint : SandboxEndpoint.values()) {
            all.put(endpoint, EndpointStats.ZERO);
        }
        all.putAll(Objects.requireNonNull(endpoints, "endpoints"));
        endpoints = Collections.unmodifiableMap(all);
        webhooksSentByType = Collections.unmodifiableMap(
                new TreeMap<>(Objects.requireNonNull(webhooksSentByType, "webhooksSentByType")));
        updateSimulationResultPosts = Collections.unmodifiableMap(
                new TreeMap<>(Objects.requireNonNull(updateSimulationResultPosts, "updateSimulationResultPosts")));
    }

    /** The seven-component form of earlier versions: no per-endpoint counters, webhook types or posts. */
    public SandboxStats(long evaluateRequests, long evaluateAccepted, long evaluateRejected422, long retrieveRequests,
            long webhooksSent, long webhookFailures, List<Instant> evaluateArrivals) {
        this(evaluateRequests, evaluateAccepted, evaluateRejected422, retrieveRequests, webhooksSent, webhookFailures,
                evaluateArrivals, Map.of(), Map.of(), Map.of());
    }

    /** The counters of one endpoint. */
    public EndpointStats endpoint(SandboxEndpoint endpoint) {
        return endpoints.get(endpoint);
    }

    /** Requests answered 504 after their effect took place (accept-then-fail), over all endpoints. */
    public long acceptedThenFailed() {
        return endpoints.values().stream().mapToLong(EndpointStats::acceptedThenFailed).sum();
    }

    /** Requests whose connection was closed after their effect took place (accept-then-reset), over all endpoints. */
    public long acceptedThenReset() {
        return endpoints.values().stream().mapToLong(EndpointStats::acceptedThenReset).sum();
    }

    /**
     * The counters of one endpoint.
     *
     * @param requests every request, whatever its answer
     * @param accepted requests that were processed: state changed (call created, re-evaluation queued, result
     *     updated, run queued, conversations ended) or data served, whatever was answered afterwards
     * @param rejected422 requests answered 422 (validation)
     * @param notFound404 requests answered 404 (unknown call, result, run or simulation)
     * @param faulted requests answered by an injected fault before processing (scripted status, 429, reset, 503)
     * @param acceptedThenFailed processed requests then answered 504 (accept-then-fail), also in {@code accepted}
     * @param acceptedThenReset processed requests whose connection was then closed (accept-then-reset), also in
     *     {@code accepted}
     */
    public record EndpointStats(
            long requests,
            long accepted,
            long rejected422,
            long notFound404,
            long faulted,
            long acceptedThenFailed,
            long acceptedThenReset) {

        /** All counters zero. */
        public static final EndpointStats ZERO = new EndpointStats(0, 0, 0, 0, 0, 0, 0);
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
