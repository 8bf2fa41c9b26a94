package dev.calleval.bluejay;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Answer of {@code POST /v1/queue-sms-simulation-run} ({@code ...SimulationRunResponse}, §4.2). Ids are strings
 * here (integers in webhooks).
 */
public record SimulationRunResponse(
        String simulationRunId,
        List<String> simulationResultIds,
        @Nullable String agentId,
        @Nullable String status,
        @Nullable List<Map<String, Object>> terminatedConversations) {

    public SimulationRunResponse {
        simulationResultIds = simulationResultIds == null ? List.of() : List.copyOf(simulationResultIds);
    }
}
