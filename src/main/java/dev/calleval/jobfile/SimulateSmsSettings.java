package dev.calleval.jobfile;

import dev.calleval.bluejay.SmsSimulationRunRequest;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code simulate-sms:} section of a job file: SMS simulation runs to queue
 * ({@code POST /v1/queue-sms-simulation-run}, API reference §4.2) and how long to wait for their results.
 *
 * @param runs one entry per run to queue; at least one
 * @param waitFor how long to wait for every result to finish (webhooks, else polling); {@code 0s} queues and returns
 * @param pollInterval pause between polls of {@code retrieve-simulation-results} while waiting
 */
public record SimulateSmsSettings(List<Run> runs, @DefaultValue("0s") Duration waitFor, @DefaultValue("15s") Duration pollInterval) {

    public SimulateSmsSettings {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("simulate-sms.runs needs at least one run (simulation-id: ...)");
        }
        runs = List.copyOf(runs);
        if (waitFor == null || waitFor.isNegative()) {
            throw new IllegalArgumentException("simulate-sms.wait-for must be >= 0s, got " + waitFor);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("simulate-sms.poll-interval must be > 0, got " + pollInterval);
        }
    }

    /**
     * One run to queue; the fields of {@code SimulationRunRequest} (§4.2), in kebab-case.
     *
     * @param digitalHumanIds restrict the run to these digital humans; empty runs all of the simulation's
     */
    public record Run(
            String simulationId,
            @Nullable String promptId,
            @Nullable String knowledgeBaseId,
            @DefaultValue List<String> digitalHumanIds,
            @DefaultValue("false") boolean terminateOverlappingSimulations,
            @Nullable Integer runsPerDigitalHuman) {

        public Run {
            if (simulationId == null || simulationId.isBlank()) {
                throw new IllegalArgumentException("simulate-sms.runs[].simulation-id is required");
            }
        }

        /** The request body for this run. */
        public SmsSimulationRunRequest request() {
            return new SmsSimulationRunRequest(simulationId, promptId, knowledgeBaseId,
                    digitalHumanIds.isEmpty() ? null : digitalHumanIds, terminateOverlappingSimulations ? Boolean.TRUE : null,
                    runsPerDigitalHuman);
        }
    }
}
