package dev.calleval.ledger;

import dev.calleval.TestDatabases;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.enrich.SimulationUpdateLedger;
import dev.calleval.execution.ExecutionLiveness;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim protocol ({@link Claims}, {@link ClaimOutcomes}) driven the same way for both tables that use it, the calls ledger
 * ({@code call_ledger}) and the simulation updates ledger ({@code simulation_update}), with each table's own
 * description ({@link Ledger#TABLE}, {@link SimulationUpdateLedger#TABLE}), on H2 with the real migrations
 * ({@link ClaimsPostgresTests}: on PostgreSQL). Every claim runs in its own transaction, as a chunk does. Owners' liveness
 * is the real {@link ExecutionLiveness} for both tables here (the simulation updates ledger itself asks none).
 */
class ClaimsTests {
    private static final String JOB = "claims-test";
    private static final BluejayEndpoint ENDPOINT = BluejayEndpoint.DEFAULT;

    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private ExecutionLiveness liveness;
    private Claims claims;
    private ClaimOutcomes outcomes;

    /** A new, empty, migrated database for one test: H2 in memory here. */
    DataSource newDataSource() {
        return TestDatabases.Kind.H2.migratedDataSource("claims");
    }

    static Stream<ClaimTable> tables() {
        return Stream.of(Ledger.TABLE, SimulationUpdateLedger.TABLE);
    }

    private void open(ClaimTable table) {
        DataSource dataSource = newDataSource();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        transactions = new TransactionTemplate(transactionManager);
        liveness = new ExecutionLiveness(jdbc, transactionManager, Duration.ofMillis(200), Duration.ofSeconds(30));
        claims = new Claims(jdbc, transactionManager, Clock.systemUTC(), table, Claims.LiveOwners.of(liveness));
        outcomes = new ClaimOutcomes(jdbc, Clock.systemUTC(), table);
    }

    @AfterEach
    void stopHeartbeats() {
        if (liveness != null) {
            liveness.destroy();
        }
    }

    /** A key of the table: agent and source id for calls, the simulation result id for updates. */
    private List<String> key(String id) {
        return claims.table().keyColumns().size() == 2 ? List.of("1234", id) : List.of(id);
    }

    private Claims.Candidate candidate(String id, String fingerprint) {
        return new Claims.Candidate(key(id), fingerprint, "input.csv:" + id, "row " + id);
    }

    private List<Claims.Decision> claim(long execution, boolean resendInDoubt, List<Claims.Candidate> candidates) {
        return transactions.execute(status -> claims.claim(execution, JOB, ENDPOINT, candidates,
                claims.find(ENDPOINT, candidates.stream().map(Claims.Candidate::key).toList()), resendInDoubt));
    }

    private Claims.Decision claimOne(long execution, boolean resendInDoubt, String id) {
        return claim(execution, resendInDoubt, List.of(candidate(id, "fp-" + id))).get(0);
    }

    private Claims.Row row(String id) {
        return claims.find(ENDPOINT, key(id)).orElseThrow();
    }

    private long rows() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + claims.table().name(), Map.of(), Long.class);
        return n == null ? 0 : n;
    }

    @ParameterizedTest
    @MethodSource("tables")
    void aRowClaimedTwiceIsClaimedOnce(ClaimTable table) {
        open(table);
        liveness.started(1, JOB, "input.csv");
        liveness.started(2, JOB + "-other", "input.csv"); // another job over the same input (one job runs once at a time)

        Claims.Decision first = claimOne(1, false, "a");
        Claims.Decision second = claimOne(2, true, "a");

        assertThat(first.verdict()).isEqualTo(Claims.Verdict.CLAIMED);
        assertThat(second.verdict()).as("left to the live owner").isEqualTo(Claims.Verdict.RUNNING_ELSEWHERE);
        assertThat(second.owner()).isEqualTo(1L);
        assertThat(second.rowId()).isEqualTo(first.rowId());
        assertThat(rows()).isEqualTo(1);
        assertThat(row("a").owner()).isEqualTo(1L);
        assertThat(row("a").phase()).isEqualTo(ClaimPhase.PENDING);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void twoRunsClaimingTheSameChunkAtOnceClaimEachRowOnce(ClaimTable table) throws Exception {
        open(table);
        liveness.started(1, JOB, "input.csv");
        liveness.started(2, JOB + "-other", "input.csv"); // another job over the same input (one job runs once at a time)
        List<Claims.Candidate> chunk = IntStream.rangeClosed(1, 30).mapToObj(i -> candidate("r%02d".formatted(i), "fp")).toList();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Claims.Decision>> one = threads.submit(() -> claim(1, false, chunk));
            Future<List<Claims.Decision>> two = threads.submit(() -> claim(2, false, chunk));
            List<Claims.Decision> a = one.get(60, TimeUnit.SECONDS);
            List<Claims.Decision> b = two.get(60, TimeUnit.SECONDS);

            for (int i = 0; i < chunk.size(); i++) {
                assertThat(List.of(a.get(i).verdict(), b.get(i).verdict())).as("row %s", chunk.get(i).key())
                        .containsExactlyInAnyOrder(Claims.Verdict.CLAIMED, Claims.Verdict.RUNNING_ELSEWHERE);
                assertThat(a.get(i).rowId()).isEqualTo(b.get(i).rowId());
            }
            assertThat(rows()).isEqualTo(chunk.size());
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("tables")
    void aDeadExecutionsClaimIsReclaimed(ClaimTable table) {
        open(table);
        liveness.started(1, JOB, "input.csv");
        long id = claimOne(1, false, "a").rowId();
        liveness.ended(1); // stopped with the row still PENDING: it may have been sent

        Claims.Decision second = claimOne(2, false, "a");
        List<Claims.Decision> decisions = new ArrayList<>(List.of(second));
        if (table.resendFoundPending()) {
            assertThat(second.verdict()).as("resent at once, flagged").isEqualTo(Claims.Verdict.RESENT_IN_DOUBT);
        } else {
            assertThat(second.verdict()).as("marked in doubt, not resent").isEqualTo(Claims.Verdict.FOUND_PENDING);
            assertThat(row("a").phase()).isEqualTo(ClaimPhase.IN_DOUBT);
            assertThat(row("a").owner()).as("not claimed").isEqualTo(1L);
            decisions.add(claimOne(3, true, "a"));
            assertThat(decisions.get(1).verdict()).as("resent when asked").isEqualTo(Claims.Verdict.RESENT_IN_DOUBT);
        }
        Claims.Decision resent = decisions.get(decisions.size() - 1);
        assertThat(resent.rowId()).isEqualTo(id);
        assertThat(resent.lastAttemptAt()).isNotNull();
        Claims.Row now = row("a");
        assertThat(now.owner()).isEqualTo(table.resendFoundPending() ? 2L : 3L);
        assertThat(now.state()).isEqualTo("PENDING");
        assertThat(outcomes.markFailed(id, 1, "late outcome of the dead run", 1)).as("the old owner's outcome is ignored").isFalse();
        assertThat(outcomes.markFailed(id, now.owner(), "retries exhausted", 1)).isTrue();
        assertThat(row("a").phase()).isEqualTo(ClaimPhase.FAILED);
        assertThat(claimOne(4, false, "a").verdict()).as("a FAILED row is claimed again").isEqualTo(Claims.Verdict.CLAIMED);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void inDoubtIsNotClaimedAgainUnlessAsked(ClaimTable table) {
        open(table);
        long id = claimOne(1, false, "a").rowId();
        assertThat(outcomes.markInDoubt(id, 1, "timeout after sending", 1)).isTrue();
        assertThat(row("a").phase()).isEqualTo(ClaimPhase.IN_DOUBT);
        assertThat(row("a").inDoubt()).isTrue();

        Claims.Decision left = claimOne(2, false, "a");
        assertThat(left.verdict()).isEqualTo(Claims.Verdict.LEFT_IN_DOUBT);
        assertThat(row("a").owner()).as("left as it was").isEqualTo(1L);

        Claims.Decision resent = claimOne(3, true, "a");
        assertThat(resent.verdict()).isEqualTo(Claims.Verdict.RESENT_IN_DOUBT);
        assertThat(resent.rowId()).isEqualTo(id);
        assertThat(row("a").owner()).isEqualTo(3L);
        assertThat(row("a").inDoubt()).as("still flagged while it is resent").isEqualTo(table.inDoubtColumn() != null);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void aRejectedRowIsClaimedAgainOnlyWhenItsInputChanged(ClaimTable table) {
        open(table);
        long id = claimOne(1, false, "a").rowId();
        assertThat(outcomes.record(new ClaimOutcomes.Outcome(id, 1, 1, "refused", Map.of("state", "REJECTED")))).isTrue();

        assertThat(claimOne(2, false, "a").verdict()).isEqualTo(Claims.Verdict.REJECTED_UNCHANGED);
        assertThat(claim(3, false, List.of(candidate("a", "fp-changed"))).get(0).verdict()).isEqualTo(Claims.Verdict.CLAIMED);
        assertThat(row("a").fingerprint()).isEqualTo("fp-changed");
    }

    @ParameterizedTest
    @MethodSource("tables")
    void aDoneRowIsNeverClaimedAgain(ClaimTable table) {
        open(table);
        long id = claimOne(1, false, "a").rowId();
        String done = table.states().entrySet().stream().filter(e -> e.getValue() == ClaimPhase.DONE).findFirst().orElseThrow().getKey();
        assertThat(outcomes.record(new ClaimOutcomes.Outcome(id, 1, 1, null, Map.of("state", done)))).isTrue();
        assertThat(outcomes.markInDoubt(id, 1, "late", 1)).as("an outcome is recorded once").isFalse();

        assertThat(claimOne(2, true, "a").verdict()).isEqualTo(Claims.Verdict.DONE);
        assertThat(claim(3, true, List.of(candidate("a", "fp-changed"))).get(0).verdict()).isEqualTo(Claims.Verdict.DONE_CHANGED);
        assertThat(row("a").state()).isEqualTo(done);
    }
}
