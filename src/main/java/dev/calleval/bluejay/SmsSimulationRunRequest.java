package dev.calleval.bluejay;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/queue-sms-simulation-run} ({@code src__text_agents__sms_text_agent_api__SimulationRunRequest},
 * §4.2).
 *
 * @param simulationId the simulation to run (a string, e.g. {@code "30425"}); required
 * @param promptId prompt version (UUID) for this run, or null for the agent's current one
 * @param knowledgeBaseId knowledge-base version (UUID), or null
 * @param digitalHumanIds restrict the run to these digital humans; null runs all of the simulation's
 * @param terminateOverlappingSimulations end running conversations that use the same pair of phone numbers
 * @param runsPerDigitalHuman results per digital human; null falls back to the simulation's setting, then 1
 */
public record SmsSimulationRunRequest(
        String simulationId,
        @Nullable String promptId,
        @Nullable String knowledgeBaseId,
        @Nullable List<String> digitalHumanIds,
        @Nullable Boolean terminateOverlappingSimulations,
        @Nullable Integer runsPerDigitalHuman) {

    public SmsSimulationRunRequest {
        if (simulationId == null || simulationId.isBlank()) {
            throw new IllegalArgumentException("simulation_id is required");
        }
        digitalHumanIds = digitalHumanIds == null ? null : List.copyOf(digitalHumanIds);
        if (runsPerDigitalHuman != null && runsPerDigitalHuman < 1) {
            throw new IllegalArgumentException("runs_per_digital_human must be >= 1, got " + runsPerDigitalHuman);
        }
    }
}
