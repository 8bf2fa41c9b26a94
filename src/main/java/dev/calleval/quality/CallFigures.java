package dev.calleval.quality;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one evaluated call contributes to the figures: its grouping keys and its newest evaluation's judgements.
 *
 * @param agentKey the agent the call was sent for (ledger {@code agent_key})
 * @param label the {@code label} it was sent with, null without
 * @param metadata the {@code metadata} it was sent with (values as text), empty without
 * @param latencyP50 Bluejay's per-call p50 agent latency in seconds
 * @param latencyP90 Bluejay's per-call p90 agent latency in seconds
 * @param metrics its custom metric results that can be compared
 */
public record CallFigures(String agentKey, @Nullable String label, Map<String, String> metadata, @Nullable Boolean goalSuccess,
        @Nullable Boolean hallucination, @Nullable Double latencyP50, @Nullable Double latencyP90, List<MetricValue> metrics) {

    public CallFigures {
        metadata = Map.copyOf(metadata);
        metrics = List.copyOf(metrics);
    }

    /** One custom metric's result: a pass/fail verdict ({@code number} null) or a number ({@code passed} null). */
    public record MetricValue(String name, @Nullable Boolean passed, @Nullable Double number) {}
}
