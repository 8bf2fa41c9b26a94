package dev.calleval.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** One simulation result (test result) of {@link Simulations}; guarded by its lock. */
final class SimulationRunResult {
    final long id;
    final SimulationRun run;
    final DigitalHumanSpec human;
    final Instant createdAt;
    String status = Simulations.QUEUED;
    @Nullable Instant startTime;
    @Nullable Instant endTime;
    final List<JsonNode> toolCalls = new ArrayList<>();
    final List<JsonNode> events = new ArrayList<>();
    final List<JsonNode> tags = new ArrayList<>();
    final ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    final List<ObjectNode> evaluations = new ArrayList<>();

    SimulationRunResult(long id, SimulationRun run, DigitalHumanSpec human, Instant createdAt) {
        this.id = id;
        this.run = run;
        this.human = human;
        this.createdAt = createdAt;
    }
}
