package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * A simulation run's totals ({@code SimulationRunResultResponse}, §4.4). {@code status} is a
 * {@code SimulationRunStatus} ({@code INITIALIZING, RUNNING, COMPLETED, INCOMPLETED, INSUFFICIENT_FUNDS}), kept
 * as text since the enum grows.
 */
public record SimulationRunSummary(
        String id,
        String simulationId,
        @Nullable String summary,
        @Nullable String status,
        @Nullable Integer totalTests,
        @Nullable Integer testsPassed,
        @Nullable Integer testsFailed,
        @Nullable Integer testsCompleted,
        @Nullable Integer testsIncompleted,
        @Nullable String createdAt) {}
