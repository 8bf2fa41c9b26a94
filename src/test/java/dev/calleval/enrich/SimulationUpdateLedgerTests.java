package dev.calleval.enrich;

import dev.calleval.TestDatabases;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.mapping.Problem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's exactly-once rules, on H2 with the real migrations ({@link SimulationUpdateLedgerPostgresTests}: on
 * PostgreSQL).
 */
class SimulationUpdateLedgerTests {
    private static final String JOB = "enrich-test";

    private SimulationUpdateLedger ledger;
    private SimulationUpdateRecords records;
    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private long seq;

    @BeforeEach
    void database() {
        DataSource dataSource = newDataSource();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        transactions = new TransactionTemplate(transactionManager);
        ledger = new SimulationUpdateLedger(jdbc, transactionManager, Clock.systemUTC());
        records = new SimulationUpdateRecords(jdbc);
    }

    /** A new, empty, migrated database for one test: H2 in memory here. */
    DataSource newDataSource() {
        return TestDatabases.Kind.H2.migratedDataSource("ledger");
    }

    private MappedUpdate.Accepted log(String id, String tag) {
        UpdateSimulationResultRequest request = new UpdateSimulationResultRequest(id, null, null, null, List.of(tag), null, null);
        return new MappedUpdate.Accepted(new SimulationLog(++seq, "logs/" + id + ".json", 0, id, "the file name", null, () -> null),
                request, SimulationLogMapper.fingerprint(request));
    }

    private MappedUpdate.Rejected invalid(String id) {
        return new MappedUpdate.Rejected(new SimulationLog(++seq, "logs/" + id + ".json", 0, id, "the file name", null, () -> null), id,
                List.of(new Problem("tool_calls[0].start_offset_ms", "must be >= 0, got -1")));
    }

    private List<SimulationUpdateLedger.Claim> claim(long execution, boolean resend, MappedUpdate... updates) {
        return transactions.execute(status -> ledger.claim(execution, JOB, BluejayEndpoint.DEFAULT, List.of(updates), resend));
    }

    private List<UpdateDisposition> dispositions(long execution) {
        List<UpdateDisposition> out = new ArrayList<>();
        records.forEachItem(execution, item -> out.add(item.disposition()));
        return out;
    }

    private UpdateState state(String id) {
        return ledger.find(BluejayEndpoint.DEFAULT, id).orElseThrow().state();
    }

    @Test
    void aNewResultIsClaimedAndOncePostedIsNeverClaimedAgainEvenWhenItsLogChanges() {
        List<SimulationUpdateLedger.Claim> first = claim(1, false, log("1", "a"));
        assertThat(first).singleElement().satisfies(c -> assertThat(c.resentInDoubt()).isFalse());
        assertThat(state("1")).isEqualTo(UpdateState.PENDING);
        ledger.markPosted(first.get(0).updateId(), 1, 1, null);

        assertThat(claim(2, true, log("1", "a"))).isEmpty();
        assertThat(claim(3, true, log("1", "changed"))).isEmpty();
        assertThat(claim(4, true, invalid("1"))).isEmpty();

        assertThat(dispositions(2)).containsExactly(UpdateDisposition.ALREADY_POSTED);
        assertThat(dispositions(3)).containsExactly(UpdateDisposition.CHANGED_AFTER_POST);
        assertThat(dispositions(4)).containsExactly(UpdateDisposition.CHANGED_AFTER_POST);
        List<SimulationUpdateRecords.Item> items = new ArrayList<>();
        records.forEachItem(3, items::add);
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.state()).isEqualTo(UpdateState.POSTED);
            assertThat(item.error()).isEqualTo("already posted; changed input ignored");
            assertThat(item.attempts()).isEqualTo(1);
        });
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "1").orElseThrow().postedAt()).isNotNull();
    }

    @Test
    void anUpdatePostedToTheSandboxIsPostedAgainToTheRealApiAndOnceThereNeverAgain() {
        List<SimulationUpdateLedger.Claim> toSandbox = transactions.execute(status -> ledger.claim(1, JOB, BluejayEndpoint.SANDBOX,
                List.of(log("1", "a")), false));
        ledger.markPosted(toSandbox.get(0).updateId(), 1, 1, null);

        List<SimulationUpdateLedger.Claim> toReal = claim(2, false, log("1", "a"));

        assertThat(toReal).as("the sandbox's post does not count for the real API").singleElement()
                .satisfies(c -> assertThat(c.updateId()).isNotEqualTo(toSandbox.get(0).updateId()));
        assertThat(dispositions(2)).containsExactly(UpdateDisposition.CLAIMED);
        assertThat(ledger.find(BluejayEndpoint.SANDBOX, "1").orElseThrow().state()).isEqualTo(UpdateState.POSTED);
        assertThat(state("1")).isEqualTo(UpdateState.PENDING);
        ledger.markPosted(toReal.get(0).updateId(), 2, 1, null);

        assertThat(claim(3, false, log("1", "a"))).isEmpty();
        assertThat(dispositions(3)).containsExactly(UpdateDisposition.ALREADY_POSTED);
        List<SimulationUpdateLedger.Claim> rerun = transactions.execute(status -> ledger.claim(4, JOB, BluejayEndpoint.SANDBOX,
                List.of(log("1", "a")), false));
        assertThat(rerun).as("a rerun on the sandbox posts nothing").isEmpty();
    }

    @Test
    void aFailedResultIsClaimedAgainByTheNextRun() {
        long id = claim(1, false, log("1", "a")).get(0).updateId();
        ledger.markFailed(id, 1, "POST /v1/update-simulation-result answered HTTP 503", 5);

        assertThat(claim(2, false, log("1", "a"))).singleElement().satisfies(c -> assertThat(c.updateId()).isEqualTo(id));
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "1").orElseThrow().attempts()).isEqualTo(5);
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "1").orElseThrow().lastError()).isNull();
        assertThat(dispositions(2)).containsExactly(UpdateDisposition.CLAIMED);
    }

    @Test
    void aRejectedResultIsClaimedAgainOnlyWhenItsLogChanges() {
        long id = claim(1, false, log("1", "a")).get(0).updateId();
        ledger.markRejected(id, 1, "simulation_result_id", "unknown simulation result (404)", 1);

        assertThat(claim(2, true, log("1", "a"))).isEmpty();
        assertThat(dispositions(2)).containsExactly(UpdateDisposition.ALREADY_REJECTED);
        List<SimulationUpdateRecords.Item> items = new ArrayList<>();
        records.forEachItem(2, items::add);
        assertThat(items.get(0).error()).isEqualTo("unknown simulation result (404)");
        assertThat(items.get(0).fields()).isEqualTo("simulation_result_id");

        assertThat(claim(3, false, log("1", "fixed"))).hasSize(1);
        assertThat(state("1")).isEqualTo(UpdateState.PENDING);
    }

    @Test
    void anInDoubtResultIsLeftAloneUnlessTheRunIsToldToResendIt() {
        long id = claim(1, false, log("1", "a")).get(0).updateId();
        ledger.markInDoubt(id, 1, "answered HTTP 504", 1);

        assertThat(claim(2, false, log("1", "a"))).isEmpty();
        assertThat(claim(3, false, log("1", "changed"))).isEmpty();
        assertThat(state("1")).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(dispositions(2)).containsExactly(UpdateDisposition.LEFT_IN_DOUBT);

        assertThat(claim(4, true, log("1", "a"))).singleElement().satisfies(c -> assertThat(c.resentInDoubt()).isTrue());
        assertThat(dispositions(4)).containsExactly(UpdateDisposition.RESENT_IN_DOUBT);
    }

    @Test
    void aResultLeftPendingByAStoppedRunBecomesInDoubtAndIsNotPostedEvenWithResend() {
        claim(1, false, log("1", "a")); // execution 1 dies before recording an outcome

        assertThat(claim(2, true, log("1", "a"))).isEmpty();

        assertThat(dispositions(2)).containsExactly(UpdateDisposition.FOUND_PENDING);
        SimulationUpdateLedger.Entry entry = ledger.find(BluejayEndpoint.DEFAULT, "1").orElseThrow();
        assertThat(entry.state()).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(entry.lastError()).contains("left PENDING by job execution 1");
        assertThat(entry.jobExecutionId()).as("still owned by the execution that posted it").isEqualTo(1);

        assertThat(claim(3, true, log("1", "a"))).as("a later run with --resend-in-doubt posts it").hasSize(1);
    }

    @Test
    void theClaimingExecutionsOutcomeWinsOverALaterRunsFoundPendingVerdictButNoOtherExecutionCanRecordOne() {
        long id = claim(1, false, log("1", "a")).get(0).updateId();
        claim(2, false, log("1", "a"));
        assertThat(state("1")).isEqualTo(UpdateState.IN_DOUBT);

        ledger.markPosted(id, 2, 1, null);
        assertThat(state("1")).as("execution 2 did not claim it").isEqualTo(UpdateState.IN_DOUBT);

        ledger.markPosted(id, 1, 1, null);
        assertThat(state("1")).isEqualTo(UpdateState.POSTED);
        ledger.markFailed(id, 1, "late", 1);
        assertThat(state("1")).as("a recorded outcome is final").isEqualTo(UpdateState.POSTED);
    }

    @Test
    void aSecondLogForOneResultInARunIsADuplicateAcrossChunks() {
        List<SimulationUpdateLedger.Claim> claims = claim(1, false, log("1", "a"), log("2", "a"), log("1", "b"));
        claims.addAll(claim(1, false, log("2", "c"), invalid("3"), log("3", "d")));

        assertThat(claims).extracting(c -> c.update().resultId()).containsExactly("1", "2");
        assertThat(dispositions(1)).containsExactly(UpdateDisposition.CLAIMED, UpdateDisposition.CLAIMED, UpdateDisposition.DUPLICATE,
                UpdateDisposition.DUPLICATE, UpdateDisposition.INVALID, UpdateDisposition.DUPLICATE);
        List<SimulationUpdateRecords.Item> items = new ArrayList<>();
        records.forEachItem(1, items::add);
        assertThat(items.get(2).error()).isEqualTo("simulation result 1 was already read in this run from logs/1.json; only the first log is used");
        assertThat(items.get(2).state()).isEqualTo(UpdateState.REJECTED);
        assertThat(items.get(4).fields()).isEqualTo("tool_calls[0].start_offset_ms");
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "3")).as("an invalid log never reaches the ledger").isEmpty();
    }

    @Test
    void nothingIsClaimedWhenTheChunkRollsBack() {
        try {
            transactions.executeWithoutResult(status -> {
                ledger.claim(1, JOB, BluejayEndpoint.DEFAULT, List.of(log("1", "a")), false);
                throw new IllegalStateException("chunk failed");
            });
        } catch (IllegalStateException expected) {
            // the chunk's claims roll back with it
        }
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "1")).isEmpty();
        assertThat(dispositions(1)).isEmpty();
    }

    @Test
    void twoRunsClaimingTheSameNewResultAtOnceNeverBothClaimIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String id = Integer.toString(100 + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<SimulationUpdateLedger.Claim>>> runs = new ArrayList<>();
                for (long execution : new long[] {10 + 2L * round, 11 + 2L * round}) {
                    MappedUpdate.Accepted update = log(id, "a");
                    runs.add(pool.submit(() -> {
                        start.await();
                        return claim(execution, false, update);
                    }));
                }
                start.countDown();
                List<SimulationUpdateLedger.Claim> all = Collections.synchronizedList(new ArrayList<>());
                for (Future<List<SimulationUpdateLedger.Claim>> run : runs) {
                    all.addAll(run.get());
                }
                assertThat(all).as("round " + round).hasSize(1);
                assertThat(jdbc.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM simulation_update WHERE simulation_result_id = ?",
                        Long.class, id)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
