package dev.calleval.evaluate;

import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayTimes;
import dev.calleval.bluejay.CallLog;
import dev.calleval.bluejay.CallLogWindow;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.RetrieveCallLogsResponse;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Settles an evaluate request that failed ambiguously (the call may or may not exist at Bluejay) by looking for it:
 * {@code GET /v1/retrieve-call-logs/{agent_id}} (§2.4), newest first, 100 per page, for a call whose
 * {@code metadata.calleval_source_id} is the row's source id. Only calls sent with {@code agent_id} can be listed;
 * {@code external_agent_id} calls stay in doubt.
 *
 * <p>The listing is read with {@code last=all} (what the time windows filter on is undocumented). The scan stops at
 * the first page holding a call created more than ten minutes before the request was sent (the listing's order is
 * undocumented: newest-first is assumed, and the page limit bounds the cost otherwise), at the last page, or after
 * {@code maxPages} pages (then the answer is {@link Outcome#UNKNOWN}).
 *
 * <p>{@link #settle} looks twice before it answers ABSENT: after {@code lookupDelay} (or the request timeout, when
 * the request timed out: the server may still have been working on it), and again {@code lookupDelay} later. Thread-safe.
 *
 * @param lookupDelay pause before each look, so that a request the server is still processing has time to land
 * @param requestTimeout the client's request timeout: the least wait after a request that timed out
 * @param maxPages the most pages read per lookup
 */
record InDoubtResolver(BluejayClient client, Duration lookupDelay, Duration requestTimeout, int maxPages) {
    private static final Duration OLDER_THAN_MARGIN = Duration.ofMinutes(10);

    /** What a lookup found. */
    enum Outcome {
        /** The call exists: it was created once; {@link Lookup#callId()} is its id. */
        FOUND,
        /** The whole window was read and the call is not there: sending it again creates no duplicate. */
        ABSENT,
        /** Could not tell (external agent id, lookup failed, page limit): it stays in doubt. */
        UNKNOWN
    }

    /** A lookup's outcome, the call id when found, and a line for the ledger and the log. */
    record Lookup(Outcome outcome, @Nullable String callId, String detail) {}

    /**
     * Settles an ambiguous failure: waits, looks, and when the call is absent waits and looks once more.
     *
     * @param timedOut the request got no answer at all (rather than a 5xx)
     */
    Lookup settle(EvaluateRequest request, String sourceId, Instant sentAt, boolean timedOut) {
        if (request.agentId() == null) {
            return lookUp(request, sourceId, sentAt);
        }
        sleep(timedOut && requestTimeout.compareTo(lookupDelay) > 0 ? requestTimeout : lookupDelay);
        Lookup first = lookUp(request, sourceId, sentAt);
        if (first.outcome() != Outcome.ABSENT) {
            return first;
        }
        sleep(lookupDelay);
        return lookUp(request, sourceId, sentAt);
    }

    /** One look, without waiting. */
    Lookup lookUp(EvaluateRequest request, String sourceId, Instant sentAt) {
        if (request.agentId() == null) {
            return new Lookup(Outcome.UNKNOWN, null, "calls sent with external_agent_id cannot be listed to check");
        }
        Instant oldEnough = sentAt.minus(OLDER_THAN_MARGIN);
        try {
            for (int page = 1; page <= maxPages; page++) {
                RetrieveCallLogsResponse logs = client.retrieveCallLogs(request.agentId(), page, 100, CallLogWindow.ALL);
                boolean reachedOlder = false;
                for (CallLog log : logs.callLogs()) {
                    if (log.metadataValue("calleval_source_id").filter(sourceId::equals).isPresent()) {
                        return new Lookup(Outcome.FOUND, log.id(), "found at Bluejay as call " + log.id());
                    }
                    Instant created = BluejayTimes.parse(log.createdAt());
                    reachedOlder |= created != null && created.isBefore(oldEnough);
                }
                if (reachedOlder || page >= logs.totalPages() || logs.callLogs().isEmpty()) {
                    return new Lookup(Outcome.ABSENT, null, "not among agent " + request.agentId() + "'s calls (" + page + " page(s) read)");
                }
            }
            return new Lookup(Outcome.UNKNOWN, null, "not found in the first " + maxPages + " pages of agent " + request.agentId() + "'s calls");
        } catch (BluejayApiException e) {
            return new Lookup(Outcome.UNKNOWN, null, "lookup failed: " + e.getMessage());
        }
    }


    private static void sleep(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
