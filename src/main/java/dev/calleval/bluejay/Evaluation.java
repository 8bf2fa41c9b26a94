package dev.calleval.bluejay;

import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation of a call ({@code Evaluation}, §2.3). Every field may be null: judgement fields are null when
 * Bluejay (or the sandbox, which never judges) did not compute them. A call may hold several evaluations after
 * re-evaluation; pick the newest by {@code createdAt}.
 */
public record Evaluation(
        @Nullable String id,
        @Nullable OffsetDateTime createdAt,
        @Nullable Boolean hallucination,
        @Nullable Boolean redundancy,
        @Nullable Double agentSpeakPercentage,
        @Nullable Double avgAgentLatency,
        @Nullable Latency latency,
        @Nullable Integer numTurns,
        @Nullable String callSummary,
        @Nullable Boolean goalSuccess,
        @Nullable String sentimentLabel,
        @Nullable Double sentimentScore,
        @Nullable List<CustomMetricResult> customMetrics) {}
