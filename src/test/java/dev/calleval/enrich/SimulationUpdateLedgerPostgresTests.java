package dev.calleval.enrich;

import dev.calleval.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link SimulationUpdateLedgerTests} on PostgreSQL, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class SimulationUpdateLedgerPostgresTests extends SimulationUpdateLedgerTests {
    @Override
    DataSource newDataSource() {
        return TestDatabases.Kind.POSTGRES.migratedDataSource("simulation-update-ledger");
    }
}
