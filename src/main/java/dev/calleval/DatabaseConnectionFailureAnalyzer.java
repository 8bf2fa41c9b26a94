package dev.calleval;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Turns "cannot connect to the database" at startup (wrong {@code CALLEVAL_DB_URL}, user or password, a database that
 * does not exist, a server that is down) into a short message naming the URL (without its query, which may carry a
 * password) and the user, instead of a Spring stack trace. Registered in {@code META-INF/spring.factories}.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<CannotGetJdbcConnectionException> {
    private final Environment environment;

    DatabaseConnectionFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CannotGetJdbcConnectionException cause) {
        Throwable reason = cause;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        String url = environment.getProperty("spring.datasource.url", "?");
        int query = url.indexOf('?');
        String shown = query < 0 ? url : url.substring(0, query) + "?…";
        String user = environment.getProperty("spring.datasource.username", "?");
        return new FailureAnalysis("calleval cannot connect to its database " + shown + " as user " + user + ": " + reason.getMessage(),
                "Check CALLEVAL_DB_URL, CALLEVAL_DB_USER and CALLEVAL_DB_PASSWORD, that the database exists, and that its server "
                        + "is up and accepts connections from this host (README: \"PostgreSQL\").", cause);
    }
}
