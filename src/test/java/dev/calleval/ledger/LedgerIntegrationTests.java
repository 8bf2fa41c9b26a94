package dev.calleval.ledger;

import dev.calleval.TestDatabases;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.mapping.MappedCall;
import dev.calleval.report.ExecutionRecords;
import dev.calleval.source.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call ledger's claim rules when runs overlap, and execution liveness, on H2 with the real migrations
 * ({@link LedgerPostgresTests}: on PostgreSQL). Every claim runs in its own transaction, as a chunk does.
 */
class LedgerIntegrationTests {
    private static final String JOB = "overlap-test";

    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private ExecutionLiveness liveness;
    private Ledger ledger;
    private CallResults results;
    private ExecutionRecords records;

    /** A new, empty, migrated database for one test: H2 in memory here. */
    DataSource newDataSource() {
        return TestDatabases.Kind.H2.migratedDataSource("call-ledger");
    }

    @BeforeEach
    void database() {
        DataSource dataSource = newDataSource();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        transactions = new TransactionTemplate(transactionManager);
        liveness = new ExecutionLiveness(jdbc, transactionManager, Duration.ofMillis(200), Duration.ofSeconds(30));
        ledger = new Ledger(jdbc, Clock.systemUTC(), transactionManager, liveness);
        results = new CallResults(jdbc, Clock.systemUTC());
        records = new ExecutionRecords(jdbc);
    }

    @AfterEach
    void stopHeartbeats() {
        liveness.destroy();
    }

    private static MappedCall.Accepted call(String sourceId, int line) {
        EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T14:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null), new Participant(ParticipantRole.USER, null, null, null)),
                "https://example.com/" + sourceId + ".wav", null, CallDirection.INBOUND, CallInterface.PHONE, null, null, null, null, null,
                sourceId, null, Map.of("calleval_source_id", sourceId), null, null, null, null, null, null, null);
        return new MappedCall.Accepted(new SourceRef("m.csv", line), sourceId, request, "fp-" + sourceId);
    }

    private static List<MappedCall.Accepted> calls(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> call("src-%03d".formatted(i), i + 1)).toList();
    }

    private Ledger.ClaimOutcome claim(long execution, List<MappedCall.Accepted> calls) {
        return transactions.execute(status -> ledger.claim(execution, JOB, BluejayEndpoint.DEFAULT, calls));
    }

    private Map<String, Long> dispositions(long execution) {
        return records.dispositionCounts(execution);
    }

    @Test
    void aPendingCallOfALiveExecutionIsLeftToItAndCountedOnce() {
        assertThat(liveness.started(1, JOB, "m.csv")).isEmpty();
        assertThat(claim(1, List.of(call("src-1", 2))).claimed()).hasSize(1);

        assertThat(liveness.started(2, JOB + "-other", "m.csv")).as("another job over the same source may run").isEmpty();
        Ledger.ClaimOutcome second = claim(2, List.of(call("src-1", 2)));

        assertThat(second.claimed()).as("not sent twice").isEmpty();
        assertThat(second.runningElsewhere()).containsExactly(Map.entry(1L, 1));
        assertThat(dispositions(2)).containsExactly(Map.entry("RUNNING_ELSEWHERE/PENDING", 1L));
        assertThat(records.runningElsewhereOwners(2)).containsExactly(1L);
        assertThat(results.findBySourceId("src-1")).singleElement().satisfies(e -> {
            assertThat(e.jobExecutionId()).as("still the first execution's").isEqualTo(1L);
            assertThat(e.inDoubt()).isFalse();
        });
    }

    @Test
    void aPendingCallOfAnExecutionThatEndedIsInDoubtAndClaimedAgain() {
        liveness.started(1, JOB, "m.csv");
        claim(1, List.of(call("src-1", 2)));
        liveness.ended(1); // ended with the call still PENDING: it stopped mid-request

        Ledger.ClaimOutcome second = claim(2, List.of(call("src-1", 2)));

        assertThat(second.claimed()).singleElement().satisfies(c -> assertThat(c.inDoubt()).isTrue());
        assertThat(dispositions(2)).containsExactly(Map.entry("IN_DOUBT_RESENT/PENDING", 1L));
    }

    @Test
    void callsOutsideTheSampleOrPastTheCapAreRecordedLeftOutAndCallsInDoubtAreResentWhateverTheCapAsThePreviewSaid() {
        List<MappedCall.Accepted> all = calls(12);
        Sampling half = new Sampling(50, 2);
        List<String> inSample = all.stream().map(MappedCall.Accepted::sourceId).filter(half::includes).toList();
        assertThat(inSample).as("a sample of 12 with some in and some out").hasSizeBetween(3, 11);
        liveness.started(1, JOB, "m.csv");

        Ledger.ClaimOutcome first = transactions.execute(status -> ledger.claim(1, JOB, BluejayEndpoint.DEFAULT, all, half, 0));

        assertThat(first.claimed()).extracting(c -> c.call().sourceId()).as("the first two of the sample, in input order")
                .containsExactlyElementsOf(inSample.subList(0, 2));
        assertThat(first.notSampled()).isEqualTo(12 - inSample.size());
        assertThat(first.deferred()).isEqualTo(inSample.size() - 2);
        assertThat(dispositions(1)).containsOnly(Map.entry("CLAIMED/PENDING", 2L), Map.entry("NOT_SAMPLED/NOT_SAMPLED", 12L - inSample.size()),
                Map.entry("DEFERRED/DEFERRED", inSample.size() - 2L));
        liveness.ended(1); // it stopped with its two calls in flight: in doubt

        Sampling capOne = new Sampling(100, 1);
        List<Disposition> planned = ledger.preview(BluejayEndpoint.DEFAULT, all, capOne.chooser(0));
        assertThat(dispositions(1)).as("the preview wrote nothing").containsOnly(Map.entry("CLAIMED/PENDING", 2L),
                Map.entry("NOT_SAMPLED/NOT_SAMPLED", 12L - inSample.size()), Map.entry("DEFERRED/DEFERRED", inSample.size() - 2L));
        Ledger.ClaimOutcome second = transactions.execute(status -> ledger.claim(2, JOB, BluejayEndpoint.DEFAULT, all, capOne, 0));

        assertThat(second.claimed()).as("both calls in doubt, though the cap is 1").hasSize(2).allMatch(Ledger.Claim::inDoubt);
        assertThat(second.deferred()).isEqualTo(10);
        assertThat(dispositions(2)).containsOnly(Map.entry("IN_DOUBT_RESENT/PENDING", 2L), Map.entry("DEFERRED/DEFERRED", 10L));
        List<String> claimedIds = second.claimed().stream().map(c -> c.call().sourceId()).toList();
        for (int i = 0; i < all.size(); i++) {
            assertThat(planned.get(i)).as(all.get(i).sourceId())
                    .isEqualTo(claimedIds.contains(all.get(i).sourceId()) ? Disposition.IN_DOUBT_RESENT : Disposition.DEFERRED);
        }
    }

    @Test
    void aPendingCallOfAnExecutionWithoutHeartbeatIsInDoubtAndClaimedAgain() {
        claim(1, List.of(call("src-1", 2))); // execution 1 never had a heartbeat (e.g. from before this version)

        assertThat(claim(2, List.of(call("src-1", 2))).claimed()).singleElement().satisfies(c -> assertThat(c.inDoubt()).isTrue());
    }

    @Test
    void livenessOfAnotherHostRestsOnTheAgeOfItsHeartbeat() {
        heartbeatRow(11, "other-host|boot:pid:[1]|42|?", Duration.ZERO);
        heartbeatRow(12, "other-host|boot:pid:[1]|43|?", Duration.ofMinutes(5));

        assertThat(liveness.alive(List.of(11L, 12L, 13L)).keySet()).containsExactly(11L);
        assertThat(liveness.heartbeat(12)).hasValueSatisfying(h -> {
            assertThat(h.alive()).isFalse();
            assertThat(h.age()).isGreaterThanOrEqualTo(Duration.ofMinutes(4));
            assertThat(h.describe()).contains("host other-host", "pid 43");
        });
        assertThat(liveness.heartbeat(13)).isEmpty();
    }

    @Test
    void aFreshHeartbeatOfAProcessGoneFromThisMachineIsDeadAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String self = ExecutionLiveness.ProcessIdentity.current().key();
        String[] parts = self.split("\\|", -1);
        heartbeatRow(21, parts[0] + "|" + parts[1] + "|" + gone.pid() + "|?", Duration.ZERO);
        heartbeatRow(22, parts[0] + "|" + parts[1] + "|" + ProcessHandle.current().pid() + "|" + parts[3], Duration.ZERO);

        assertThat(liveness.heartbeat(21)).hasValueSatisfying(h -> assertThat(h.alive()).as("killed, on this machine").isFalse());
        assertThat(liveness.heartbeat(22)).hasValueSatisfying(h -> assertThat(h.alive())
                .as("this very process, but not an execution it runs").isFalse());
        assertThat(liveness.started(23, JOB, "m.csv")).isEmpty();
        assertThat(liveness.heartbeat(23)).hasValueSatisfying(h -> assertThat(h.alive()).as("one it runs").isTrue());
    }

    @Test
    void aSecondLiveExecutionOfTheSameJobOverTheSameSourceDoesNotStart() {
        assertThat(liveness.started(1, JOB, "m.csv")).isEmpty();

        assertThat(liveness.started(2, JOB, "m.csv")).hasValueSatisfying(h -> assertThat(h.executionId()).isEqualTo(1));
        assertThat(liveness.heartbeat(2)).as("nothing written for the refused one").isEmpty();
        assertThat(liveness.started(3, JOB, "other.csv")).as("another source").isEmpty();

        liveness.ended(1);
        assertThat(liveness.started(4, JOB, "m.csv")).as("once the first has ended").isEmpty();
    }

    @Test
    void theCallsARoundMayReevaluateAreReadWithTheirKeyFiguresWithoutTheEvaluationJson() {
        // a round reads every evaluated call of the job (a selection is applied to them in memory): the evaluation JSON
        // (kilobytes a call, V15) is not used by a round and must not be held for each of them
        long id = claim(1, List.of(call("src-1", 2))).claimed().get(0).ledgerId();
        ledger.markSubmitted(id, 1, "call-1", 1);
        results.applyResult(id, "call-1", new CallResult(LedgerState.EVALUATED, "COMPLETED", "WEBHOOK", "eval-1", false, null, 4, null, null,
                null, null, "{\"id\":\"eval-1\",\"call_summary\":\"" + "x".repeat(4000) + "\"}"));
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(jdbc.getJdbcTemplate().getDataSource());

        List<Reevaluations.Evaluated> calls = new Reevaluations(jdbc, Clock.systemUTC(), transactionManager, liveness)
                .evaluatedCalls(JOB, BluejayEndpoint.DEFAULT, null, null, null);

        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.callId()).isEqualTo("call-1");
            assertThat(c.latest().evaluationId()).isEqualTo("eval-1");
            assertThat(c.latest().goalSuccess()).isFalse();
            assertThat(c.latest().numTurns()).isEqualTo(4);
            assertThat(c.latest().evaluationJson()).isNull();
        });
    }

    @Test
    void aCallReadAgainInALaterChunkOfTheSameRunIsADuplicateWhateverItsState() {
        long first = claim(1, List.of(call("src-1", 2))).claimed().get(0).ledgerId();
        ledger.markSubmitted(first, 1, "call-1", 1);

        assertThat(claim(2, List.of(call("src-1", 2))).alreadyDone()).isEqualTo(1);
        Ledger.ClaimOutcome later = claim(2, List.of(call("src-1", 9)));

        assertThat(later.duplicates()).singleElement().satisfies(r -> assertThat(r.reason()).contains("already read at m.csv:2"));
        assertThat(dispositions(2)).containsExactly(Map.entry("ALREADY_DONE/SUBMITTED", 1L));
    }

    @Test
    void twoLiveExecutionsClaimingTheSameCallsAtTheSameMomentClaimEachCallOnce() throws Exception {
        List<MappedCall.Accepted> calls = calls(40);
        // 20 calls FAILED by an earlier run and 10 left PENDING by a dead one (both claimed by a conditional update on
        // state and owner), 10 new (claimed by an insert)
        for (MappedCall.Accepted c : calls.subList(0, 20)) {
            long id = claim(5, List.of(c)).claimed().get(0).ledgerId();
            ledger.markFailed(id, 5, "HTTP 503", 1);
        }
        claim(6, calls.subList(20, 30)); // execution 6 has no heartbeat: dead
        liveness.started(1, JOB + "-nightly", "a.csv");
        liveness.started(2, JOB + "-adhoc", "b.csv");
        List<MappedCall.Accepted> reversed = new ArrayList<>(calls);
        Collections.reverse(reversed); // another file with the same calls in another order: still no deadlock
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Ledger.ClaimOutcome> one = threads.submit(() -> {
                start.await();
                return claim(1, calls);
            });
            Future<Ledger.ClaimOutcome> two = threads.submit(() -> {
                start.await();
                return claim(2, reversed);
            });
            Ledger.ClaimOutcome a = one.get(60, TimeUnit.SECONDS);
            Ledger.ClaimOutcome b = two.get(60, TimeUnit.SECONDS);

            Set<String> claimedByA = new HashSet<>(a.claimed().stream().map(c -> c.call().sourceId()).toList());
            Set<String> claimedByB = new HashSet<>(b.claimed().stream().map(c -> c.call().sourceId()).toList());
            assertThat(Collections.disjoint(claimedByA, claimedByB)).as("no call claimed by both").isTrue();
            Set<String> all = new HashSet<>(claimedByA);
            all.addAll(claimedByB);
            assertThat(all).as("every call claimed by exactly one").hasSize(40);
            assertThat(a.claimed().stream().filter(Ledger.Claim::inDoubt).count() + b.claimed().stream().filter(Ledger.Claim::inDoubt).count())
                    .as("the dead execution's calls, in doubt").isEqualTo(10);
            assertThat(a.runningElsewhere().getOrDefault(2L, 0)).isEqualTo(claimedByB.size());
            assertThat(b.runningElsewhere().getOrDefault(1L, 0)).isEqualTo(claimedByA.size());
            assertThat(dispositions(1).values().stream().mapToLong(Long::longValue).sum()).as("each call read once by 1").isEqualTo(40);
            assertThat(dispositions(2).values().stream().mapToLong(Long::longValue).sum()).as("each call read once by 2").isEqualTo(40);
            assertThat(a.claimed()).as("sent in input order").isSortedAccordingTo((x, y) -> Long.compare(x.call().source().line(), y.call().source().line()));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aChunkOfNewCallsIsClaimedInOneBatchWithADuplicateRowRejectedAndAKnownCallLeftDone() {
        long known = claim(1, List.of(call("src-007", 8))).claimed().get(0).ledgerId();
        ledger.markSubmitted(known, 1, "call-7", 1);
        List<MappedCall.Accepted> chunk = new ArrayList<>(calls(10));
        chunk.add(call("src-003", 12)); // the same call again, further down the file

        Ledger.ClaimOutcome outcome = claim(2, chunk);

        assertThat(outcome.claimed()).extracting(c -> c.call().sourceId()).as("new calls, in input order")
                .containsExactly("src-001", "src-002", "src-003", "src-004", "src-005", "src-006", "src-008", "src-009", "src-010");
        assertThat(outcome.claimed()).extracting(Ledger.Claim::ledgerId).as("each its own row").doesNotHaveDuplicates().doesNotContain(known);
        assertThat(outcome.claimed()).allSatisfy(c -> assertThat(results.findBySourceId(c.call().sourceId())).singleElement()
                .satisfies(e -> {
                    assertThat(e.id()).as("the id returned is the row's").isEqualTo(c.ledgerId());
                    assertThat(e.state()).isEqualTo(LedgerState.PENDING);
                    assertThat(e.jobExecutionId()).isEqualTo(2L);
                    assertThat(e.fingerprint()).isEqualTo("fp-" + c.call().sourceId());
                }));
        assertThat(outcome.duplicates()).singleElement().satisfies(r -> assertThat(r.reason()).contains("already read at m.csv:4"));
        assertThat(outcome.alreadyDone()).isEqualTo(1);
        assertThat(dispositions(2)).containsOnly(Map.entry("CLAIMED/PENDING", 9L), Map.entry("ALREADY_DONE/SUBMITTED", 1L));
    }

    @Test
    void aCallAnotherRunInsertsWhileTheChunkIsBeingClaimedIsDecidedOnItsRow() throws Exception {
        liveness.started(1, JOB + "-nightly", "a.csv");
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // execution 1 has inserted src-005 but not committed when execution 2 reads the ledger
            Future<?> other = threads.submit(() -> transactions.executeWithoutResult(status -> {
                ledger.claim(1, JOB, BluejayEndpoint.DEFAULT, List.of(call("src-005", 2)));
                inserted.countDown();
                try {
                    commit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Ledger.ClaimOutcome> mine = threads.submit(() -> claim(2, calls(10)));
            Thread.sleep(300); // let execution 2 reach its insert of src-005 and wait on execution 1's row (ordering only)
            commit.countDown();
            other.get(60, TimeUnit.SECONDS);
            Ledger.ClaimOutcome outcome = mine.get(60, TimeUnit.SECONDS);

            assertThat(outcome.claimed()).extracting(c -> c.call().sourceId()).hasSize(9).doesNotContain("src-005");
            assertThat(outcome.runningElsewhere()).containsExactly(Map.entry(1L, 1));
            assertThat(dispositions(2)).containsOnly(Map.entry("CLAIMED/PENDING", 9L), Map.entry("RUNNING_ELSEWHERE/PENDING", 1L));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM call_ledger", Map.of(), Long.class)).as("one row per call").isEqualTo(10);
            assertThat(results.findBySourceId("src-005")).singleElement().satisfies(e -> assertThat(e.jobExecutionId()).isEqualTo(1L));
        } finally {
            commit.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void callsMarkedSubmittedTogetherEachGetTheirCallIdAndACallNoLongerPendingIsLeftAsItIs() {
        List<Ledger.Claim> claimed = claim(1, calls(4)).claimed();
        ledger.markFailed(claimed.get(2).ledgerId(), 1, "HTTP 503", 5);

        ledger.markSubmitted(List.of(
                new Ledger.Submitted(claimed.get(0).ledgerId(), 1, "call-a", 1),
                new Ledger.Submitted(claimed.get(1).ledgerId(), 1, "call-b", 2),
                new Ledger.Submitted(claimed.get(2).ledgerId(), 1, "call-c", 1), // FAILED meanwhile: unchanged
                new Ledger.Submitted(claimed.get(3).ledgerId(), 2, "call-d", 1))); // owned by execution 1, not 2: unchanged

        assertThat(results.findBySourceId("src-001")).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(LedgerState.SUBMITTED);
            assertThat(e.callId()).isEqualTo("call-a");
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.submittedAt()).isNotNull();
        });
        assertThat(results.findBySourceId("src-002")).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo("call-b");
            assertThat(e.attempts()).isEqualTo(2);
        });
        assertThat(results.findBySourceId("src-003")).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(LedgerState.FAILED);
            assertThat(e.callId()).isNull();
            assertThat(e.attempts()).isEqualTo(5);
        });
        assertThat(results.findBySourceId("src-004")).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(LedgerState.PENDING);
            assertThat(e.callId()).isNull();
        });
        assertThat(results.findByCallId("call-d")).isEmpty();
    }

    private Ledger.ClaimOutcome claimAt(BluejayEndpoint endpoint, long execution, List<MappedCall.Accepted> calls) {
        return transactions.execute(status -> ledger.claim(execution, JOB, endpoint, calls));
    }

    private void submitAll(Ledger.ClaimOutcome outcome, long execution, String callIdPrefix) {
        ledger.markSubmitted(outcome.claimed().stream()
                .map(c -> new Ledger.Submitted(c.ledgerId(), execution, callIdPrefix + c.call().sourceId(), 1)).toList());
    }

    @Test
    void callsTheSandboxAcceptedAreNotDoneForAnotherEndpointAndEachEndpointFindsItsOwnDone() {
        BluejayEndpoint real = BluejayEndpoint.of(java.net.URI.create("https://API.getbluejay.ai/"));
        Ledger.ClaimOutcome sandbox = claimAt(BluejayEndpoint.SANDBOX, 1, calls(3));
        submitAll(sandbox, 1, "sandbox-");

        Ledger.ClaimOutcome toReal = claimAt(real, 2, calls(3));

        assertThat(toReal.claimed()).as("every call is sent to the real API").hasSize(3)
                .allSatisfy(c -> assertThat(c.inDoubt()).isFalse());
        assertThat(toReal.alreadyDone()).isZero();
        assertThat(dispositions(2)).containsExactly(Map.entry("CLAIMED/PENDING", 3L));
        assertThat(results.findBySourceId("src-001")).extracting(e -> e.endpoint().key())
                .containsExactlyInAnyOrder("sandbox", "https://api.getbluejay.ai");
        assertThat(ledger.find(BluejayEndpoint.SANDBOX, "1234", "src-001")).get().satisfies(e -> {
            assertThat(e.state()).as("the sandbox's row is untouched").isEqualTo(LedgerState.SUBMITTED);
            assertThat(e.callId()).isEqualTo("sandbox-src-001");
            assertThat(e.jobExecutionId()).isEqualTo(1L);
        });
        submitAll(toReal, 2, "real-");

        assertThat(claimAt(BluejayEndpoint.SANDBOX, 3, calls(3)).alreadyDone()).as("a rerun on the sandbox sends nothing").isEqualTo(3);
        assertThat(claimAt(BluejayEndpoint.DEFAULT, 4, calls(3)).alreadyDone()).as("the same endpoint, spelt otherwise").isEqualTo(3);
        Ledger.ClaimOutcome third = claimAt(BluejayEndpoint.of(java.net.URI.create("http://127.0.0.1:9999")), 5, calls(3));
        assertThat(third.claimed()).as("a third endpoint has sent nothing yet").hasSize(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM call_ledger", Map.of(), Long.class)).isEqualTo(9);
    }

    @Test
    void pollingLooksOnlyAtTheCallsOfTheClientsEndpoint() {
        submitAll(claimAt(BluejayEndpoint.SANDBOX, 1, calls(2)), 1, "sandbox-");
        submitAll(claimAt(BluejayEndpoint.DEFAULT, 2, calls(3)), 2, "real-");
        Instant later = Instant.now().plusSeconds(60);

        assertThat(results.awaitingResults(CallScope.all(), BluejayEndpoint.DEFAULT, later, 0, 100)).extracting(LedgerEntry::callId)
                .containsExactly("real-src-001", "real-src-002", "real-src-003");
        assertThat(results.awaitingResults(CallScope.job(JOB), BluejayEndpoint.SANDBOX, later, 0, 100)).extracting(LedgerEntry::callId)
                .containsExactly("sandbox-src-001", "sandbox-src-002");
        assertThat(results.awaitingResults(CallScope.all(), BluejayEndpoint.of(java.net.URI.create("http://127.0.0.1:9999")), later, 0, 100))
                .isEmpty();
    }

    private void heartbeatRow(long execution, String processKey, Duration age) {
        String[] parts = processKey.split("\\|", -1);
        jdbc.update("""
                INSERT INTO execution_heartbeat (job_execution_id, job_name, host, pid, process_key, started_at, beat_at)
                VALUES (:exec, :job, :host, :pid, :key, :at, :at)""", new MapSqlParameterSource("exec", execution)
                .addValue("job", JOB).addValue("host", parts[0]).addValue("pid", Long.parseLong(parts[2])).addValue("key", processKey)
                .addValue("at", OffsetDateTime.now(ZoneOffset.UTC).minus(age)));
    }
}
