package dev.calleval.plan;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link PlanAndSamplingFunctionalTests} on PostgreSQL: the new ledger states and the read-only plan there, each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class PlanAndSamplingPostgresTests extends PlanAndSamplingFunctionalTests {
    @Override
    String newDatabaseUrl() {
        return TestDatabases.Kind.POSTGRES.freshUrl("plan");
    }
}
