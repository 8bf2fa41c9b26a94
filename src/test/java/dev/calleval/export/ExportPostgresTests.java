package dev.calleval.export;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link ExportFunctionalTests} on PostgreSQL: the export streams through a cursor (read-only transaction, fetch size). */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class ExportPostgresTests extends ExportFunctionalTests {
    @Override
    String newDatabaseUrl() {
        return TestDatabases.Kind.POSTGRES.freshUrl("export");
    }
}
