package dev.calleval.bluejay;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Answer of {@code GET /v1/retrieve-simulation-results/{simulation_run_id}} ({@code SimulationResultsResponse}, §4.4). */
public record SimulationResultsResponse(SimulationRunSummary simulationRun, @Nullable List<SimulationResult> simulationResults,
        @Nullable String status) {
    public SimulationResultsResponse {
        simulationResults = simulationResults == null ? List.of() : List.copyOf(simulationResults);
    }
}
