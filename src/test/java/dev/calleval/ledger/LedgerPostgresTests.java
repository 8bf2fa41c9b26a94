package dev.calleval.ledger;

import dev.calleval.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link LedgerIntegrationTests} on PostgreSQL, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class LedgerPostgresTests extends LedgerIntegrationTests {
    @Override
    DataSource newDataSource() {
        return TestDatabases.Kind.POSTGRES.migratedDataSource("call-ledger");
    }
}
