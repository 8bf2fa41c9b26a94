package dev.calleval.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link WebhookControllerIntegrationTests} on PostgreSQL: the webhook inbox in a new schema. */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class WebhookControllerPostgresTests extends WebhookControllerIntegrationTests {
    private static String url;

    WebhookControllerPostgresTests(@LocalServerPort int port, @Autowired WebhookInbox inbox, @Autowired JdbcTemplate jdbc) {
        super(port, inbox, jdbc);
    }

    @Autowired
    JdbcTemplate database;

    @Test
    void theseTestsRunOnPostgresql() {
        assertThat(database.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> {
            synchronized (WebhookControllerPostgresTests.class) {
                if (url == null) {
                    url = TestDatabases.Kind.POSTGRES.freshUrl("webhook");
                }
                return url;
            }
        });
    }
}
