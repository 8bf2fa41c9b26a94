package dev.calleval.export;

import dev.calleval.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link CallExportTests} on PostgreSQL, where autocommit off and a fetch size make the driver read through a cursor. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class CallExportPostgresTests extends CallExportTests {
    @Override
    DataSource newDataSource() {
        return TestDatabases.Kind.POSTGRES.migratedDataSource("call-export");
    }
}
