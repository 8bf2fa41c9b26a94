package dev.calleval;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.env.MockEnvironment;

/** A database that cannot be reached at startup is one short message, naming URL and user but no password. */
class DatabaseConnectionFailureAnalyzerTests {
    @Test
    void namesTheDatabaseAndTheReasonButNeverAPasswordInTheUrl() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal:5432/calleval?user=calleval&password=s3cret")
                .withProperty("spring.datasource.username", "calleval");
        Throwable startup = new BeanCreationException("flyway", "Failed to instantiate Flyway",
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLException("FATAL: password authentication failed for user \"calleval\"")));

        FailureAnalysis analysis = new DatabaseConnectionFailureAnalyzer(environment).analyze(startup);

        assertThat(analysis.getDescription()).isEqualTo("calleval cannot connect to its database jdbc:postgresql://db.internal:5432/calleval?… "
                + "as user calleval: FATAL: password authentication failed for user \"calleval\"");
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret");
        assertThat(analysis.getAction()).contains("CALLEVAL_DB_URL", "CALLEVAL_DB_PASSWORD");
    }
}
