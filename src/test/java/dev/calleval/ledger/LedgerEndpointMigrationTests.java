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
import dev.calleval.source.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Migration V9 on a ledger written by the version before it: its rows become the real API's (the default base URL),
 * so an upgraded installation does not send its calls again, and new rows must name their endpoint. H2, and
 * PostgreSQL when {@code CALLEVAL_TEST_POSTGRES_URL} is set.
 */
class LedgerEndpointMigrationTests {

    private static DataSource migratedTo(TestDatabases.Kind kind, String target) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(kind.freshUrl("endpoint-migration"));
        if (kind == TestDatabases.Kind.H2) {
            dataSource.setUsername("sa");
        }
        flyway(kind, dataSource, target);
        return dataSource;
    }

    private static void flyway(TestDatabases.Kind kind, DataSource dataSource, String target) {
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/" + (kind == TestDatabases.Kind.H2 ? "h2" : "postgresql"), "classpath:db/migration/common")
                .target(target).load().migrate();
    }

    private static MappedCall.Accepted call(String sourceId) {
        EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T14:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null), new Participant(ParticipantRole.USER, null, null, null)),
                "https://example.com/" + sourceId + ".wav", null, CallDirection.INBOUND, CallInterface.PHONE, null, null, null, null, null,
                sourceId, null, Map.of("calleval_source_id", sourceId), null, null, null, null, null, null, null);
        return new MappedCall.Accepted(new SourceRef("m.csv", 2), sourceId, request, "fp-" + sourceId);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void rowsFromBeforeTheUpgradeBelongToTheRealApiAtItsDefaultUrl(TestDatabases.Kind kind) {
        assumeTrue(kind.available(), TestDatabases.POSTGRES_SKIPPED);
        DataSource dataSource = migratedTo(kind, "8");
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        jdbc.update("""
                INSERT INTO call_ledger (agent_key, source_id, state, call_id, job_name, job_execution_id, created_at, updated_at, submitted_at)
                VALUES ('1234', 'src-1', 'SUBMITTED', 'call-1', 'nightly', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", Map.of());
        jdbc.update("""
                INSERT INTO simulation_update (simulation_result_id, state, fingerprint, source_ref, job_name, job_execution_id, created_at, updated_at)
                VALUES ('716977', 'POSTED', 'fp', 'logs/a.json', 'enrich', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", Map.of());

        flyway(kind, dataSource, "latest");

        assertThat(jdbc.queryForList("SELECT endpoint FROM call_ledger", Map.of(), String.class)).containsExactly("https://api.getbluejay.ai");
        assertThat(jdbc.queryForList("SELECT endpoint FROM simulation_update", Map.of(), String.class)).containsExactly("https://api.getbluejay.ai");
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        ExecutionLiveness liveness = new ExecutionLiveness(jdbc, transactionManager, Duration.ofMillis(200), Duration.ofSeconds(30));
        try {
            Ledger ledger = new Ledger(jdbc, Clock.systemUTC(), transactionManager, liveness);
            TransactionTemplate transactions = new TransactionTemplate(transactionManager);
            assertThat(transactions.execute(s -> ledger.claim(2, "nightly", BluejayEndpoint.DEFAULT, List.of(call("src-1")))).alreadyDone())
                    .as("the real API's call, sent before the upgrade, is not sent again").isEqualTo(1);
            assertThat(transactions.execute(s -> ledger.claim(3, "nightly", BluejayEndpoint.SANDBOX, List.of(call("src-1")))).claimed())
                    .hasSize(1);
        } finally {
            liveness.destroy();
        }
        assertThatThrownBy(() -> jdbc.update("""
                INSERT INTO call_ledger (agent_key, source_id, state, created_at, updated_at)
                VALUES ('1234', 'src-2', 'PENDING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", Map.of()))
                .as("no default: a new row names its endpoint").isInstanceOf(DataIntegrityViolationException.class);
    }
}
