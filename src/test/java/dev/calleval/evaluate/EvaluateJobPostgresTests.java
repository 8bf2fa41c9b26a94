package dev.calleval.evaluate;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link EvaluateJobFunctionalTests} on PostgreSQL: the sample runs end to end, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class EvaluateJobPostgresTests extends EvaluateJobFunctionalTests {
    @Override
    String newDatabaseUrl() {
        return TestDatabases.Kind.POSTGRES.freshUrl("functional");
    }
}
