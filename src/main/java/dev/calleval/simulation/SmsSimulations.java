package dev.calleval.simulation;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.RequestInDoubtException;
import dev.calleval.bluejay.SimulationResult;
import dev.calleval.bluejay.SimulationResultsResponse;
import dev.calleval.bluejay.SimulationRunResponse;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.bluejay.ValidationFailedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Queues SMS simulation runs ({@code POST /v1/queue-sms-simulation-run}, §4.2), records each request and the run and
 * result ids it returned, and waits for the results: from the simulation webhooks in the inbox, and by polling
 * {@code GET /v1/retrieve-simulation-results/{run}} (§4.4) for what the webhooks have not brought.
 *
 * <p>Queueing is not idempotent: a request that fails ambiguously (the run may exist) is recorded IN_DOUBT and never
 * sent again automatically.
 */
@Service
public class SmsSimulations {
    private static final Logger log = LoggerFactory.getLogger(SmsSimulations.class);

    private final SimulationStore store;
    private final SimulationEventProcessor events;
    private final Clock clock;

    public SmsSimulations(SimulationStore store, SimulationEventProcessor events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** The state of one queue request: QUEUED (with the run), or IN_DOUBT / REJECTED / FAILED with the reason. */
    public record Queued(SmsSimulationRunRequest request, String state, @Nullable SimulationRunResponse run, @Nullable String error) {}

    /**
     * Queues each request once, in order, and records it. A refused API key stops the rest (recorded FAILED, not
     * sent). A run that was queued but cannot be recorded is still returned (and logged with its id first).
     */
    public List<Queued> queue(BluejayClient client, List<SmsSimulationRunRequest> requests, String queuedBy) {
        List<Queued> out = new ArrayList<>();
        String keyRefused = null;
        for (SmsSimulationRunRequest request : requests) {
            String body = BluejayJson.mapper().writeValueAsString(request);
            Queued queued;
            if (keyRefused != null) {
                queued = new Queued(request, "FAILED", null, "not sent: " + keyRefused);
                store.recordQueueRequest(request.simulationId(), body, queued.state(), null, queued.error(), queuedBy);
                out.add(queued);
                continue;
            }
            try {
                SimulationRunResponse run = client.queueSmsSimulationRun(request);
                log.info("simulation {} queued as run {} with results {}", request.simulationId(), run.simulationRunId(), run.simulationResultIds());
                queued = new Queued(request, "QUEUED", run, null);
                try {
                    store.recordQueued(run, request.simulationId(), queuedBy);
                } catch (RuntimeException e) {
                    log.error("run {} of simulation {} was queued but could not be recorded: {}", run.simulationRunId(),
                            request.simulationId(), e.getMessage());
                }
            } catch (AuthenticationFailedException e) {
                keyRefused = e.getMessage();
                queued = new Queued(request, "FAILED", null, e.getMessage());
            } catch (RequestInDoubtException e) {
                queued = new Queued(request, "IN_DOUBT", null, e.getMessage());
            } catch (ValidationFailedException e) {
                queued = new Queued(request, "REJECTED", null, e.getMessage());
            } catch (BluejayApiException e) {
                queued = new Queued(request, e.status() >= 400 && e.status() < 500 && e.status() != 408 && e.status() != 429 ? "REJECTED" : "FAILED",
                        null, e.getMessage());
            }
            store.recordQueueRequest(request.simulationId(), body, queued.state(), queued.run() == null ? null : queued.run().simulationRunId(),
                    queued.error(), queuedBy);
            if (queued.run() == null) {
                log.warn("simulation {} not queued ({}): {}", request.simulationId(), queued.state(), queued.error());
            }
            out.add(queued);
        }
        return out;
    }

    /**
     * Waits until every run has all its results finished or {@code waitFor} has passed: processes the inbox's
     * simulation webhooks every second, and polls each unfinished run every {@code pollInterval}.
     *
     * @return the runs as stored at the end
     */
    public List<SimulationStore.RunView> await(BluejayClient client, List<String> runIds, Duration waitFor, Duration pollInterval) {
        Instant deadline = clock.instant().plus(waitFor);
        Instant nextPoll = clock.instant().plus(pollInterval);
        while (true) {
            events.processInbox();
            List<SimulationStore.RunView> runs = views(runIds);
            boolean allDone = runs.stream().allMatch(SimulationStore.RunView::finished);
            if (allDone || !clock.instant().isBefore(deadline)) {
                if (!allDone) {
                    runs.stream().filter(r -> !r.finished()).forEach(r -> poll(client, r.runId()));
                    runs = views(runIds);
                }
                return runs;
            }
            if (!clock.instant().isBefore(nextPoll)) {
                runs.stream().filter(r -> !r.finished()).forEach(r -> poll(client, r.runId()));
                nextPoll = clock.instant().plus(pollInterval);
            }
            try {
                Thread.sleep(Math.min(1000, Math.max(50, Duration.between(clock.instant(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return views(runIds);
            }
        }
    }

    /** Polls one run and applies what it says. @return results that changed */
    public int poll(BluejayClient client, String runId) {
        try {
            SimulationResultsResponse response = client.retrieveSimulationResults(runId);
            store.recordRunSummary(response.simulationRun());
            int changed = 0;
            for (SimulationResult r : response.simulationResults()) {
                if (r.status() != null && store.applyResult(new SimulationStore.ResultUpdate(Long.toString(r.id()), runId,
                        Long.toString(r.digitalHumanId()), r.status(), r.evaluations(), r.startTime(), r.endTime(), r.durationMs(), "POLL"))) {
                    changed++;
                }
            }
            return changed;
        } catch (BluejayApiException e) {
            log.warn("polling simulation run {} failed: {}", runId, e.getMessage());
            return 0;
        }
    }

    private List<SimulationStore.RunView> views(List<String> runIds) {
        return runIds.stream().map(id -> store.run(id).orElseThrow(() -> new IllegalStateException("run " + id + " is not recorded"))).toList();
    }
}
