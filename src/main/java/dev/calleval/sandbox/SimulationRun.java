package dev.calleval.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One simulation run of {@link Simulations}; guarded by its lock. */
final class SimulationRun {
    final long id;
    final String simulationId;
    final SimulationSpec spec;
    final Instant createdAt;
    final List<SimulationRunResult> results = new ArrayList<>();

    SimulationRun(long id, String simulationId, SimulationSpec spec, Instant createdAt) {
        this.id = id;
        this.simulationId = simulationId;
        this.spec = spec;
        this.createdAt = createdAt;
    }
}
