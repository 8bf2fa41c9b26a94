package dev.calleval.evaluate;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link ManifestInputFunctionalTests} on PostgreSQL, each test in a new schema: a rejected row whose cells hold a NUL
 * byte is recorded there too (PostgreSQL refuses NUL in text).
 */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class ManifestInputPostgresTests extends ManifestInputFunctionalTests {
    @Override
    String newDatabaseUrl() {
        return TestDatabases.Kind.POSTGRES.freshUrl("manifests");
    }
}
