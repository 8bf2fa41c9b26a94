package dev.calleval.reconciliation;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.LedgerEntry;
import dev.calleval.ledger.LedgerState;
import dev.calleval.mapping.MappedCall;
import dev.calleval.source.SourceRef;
import dev.calleval.webhook.WebhookInbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Reconciliation rules against the real ledger and inbox tables (H2, Flyway migrations). */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:reconciler-tests;DB_CLOSE_DELAY=-1"})
class ReconcilerIntegrationTests {
    @Autowired
    Ledger ledger;

    @Autowired
    CallResults results;

    @Autowired
    WebhookInbox inbox;

    @Autowired
    Reconciler reconciler;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM webhook_event");
        jdbc.update("DELETE FROM execution_call");
        jdbc.update("DELETE FROM rejection");
        jdbc.update("DELETE FROM call_ledger");
    }

    private long submitted(String sourceId, String callId) {
        EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T14:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null), new Participant(ParticipantRole.USER, null, null, null)),
                "https://example.com/a.wav", null, CallDirection.INBOUND, CallInterface.PHONE, null, null, null, null, null, sourceId,
                null, Map.of("calleval_source_id", sourceId), null, null, null, null, null, null, null);
        Ledger.ClaimOutcome outcome = ledger.claim(7L, "test", BluejayEndpoint.DEFAULT, List.of(new MappedCall.Accepted(new SourceRef("m.csv", 2), sourceId, request, "fp")));
        long id = outcome.claimed().get(0).ledgerId();
        if (callId != null) {
            ledger.markSubmitted(id, 7L, callId, 1);
        }
        return id;
    }

    private void webhook(String callId, String status, String evaluationId, String sourceId) {
        String body = """
                {"type":"observability_call_evaluated","id":"%s","agent_id":1234,"status":"%s","start_time_utc":"2026-11-19T14:00:00Z",
                 "participants":[{"role":"AGENT"},{"role":"USER"}],"metadata":{"calleval_source_id":"%s"},
                 "evaluations":[{"id":"%s","created_at":"2026-11-19T15:00:00Z","num_turns":4,"goal_success":true,
                   "agent_speak_percentage":55.5,"avg_agent_latency":0.8,"latency":{"p50_agent_latency":0.7,"p90_agent_latency":1.4},
                   "custom_metrics":[{"name":"Verified identity","description":"d","response_type":"pass_fail","response_value":"pass"}]}]}
                """.formatted(callId, status, sourceId, evaluationId);
        inbox.store("k:" + callId + ":" + status + ":" + evaluationId, "observability_call_evaluated", null, callId, callId, sourceId, status,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private LedgerEntry entry(String sourceId) {
        return results.findBySourceId(sourceId).get(0);
    }

    @Test
    void completedEventEvaluatesTheCallWithItsMetrics() {
        submitted("src-1", "call-1");
        webhook("call-1", "COMPLETED", "ev-1", "src-1");

        assertThat(reconciler.processInbox().matched()).isEqualTo(1);

        assertThat(entry("src-1").state()).isEqualTo(LedgerState.EVALUATED);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM call_ledger WHERE source_id = 'src-1'");
        assertThat(row.get("NUM_TURNS")).isEqualTo(4);
        assertThat(row.get("GOAL_SUCCESS")).isEqualTo(true);
        assertThat(row.get("LATENCY_P90")).isEqualTo(1.4);
        assertThat((String) row.get("CUSTOM_METRICS")).contains("\"Verified identity\":\"pass\"");
        assertThat(row.get("RESULT_SOURCE")).isEqualTo("WEBHOOK");
    }

    @Test
    void aLateOrDuplicateEventNeverDowngradesAResult() {
        submitted("src-2", "call-2");
        webhook("call-2", "COMPLETED", "ev-1", "src-2");
        reconciler.processInbox();

        webhook("call-2", "INCOMPLETED", "ev-2", "src-2");
        webhook("call-2", "EVALUATING", "ev-3", "src-2");
        Reconciler.InboxPass pass = reconciler.processInbox();

        assertThat(pass.matched()).isZero();
        assertThat(pass.unchanged() + pass.progress()).isEqualTo(2);
        assertThat(entry("src-2").state()).isEqualTo(LedgerState.EVALUATED);
    }

    @Test
    void progressEventsChangeNothing() {
        submitted("src-3", "call-3");
        webhook("call-3", "EVALUATING", "ev-1", "src-3");

        assertThat(reconciler.processInbox().progress()).isEqualTo(1);
        assertThat(entry("src-3").state()).isEqualTo(LedgerState.SUBMITTED);
    }

    @Test
    void eventForAnUnknownCallWaitsAsOrphanAndMatchesOnceTheCallIsRecorded() {
        webhook("call-4", "COMPLETED", "ev-1", "src-unknown-yet");
        assertThat(reconciler.processInbox().orphans()).isEqualTo(1);
        assertThat(reconciler.processInbox().orphans()).as("still waiting").isEqualTo(1);

        submitted("src-unknown-yet", "call-4");

        assertThat(reconciler.processInbox().matched()).isEqualTo(1);
        assertThat(entry("src-unknown-yet").state()).isEqualTo(LedgerState.EVALUATED);
    }

    @Test
    void eventMatchesBySourceIdWhenTheCallIdWasNeverRecorded() {
        submitted("src-5", null); // crashed before the response was recorded: still PENDING
        webhook("call-5", "COMPLETED", "ev-1", "src-5");

        assertThat(reconciler.processInbox().matched()).isEqualTo(1);
        LedgerEntry entry = entry("src-5");
        assertThat(entry.state()).isEqualTo(LedgerState.EVALUATED);
        assertThat(entry.callId()).isEqualTo("call-5");
    }

    @Test
    void callsAwaitingAResultAreCountedAndReadInPagesByLedgerIdSubmittedBeforeTheCutoffOnly() {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(submitted("page-" + i, "call-page-" + i));
        }
        submitted("page-pending", null); // no call id: not awaiting a result
        webhook("call-page-3", "COMPLETED", "ev-1", "page-3");
        reconciler.processInbox(); // page-3 now has its result
        Instant later = Instant.now().plusSeconds(60);

        List<LedgerEntry> first = results.awaitingResults(dev.calleval.ledger.CallScope.execution(7L), BluejayEndpoint.DEFAULT, later, 0, 2);
        List<LedgerEntry> second = results.awaitingResults(dev.calleval.ledger.CallScope.execution(7L), BluejayEndpoint.DEFAULT, later, first.get(1).id(), 2);
        List<LedgerEntry> third = results.awaitingResults(dev.calleval.ledger.CallScope.execution(7L), BluejayEndpoint.DEFAULT, later, second.get(1).id(), 2);

        assertThat(results.countAwaitingResults(7L)).isEqualTo(4);
        assertThat(first).extracting(LedgerEntry::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(second).extracting(LedgerEntry::id).containsExactly(ids.get(3), ids.get(4));
        assertThat(third).isEmpty();
        assertThat(results.awaitingResults(dev.calleval.ledger.CallScope.execution(7L), BluejayEndpoint.DEFAULT, Instant.now().minusSeconds(60), 0, 10)).as("none submitted before the cutoff").isEmpty();
        assertThat(results.countAwaitingResults(8L)).as("another execution").isZero();
    }

    @Test
    void twoPassesAtTheSameMomentApplyEachEventOnce() throws Exception {
        int calls = 200;
        int conflicting = 40; // calls with two different events (two evaluations)
        for (int i = 0; i < calls; i++) {
            submitted("src-" + i, "call-" + i);
            webhook("call-" + i, "COMPLETED", "ev-" + i, "src-" + i);
            if (i < conflicting) {
                webhook("call-" + i, "COMPLETED", "ev-" + i + "-other", "src-" + i);
            }
        }
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Reconciler.InboxPass> pass = () -> {
            together.await();
            return reconciler.processInbox();
        };
        java.util.concurrent.ExecutorService replicas = java.util.concurrent.Executors.newFixedThreadPool(2);
        Reconciler.InboxPass a;
        Reconciler.InboxPass b;
        try {
            var first = replicas.submit(pass);
            var second = replicas.submit(pass);
            a = first.get();
            b = second.get();
        } finally {
            replicas.shutdownNow();
        }

        assertThat(a.matched() + b.matched()).as("results recorded, each by one pass").isEqualTo(calls);
        assertThat(a.unchanged() + b.unchanged()).as("the second event of a call changes nothing").isEqualTo(conflicting);
        assertThat(jdbc.queryForList("SELECT outcome FROM webhook_event", String.class))
                .hasSize(calls + conflicting).containsOnly("MATCHED", "UNCHANGED").filteredOn("MATCHED"::equals).hasSize(calls);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM call_ledger WHERE state = 'EVALUATED'", Integer.class)).isEqualTo(calls);
    }
}
