package dev.calleval.bluejay;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One simulation (test) result ({@code SimulationResultResponse}, §4.4). {@code durationMs} is the {@code duration}
 * field, milliseconds per the spec's description; {@code status} is raw text (see {@link TestResultStatus#of}).
 * {@code latency} and {@code result} have no fixed shape and are kept as JSON.
 */
public record SimulationResult(
        long id,
        long digitalHumanId,
        @Nullable String status,
        @com.fasterxml.jackson.annotation.JsonProperty("duration") @Nullable Long durationMs,
        @Nullable String startTime,
        @Nullable String endTime,
        @Nullable List<Evaluation> evaluations,
        @Nullable List<Event> events,
        @Nullable List<ToolCallComparison> toolCalls,
        @Nullable String transcriptUrl,
        @Nullable String audioUrl,
        @Nullable JsonNode latency,
        @Nullable JsonNode result) {

    /** Expected against actual tool calls of one tool ({@code ToolCallComparisonGroup}). */
    public record ToolCallComparison(String name, @Nullable List<Map<String, Object>> expected,
            @Nullable List<Map<String, Object>> actual) {}
}
