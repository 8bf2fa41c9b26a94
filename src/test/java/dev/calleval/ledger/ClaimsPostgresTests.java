package dev.calleval.ledger;

import dev.calleval.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link ClaimsTests} on PostgreSQL, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class ClaimsPostgresTests extends ClaimsTests {
    @Override
    DataSource newDataSource() {
        return TestDatabases.Kind.POSTGRES.migratedDataSource("claims");
    }
}
