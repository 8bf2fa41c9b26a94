package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/** Answer of {@code POST /v1/update-simulation-result} ({@code UpdateSimulationResponse}, §4.1). */
public record UpdateSimulationResponse(@Nullable String status, @Nullable String message) {}
