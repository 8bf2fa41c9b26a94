package dev.calleval.simulation;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.WebhookEvent;
import dev.calleval.webhook.WebhookInbox;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;

/**
 * Applies the stored simulation webhooks ({@code simulation_ended}, {@code simulation_result_evaluated},
 * {@code outbound_simulation_started}, API reference §3.5–§3.7) to the {@link SimulationStore}, oldest first. Each
 * event is marked APPLIED, UNCHANGED (the result was already further along: late, duplicate or reordered), or
 * UNREADABLE (kept, with the reason in the log).
 */
@Service
public class SimulationEventProcessor {
    private static final Logger log = LoggerFactory.getLogger(SimulationEventProcessor.class);
    private static final List<String> TYPES = List.of(WebhookEvent.OUTBOUND_SIMULATION_STARTED, WebhookEvent.SIMULATION_ENDED,
            WebhookEvent.SIMULATION_RESULT_EVALUATED);

    private final WebhookInbox inbox;
    private final SimulationStore store;

    public SimulationEventProcessor(WebhookInbox inbox, SimulationStore store) {
        this.inbox = inbox;
        this.store = store;
    }

    /** Counts of one pass over the inbox. */
    public record Pass(int applied, int unchanged, int unreadable) {}

    /**
     * Processes every unprocessed simulation event in the inbox, each in a transaction of its own
     * ({@link WebhookInbox#process}): processes sharing the database may run this at the same time.
     */
    public Pass processInbox() {
        int applied = 0;
        int unchanged = 0;
        int unreadable = 0;
        for (String type : TYPES) {
            List<WebhookInbox.StoredEvent> batch;
            long lastId = -1;
            do {
                batch = inbox.unprocessed(type, lastId, 500);
                if (!batch.isEmpty()) {
                    lastId = batch.get(batch.size() - 1).id();
                }
                for (WebhookInbox.StoredEvent stored : batch) {
                    switch (inbox.process(stored, e -> applyStored(type, e)).orElse("")) { // empty: another process applied it
                        case "APPLIED" -> applied++;
                        case "UNCHANGED" -> unchanged++;
                        case "UNREADABLE" -> unreadable++;
                        default -> { }
                    }
                }
            } while (batch.size() == 500);
        }
        return new Pass(applied, unchanged, unreadable);
    }

    /** Applies one stored simulation event of {@code type}; returns the outcome its inbox row records. */
    private String applyStored(String type, WebhookInbox.StoredEvent stored) {
        WebhookEvent event;
        try {
            event = WebhookEvent.parse(type, BluejayJson.mapper().readTree(stored.body()));
        } catch (IllegalArgumentException | JacksonException e) {
            log.warn("webhook event {} ({}) is not readable: {}", stored.id(), type, e.getMessage());
            return "UNREADABLE";
        }
        return apply(event) ? "APPLIED" : "UNCHANGED";
    }

    /** Applies one simulation event. @return true when the store changed */
    public boolean apply(WebhookEvent event) {
        if (event instanceof WebhookEvent.SimulationEnded e) {
            return store.applyResult(new SimulationStore.ResultUpdate(Long.toString(e.id()), Long.toString(e.simulationRunId()),
                    Long.toString(e.digitalHumanId()), e.status(), null, e.startTime(), e.endTime(), e.duration(), "WEBHOOK"));
        }
        if (event instanceof WebhookEvent.SimulationResultEvaluated e) {
            return store.applyResult(new SimulationStore.ResultUpdate(Long.toString(e.id()), Long.toString(e.simulationRunId()),
                    Long.toString(e.digitalHumanId()), e.status(), e.evaluations(), e.startTime(), e.endTime(), e.duration(), "WEBHOOK"));
        }
        if (event instanceof WebhookEvent.OutboundSimulationStarted e) {
            store.recordOutboundStarted(Long.toString(e.simulationRunId()), e.simulationId() == null ? null : Long.toString(e.simulationId()),
                    e.agentId() == null ? null : Long.toString(e.agentId()), e.digitalHumans());
            return true;
        }
        return false; // call events belong to reconciliation; unknown types are only listed
    }
}
