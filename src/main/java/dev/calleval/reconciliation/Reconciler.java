package dev.calleval.reconciliation;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.CallLog;
import dev.calleval.bluejay.CallStatus;
import dev.calleval.bluejay.CustomMetricResult;
import dev.calleval.bluejay.Evaluation;
import dev.calleval.bluejay.WebhookEvent;
import dev.calleval.ledger.CallResult;
import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.CallScope;
import dev.calleval.ledger.LedgerEntry;
import dev.calleval.ledger.LedgerState;
import dev.calleval.ledger.Reevaluations;
import dev.calleval.webhook.WebhookInbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;

/**
 * Applies results to the ledger. Rules (DESIGN.md "Webhooks and reconciliation"):
 * <ul>
 *   <li>match by call id (webhook {@code id} = evaluate's {@code call_id}), else by
 *       {@code metadata.calleval_source_id} and agent among the calls still waiting for their call id (a row that has
 *       another call id is another Bluejay call, e.g. the same input sent to the sandbox);</li>
 *   <li>polling asks the client's endpoint only about the calls sent to that endpoint;</li>
 *   <li>COMPLETED → EVALUATED, INCOMPLETED → INCOMPLETE; other statuses are progress and change nothing;</li>
 *   <li>a call that already has a result keeps it: late and duplicate events change nothing;</li>
 *   <li>except that a terminal event of a call with a re-evaluation round waiting for it ({@link Reevaluations#awaiting})
 *       whose newest evaluation is not the one the round replaced is that round's new evaluation: stored in the
 *       round's row, the call's first result unchanged;</li>
 *   <li>an event that matches no call is an orphan and stays in the inbox, to be matched once its submission
 *       is recorded.</li>
 * </ul>
 */
@Service
public class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    static final String CALL_EVALUATED = "observability_call_evaluated";

    private final WebhookInbox inbox;
    private final CallResults ledger;
    private final Reevaluations rounds;
    private final Clock clock;

    public Reconciler(WebhookInbox inbox, CallResults ledger, Reevaluations rounds, Clock clock) {
        this.inbox = inbox;
        this.ledger = ledger;
        this.rounds = rounds;
        this.clock = clock;
    }

    /** Counts of one inbox pass. */
    public record InboxPass(int matched, int unchanged, int progress, int orphans, int unreadable) {}

    /**
     * Reconciles every unprocessed {@code observability_call_evaluated} event in the inbox, and marks events of
     * unknown types as seen (stored and listed, not acted on). Each event is applied in a transaction of its own
     * ({@link WebhookInbox#process}), so processes sharing the database (serve replicas) may run this at the same
     * time: each event is counted by the one that applied it.
     */
    public InboxPass processInbox() {
        inbox.settleUnknownTypes(WebhookEvent.KNOWN_TYPES);
        int matched = 0;
        int unchanged = 0;
        int progress = 0;
        int orphans = 0;
        int unreadable = 0;
        List<WebhookInbox.StoredEvent> batch;
        long lastId = -1;
        do {
            batch = inbox.unprocessed(CALL_EVALUATED, lastId, 500);
            for (WebhookInbox.StoredEvent event : batch) {
                switch (inbox.process(event, this::reconcile).orElse("")) { // empty: another process applied it meanwhile
                    case "MATCHED" -> matched++;
                    case "UNCHANGED" -> unchanged++;
                    case "PROGRESS" -> progress++;
                    case "ORPHAN" -> orphans++;
                    case "UNREADABLE" -> unreadable++;
                    default -> { }
                }
            }
            if (!batch.isEmpty()) {
                lastId = batch.get(batch.size() - 1).id(); // orphans stay unprocessed for a later pass, not re-read in this one
            }
        } while (batch.size() == 500);
        return new InboxPass(matched, unchanged, progress, orphans, unreadable);
    }

    /** Applies one stored call event; returns the outcome its inbox row records. */
    private String reconcile(WebhookInbox.StoredEvent event) {
        CallLog callLog;
        try {
            callLog = BluejayJson.mapper().readValue(event.body(), CallLog.class);
        } catch (JacksonException e) {
            log.warn("webhook event {} is not a readable call log: {}", event.id(), e.getOriginalMessage());
            return "UNREADABLE";
        }
        return switch (apply(callLog, "WEBHOOK")) {
            case RECORDED -> "MATCHED";
            case ALREADY_HAD_RESULT -> "UNCHANGED";
            case NOT_FINISHED -> "PROGRESS";
            case NO_SUCH_CALL -> "ORPHAN";
        };
    }

    /** What {@link #apply} did. */
    public enum Applied { RECORDED, ALREADY_HAD_RESULT, NOT_FINISHED, NO_SUCH_CALL }

    /** Applies one call log (from a webhook or a poll) to its ledger row. */
    public Applied apply(CallLog callLog, String via) {
        Optional<LedgerEntry> entry = ledger.findByCallId(callLog.id());
        if (entry.isEmpty()) {
            Optional<String> sourceId = callLog.metadataValue("calleval_source_id");
            if (sourceId.isPresent()) {
                List<LedgerEntry> candidates = ledger.findBySourceId(sourceId.get()).stream()
                        .filter(e -> e.callId() == null)
                        .filter(e -> callLog.agentId() == null || e.agentKey().equals(callLog.agentId())
                                || e.agentKey().equals("ext:" + callLog.externalAgentId()))
                        .toList();
                if (candidates.size() == 1) {
                    entry = Optional.of(candidates.get(0));
                }
            }
        }
        if (entry.isEmpty()) {
            return Applied.NO_SUCH_CALL;
        }
        CallStatus status = callLog.status() == null ? CallStatus.UNKNOWN : callLog.status();
        if (!status.isTerminal()) {
            return Applied.NOT_FINISHED;
        }
        if (entry.get().state().hasResult()) {
            return applyReevaluation(callLog, entry.get().endpoint(), status, via);
        }
        boolean changed = ledger.applyResult(entry.get().id(), callLog.id(), result(callLog, status, via));
        return changed ? Applied.RECORDED : Applied.ALREADY_HAD_RESULT;
    }

    /**
     * A terminal event of a call that already has its first result: the new evaluation of the round waiting for it,
     * when its newest evaluation is another than the one that round replaced.
     */
    private Applied applyReevaluation(CallLog callLog, BluejayEndpoint endpoint, CallStatus status, String via) {
        Optional<Reevaluations.Awaiting> round = rounds.awaiting(callLog.id(), endpoint);
        Optional<String> newest = callLog.latestEvaluation().map(Evaluation::id);
        if (round.isEmpty() || newest.isEmpty() || newest.get().equals(round.get().oldEvaluationId())) {
            return Applied.ALREADY_HAD_RESULT;
        }
        return rounds.applyResult(round.get().rowId(), result(callLog, status, via)) ? Applied.RECORDED : Applied.ALREADY_HAD_RESULT;
    }

    /**
     * The ledger result of a terminal call log: its state for {@code status} and the key figures of its newest
     * evaluation.
     */
    public static CallResult result(CallLog callLog, CallStatus status, String via) {
        LedgerState state = status == CallStatus.COMPLETED ? LedgerState.EVALUATED : LedgerState.INCOMPLETE;
        Optional<Evaluation> latest = callLog.latestEvaluation();
        if (latest.isEmpty()) {
            return new CallResult(state, status.name(), via, null, null, null, null, null, null, null, null, null);
        }
        Evaluation e = latest.get();
        String custom = null;
        if (e.customMetrics() != null && !e.customMetrics().isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (CustomMetricResult m : e.customMetrics()) {
                values.put(m.name(), m.responseValue());
            }
            custom = BluejayJson.mapper().writeValueAsString(values);
        }
        return new CallResult(state, status.name(), via, e.id(), e.goalSuccess(), e.hallucination(), e.numTurns(),
                e.agentSpeakPercentage(), e.latency() == null ? null : e.latency().p50AgentLatency(),
                e.latency() == null ? null : e.latency().p90AgentLatency(), custom, BluejayJson.mapper().writeValueAsString(e));
    }

    /** Calls read per page by {@link #pollOverdue}. */
    static final int POLL_PAGE = 500;

    /**
     * Polls {@code retrieve-call-log} for this execution's calls that have waited longer than {@code pollAfter}
     * without a result, and applies what it finds. The calls are read from the ledger a page at a time (by ledger
     * id), so memory does not grow with the run.
     *
     * @return results recorded
     */
    public int pollOverdue(BluejayClient client, long executionId, Duration pollAfter) {
        return pollOverdue(client, CallScope.execution(executionId), pollAfter);
    }

    /**
     * Polls {@code retrieve-call-log} for the calls in {@code scope} sent to the client's endpoint
     * ({@link BluejayClient#endpoint}) that have waited longer than {@code pollAfter} without a result, and applies what
     * it finds. A failed poll is logged and the call stays as it was; a refused API key stops the round.
     *
     * @return results recorded
     */
    public int pollOverdue(BluejayClient client, CallScope scope, Duration pollAfter) {
        return poll(client, scope, pollAfter).recorded();
    }

    /** Counts of one polling round: calls polled, results recorded, polls that failed. */
    private record Poll(int polled, int recorded, int failed) {}

    private Poll poll(BluejayClient client, CallScope scope, Duration pollAfter) {
        int polled = 0;
        int recorded = 0;
        int failed = 0;
        Instant cutoff = clock.instant().minus(pollAfter);
        long lastId = 0;
        List<LedgerEntry> page;
        do { // a page at a time, by ledger id: memory does not grow with the number of calls waiting
            page = ledger.awaitingResults(scope, client.endpoint(), cutoff, lastId, POLL_PAGE);
            for (LedgerEntry entry : page) {
                polled++;
                try {
                    if (apply(client.retrieveCallLog(Objects.requireNonNull(entry.callId())), "POLL") == Applied.RECORDED) {
                        recorded++;
                    }
                } catch (AuthenticationFailedException e) {
                    failed++;
                    log.warn("polling stopped: {}", e.getMessage());
                    return new Poll(polled, recorded, failed);
                } catch (BluejayApiException e) {
                    failed++;
                    log.warn("polling call {} ({}) failed: {}", entry.callId(), entry.sourceId(), e.getMessage());
                }
            }
            if (!page.isEmpty()) {
                lastId = page.get(page.size() - 1).id();
            }
        } while (page.size() == POLL_PAGE);
        return new Poll(polled, recorded, failed);
    }

    /**
     * Polls {@code retrieve-call-log} for the calls of re-evaluation round {@code roundId} at the client's endpoint whose
     * re-evaluation was accepted more than {@code pollAfter} ago and whose new evaluation has not arrived, and applies
     * what it finds (a call log whose newest evaluation is still the replaced one changes nothing). A failed poll is
     * logged; a refused API key stops the polling.
     *
     * @return new evaluations recorded
     */
    public int pollRound(BluejayClient client, String roundId, Duration pollAfter) {
        return pollReevaluations(client, rounds.awaiting(roundId, client.endpoint(), clock.instant().minus(pollAfter)));
    }

    private int pollReevaluations(BluejayClient client, List<Reevaluations.Awaiting> calls) {
        int recorded = 0;
        for (Reevaluations.Awaiting call : calls) {
            try {
                if (apply(client.retrieveCallLog(call.callId()), "POLL") == Applied.RECORDED) {
                    recorded++;
                }
            } catch (AuthenticationFailedException e) {
                log.warn("polling stopped: {}", e.getMessage());
                return recorded;
            } catch (BluejayApiException e) {
                log.warn("polling call {} failed: {}", call.callId(), e.getMessage());
            }
        }
        return recorded;
    }

    /**
     * Counts of one {@link #round}: the inbox pass; calls polled, results found by polling and polls that failed;
     * calls newly OVERDUE.
     */
    public record Round(InboxPass inbox, int polled, int foundByPolling, int pollsFailed, int overdue) {}

    /**
     * One reconciliation round outside a job execution ({@code calleval reconcile}, and {@code serve} every few
     * seconds): matches the webhook inbox; with a client, polls the calls in {@code scope} that have waited longer
     * than {@code pollAfter} (and up to {@value #POLL_PAGE} re-evaluations of the scope's job whose round ended before
     * their new evaluation arrived, counted among the results found); marks those submitted more than {@code window} ago OVERDUE (still matched later).
     *
     * @param client where to poll, or null to only match the inbox and mark overdue calls
     */
    public Round round(@Nullable BluejayClient client, CallScope scope, Duration pollAfter, Duration window) {
        InboxPass pass = processInbox();
        Poll poll = client == null ? new Poll(0, 0, 0) : poll(client, scope, pollAfter);
        if (client != null && scope.executionId() == null) { // re-evaluations whose round ended before their evaluation arrived
            int found = pollReevaluations(client, rounds.awaiting(scope.jobName(), client.endpoint(), clock.instant().minus(pollAfter), POLL_PAGE));
            poll = new Poll(poll.polled(), poll.recorded() + found, poll.failed());
        }
        int overdue = ledger.markOverdue(scope, clock.instant().minus(window));
        return new Round(pass, poll.polled(), poll.recorded(), poll.failed(), overdue);
    }
}
