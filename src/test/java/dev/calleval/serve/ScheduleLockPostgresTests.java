package dev.calleval.serve;

import dev.calleval.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link ScheduleLockTests} on PostgreSQL, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class ScheduleLockPostgresTests extends ScheduleLockTests {
    @Override
    DataSource newDataSource() {
        return TestDatabases.Kind.POSTGRES.migratedDataSource("schedule-lock");
    }
}
