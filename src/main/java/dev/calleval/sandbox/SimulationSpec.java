package dev.calleval.sandbox;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One simulation of the sandbox's catalog ({@link SandboxConfig#simulations()}, keyed by the simulation id), which
 * {@code POST /v1/queue-sms-simulation-run} runs (API reference §4.2).
 *
 * @param agentId the agent under test: {@code agent_id} of the queue answer (as a string) and of the webhooks (as
 *     an integer, §3.5, §3.7); positive
 * @param outbound whether queueing a run also sends {@code outbound_simulation_started} (§3.7) listing the
 *     digital humans and their result ids
 * @param digitalHumans the digital humans a run uses when the request names none; at least one, ids unique
 */
public record SimulationSpec(int agentId, boolean outbound, List<DigitalHumanSpec> digitalHumans) {

    /**
     * Checks the invariants and copies the list.
     *
     * @throws IllegalArgumentException if the agent id is not positive, there is no digital human, or two share
     *     an id
     */
    public SimulationSpec {
        if (agentId <= 0) {
            throw new IllegalArgumentException("agentId must be positive, was " + agentId);
        }
        digitalHumans = List.copyOf(Objects.requireNonNull(digitalHumans, "digitalHumans is required"));
        if (digitalHumans.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one digital human");
        }
        Set<Integer> seen = new HashSet<>();
        for (DigitalHumanSpec human : digitalHumans) {
            if (!seen.add(human.id())) {
                throw new IllegalArgumentException("digital human id " + human.id() + " appears twice");
            }
        }
    }
}
