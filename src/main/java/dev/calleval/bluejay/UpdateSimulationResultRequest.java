package dev.calleval.bluejay;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/update-simulation-result} ({@code src__api__update_simulation_result__UpdateSimulationRequest},
 * §4.1): what the agent under test logged during a simulated call. Offsets are milliseconds from call start.
 * Not idempotent: a second post duplicates the tool calls on Bluejay's side.
 *
 * @param simulationResultId the test result id from the {@code X-Simulation-Result-Id} header, as a string
 * @param traceIds OpenTelemetry trace ids; in the prose docs but not in the May 2026 spec
 */
public record UpdateSimulationResultRequest(
        String simulationResultId,
        @Nullable List<Event> events,
        @Nullable List<ToolCall> toolCalls,
        @Nullable List<TranscriptEntry> recordedTranscript,
        @Nullable List<String> tags,
        @Nullable Map<String, Object> metadata,
        @Nullable List<String> traceIds) {

    public UpdateSimulationResultRequest {
        if (simulationResultId == null || simulationResultId.isBlank()) {
            throw new IllegalArgumentException("simulation_result_id is required");
        }
    }
}
