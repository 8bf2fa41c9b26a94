package dev.calleval;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The databases the integration tests run against: H2 (in memory, always) and PostgreSQL (a real server, when
 * {@code CALLEVAL_TEST_POSTGRES_URL} is set, with {@code CALLEVAL_TEST_POSTGRES_USER} and
 * {@code CALLEVAL_TEST_POSTGRES_PASSWORD}; {@code eval "$(scripts/postgres.sh start)"} sets them, and {@code .ci/run}
 * does). Each test gets a fresh, empty database: a new H2 in-memory database, or a new schema on the PostgreSQL server
 * (dropped when the JVM exits). PostgreSQL tests are skipped, saying why, when the URL is not set.
 */
public final class TestDatabases {
    /** Why the PostgreSQL variants are skipped, when they are. */
    public static final String POSTGRES_SKIPPED = "CALLEVAL_TEST_POSTGRES_URL is not set, so the PostgreSQL variant is skipped "
            + "(start a server with: eval \"$(scripts/postgres.sh start)\")";

    private static final String POSTGRES_URL = env("CALLEVAL_TEST_POSTGRES_URL");
    private static final String POSTGRES_USER = env("CALLEVAL_TEST_POSTGRES_USER");
    private static final String POSTGRES_PASSWORD = env("CALLEVAL_TEST_POSTGRES_PASSWORD");
    private static final List<String> SCHEMAS = new ArrayList<>();

    private TestDatabases() {}

    /** A kind of database the tests run against. */
    public enum Kind {
        H2, POSTGRES;

        /** Whether this database can be used here (PostgreSQL: when its URL is set). */
        public boolean available() {
            return this == H2 || POSTGRES_URL != null;
        }

        /**
         * The JDBC URL of a new, empty database of this kind. For PostgreSQL the URL names a new schema
         * ({@code currentSchema}) and carries the user and password, so that it can be used alone as
         * {@code CALLEVAL_DB_URL} (the driver prefers them to {@code CALLEVAL_DB_USER}'s default).
         *
         * @param name a word for the database's name (letters, digits, dashes)
         * @throws IllegalStateException for PostgreSQL when it is not {@linkplain #available() available}
         */
        public String freshUrl(String name) {
            String unique = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8);
            if (this == H2) {
                return "jdbc:h2:mem:" + unique + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
            }
            if (POSTGRES_URL == null) {
                throw new IllegalStateException(POSTGRES_SKIPPED);
            }
            String schema = "t_" + unique;
            try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create schema " + schema + " at " + POSTGRES_URL + ": " + e.getMessage(), e);
            }
            dropAtExit(schema);
            return POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + (POSTGRES_USER == null ? "" : "&user=" + POSTGRES_USER) + (POSTGRES_PASSWORD == null ? "" : "&password=" + POSTGRES_PASSWORD);
        }

        /** A new, empty database of this kind with calleval's Flyway migrations applied, as a plain data source. */
        public DataSource migratedDataSource(String name) {
            String url = freshUrl(name);
            DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
            if (this == H2) {
                dataSource.setUsername("sa");
            }
            Flyway.configure().dataSource(dataSource)
                    .locations("classpath:db/migration/" + (this == H2 ? "h2" : "postgresql"), "classpath:db/migration/common")
                    .load().migrate();
            return dataSource;
        }
    }

    private static synchronized void dropAtExit(String schema) {
        if (SCHEMAS.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropSchemas, "drop-test-schemas"));
        }
        SCHEMAS.add(schema);
    }

    private static synchronized void dropSchemas() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD); Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test schemas " + SCHEMAS + ": " + e.getMessage());
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }
}
