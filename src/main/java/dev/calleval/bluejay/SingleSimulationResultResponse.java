package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/** Answer of {@code GET /v1/retrieve-simulation-result/{test_result_id}} ({@code SingleSimulationResultResponse}, §4.5). */
public record SingleSimulationResultResponse(SimulationResult simulationResult, @Nullable String status) {}
