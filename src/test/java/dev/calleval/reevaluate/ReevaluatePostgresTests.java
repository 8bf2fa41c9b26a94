package dev.calleval.reevaluate;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link ReevaluateFunctionalTests} on PostgreSQL (migration V14, the round's claims and results), each test in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class ReevaluatePostgresTests extends ReevaluateFunctionalTests {
    @Override
    String database() {
        return TestDatabases.Kind.POSTGRES.freshUrl("reevaluate");
    }
}
