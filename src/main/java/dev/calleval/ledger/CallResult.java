package dev.calleval.ledger;

import org.jspecify.annotations.Nullable;

/**
 * The key figures of a call's newest evaluation, as stored in the ledger and shown in {@code calls.csv}.
 * Latencies are in seconds as Bluejay reports them; {@code customMetricsJson} is a JSON object of metric name →
 * {@code response_value}.
 *
 * @param state {@link LedgerState#EVALUATED} or {@link LedgerState#INCOMPLETE}
 * @param bluejayStatus Bluejay's call status, e.g. {@code COMPLETED}
 * @param via {@code WEBHOOK} or {@code POLL}
 * @param evaluationJson the newest {@code Evaluation} (API reference §2.3) as JSON: the fields calleval models
 *     ({@code dev.calleval.bluejay.Evaluation}), snake_case, nulls omitted; null without evaluation
 */
public record CallResult(
        LedgerState state,
        String bluejayStatus,
        String via,
        @Nullable String evaluationId,
        @Nullable Boolean goalSuccess,
        @Nullable Boolean hallucination,
        @Nullable Integer numTurns,
        @Nullable Double agentSpeakPercentage,
        @Nullable Double latencyP50,
        @Nullable Double latencyP90,
        @Nullable String customMetricsJson,
        @Nullable String evaluationJson) {

    public CallResult {
        if (!state.hasResult()) {
            throw new IllegalArgumentException("a result's state is EVALUATED or INCOMPLETE, not " + state);
        }
    }
}
