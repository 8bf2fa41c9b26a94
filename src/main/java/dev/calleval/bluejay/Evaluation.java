package dev.calleval.bluejay;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation of a call ({@code Evaluation}, §2.3). Every field may be null: judgement fields are null when
 * Bluejay (or the sandbox, which never judges) did not compute them. A call may hold several evaluations after
 * re-evaluation; pick the newest by {@code createdAt}. Latencies are in seconds, percentages 0-100. The legacy
 * {@code custom_evals} (loose shape) is not modelled.
 *
 * @param sentimentScores scores per sentiment label, as Bluejay sends them (a loose object)
 */
public record Evaluation(
        @Nullable String id,
        @Nullable OffsetDateTime createdAt,
        @Nullable Boolean hallucination,
        @Nullable String hallucinationReasoning,
        @Nullable Boolean redundancy,
        @Nullable String redundancyReasoning,
        @Nullable Double agentSpeakPercentage,
        @Nullable Double avgAgentLatency,
        @Nullable Latency latency,
        @Nullable FillerIgnoredLatency fillerIgnoredLatency,
        @Nullable Integer numTurns,
        @Nullable String callSummary,
        @Nullable Boolean goalSuccess,
        @Nullable String goalReasoning,
        @Nullable Double pronunciationScore,
        @Nullable String pronunciationReasoning,
        @Nullable String sentimentLabel,
        @Nullable Double sentimentScore,
        @Nullable Map<String, Object> sentimentScores,
        @Nullable Double customEvalsSuccessRate,
        @Nullable List<CustomMetricResult> customMetrics) {}
