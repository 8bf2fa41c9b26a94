package dev.calleval.database;

import dev.calleval.config.Durations;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Runs a unit of database work — one whole transaction, or one statement outside any transaction — again when the
 * database connection was lost, with exponential backoff (0.5 s doubling to 10 s), until it succeeds or
 * {@code calleval.database.outage-tolerance} has passed since the first failure; then a
 * {@link DatabaseUnavailableException} is thrown (caused by the last failure).
 * Any other failure (a constraint, a bad statement, a wrong password) is thrown at once.
 *
 * <p>The one layer that retries database work (STYLE.md: retry in exactly one layer): callers wrap whole
 * transactions, never statements inside one (a transaction whose connection broke cannot go on; it is run again from
 * its start). The work must therefore be safe to run again after it failed: the ledger's updates are conditional
 * on the state they change, claims are decided on what the ledger holds. Work that is not idempotent uses
 * {@link #callIfNeverSent}: it is retried only when it never reached the database (no connection could be had).
 *
 * <p>An operator sees one WARN line when an outage starts to be ridden through and one INFO line when the database is
 * back. Thread-safe.
 */
@Component
@Lazy(false) // every command opens the database: its settings are checked at every start, before any work
@EnableConfigurationProperties(DatabaseSettings.class)
public class DatabaseRetry {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRetry.class);
    /** SQLStates of a lost connection: class 08 (connection exception) and PostgreSQL's operator intervention codes. */
    private static final Set<String> LOST_STATES = Set.of("57P01", "57P02", "57P03");
    /** H2 error codes of a lost connection: broken, database closed, file in use by a process that is going away. */
    private static final Set<Integer> H2_LOST_CODES = Set.of(90067, 90098, 90020, 90028, 90121);

    private final Duration tolerance;
    private final RetryTemplate anyLoss;
    private final RetryTemplate neverSent;

    /** @param settings {@code calleval.database.*} */
    @org.springframework.beans.factory.annotation.Autowired
    public DatabaseRetry(DatabaseSettings settings) {
        this(settings.outageTolerance(), Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    /**
     * @param tolerance how long to keep trying after the first failure; zero: never retry
     * @param firstDelay the delay before the first retry (doubling up to {@code maxDelay})
     */
    public DatabaseRetry(Duration tolerance, Duration firstDelay, Duration maxDelay) {
        this.tolerance = tolerance;
        this.anyLoss = template(tolerance, firstDelay, maxDelay, DatabaseRetry::isConnectionLoss);
        this.neverSent = template(tolerance, firstDelay, maxDelay, DatabaseRetry::isConnectionUnavailable);
    }

    private static RetryTemplate template(Duration tolerance, Duration firstDelay, Duration maxDelay, Predicate<Throwable> retryable) {
        RetryPolicy.Builder policy = RetryPolicy.builder().predicate(retryable);
        if (tolerance.isZero()) {
            policy.maxRetries(0);
        } else {
            policy.maxRetries(Long.MAX_VALUE).timeout(tolerance).delay(firstDelay).multiplier(2).maxDelay(maxDelay);
        }
        RetryTemplate template = new RetryTemplate(policy.build());
        template.setRetryListener(new Outages(tolerance, retryable));
        return template;
    }

    /** The configured tolerance ({@code calleval.database.outage-tolerance}). */
    public Duration tolerance() {
        return tolerance;
    }

    /**
     * Runs {@code work} (idempotent database work: a whole transaction, or statements outside one), again while it
     * fails for a lost connection, up to the tolerance.
     *
     * @param what what the work does, for the log ("recording the outcome of calls")
     * @throws DatabaseUnavailableException when the connection stayed lost past the tolerance
     * @throws RuntimeException the work's failure of any other kind
     */
    public <T> T call(String what, Supplier<T> work) {
        return execute(anyLoss, what, work);
    }

    /** {@link #call} for work without a result. */
    public void run(String what, Runnable work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} (database work that must not run twice, e.g. an insert of a new row), again only while it
     * fails before reaching the database (no connection could be had), up to the tolerance.
     *
     * @throws RuntimeException the work's last failure
     */
    public <T> T callIfNeverSent(String what, Supplier<T> work) {
        return execute(neverSent, what, work);
    }

    private <T> T execute(RetryTemplate template, String what, Supplier<T> work) {
        try {
            return template.execute(new Retryable<T>() {
                @Override
                public T execute() {
                    return work.get();
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            Throwable last = e.getCause() != null ? e.getCause() : e;
            if (isConnectionLoss(last) && !(last instanceof DatabaseUnavailableException)) {
                throw new DatabaseUnavailableException(what, tolerance, last);
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(what + ": " + last.getMessage(), last);
        }
    }

    /**
     * Whether {@code failure} (or one of its causes) says the database connection was lost or could not be had: the
     * same work may succeed on a new connection once the database is back.
     */
    public static boolean isConnectionLoss(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessResourceException || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || isConnectionUnavailable(t)) {
                return true;
            }
            if (t instanceof SQLException sql && (lostState(sql.getSQLState()) || isH2Loss(sql))) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("connection is closed") || message.contains("this connection has been closed")) {
                return true; // HikariCP's and PostgreSQL's words for a connection the server closed
            }
        }
        return false;
    }

    /** Whether the failure happened before any statement reached the database: no connection could be had. */
    public static boolean isConnectionUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException) {
                return isConnectionLossCause(t.getCause());
            }
        }
        return false;
    }

    private static boolean isConnectionLossCause(Throwable cause) {
        if (cause == null) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return false; // a wrong user or password is no outage
            }
        }
        return true;
    }

    private static boolean lostState(String state) {
        return state != null && (state.startsWith("08") || LOST_STATES.contains(state));
    }

    private static boolean isH2Loss(SQLException sql) {
        return sql.getClass().getName().startsWith("org.h2.") && H2_LOST_CODES.contains(sql.getErrorCode());
    }

    /** Logs the start and the end of an outage, once each per unit of work. */
    private static final class Outages implements RetryListener {
        private final Duration tolerance;
        private final Predicate<Throwable> retryable;

        Outages(Duration tolerance, Predicate<Throwable> retryable) {
            this.tolerance = tolerance;
            this.retryable = retryable;
        }

        @Override
        public void onRetryableExecution(RetryPolicy policy, Retryable<?> retryable, org.springframework.core.retry.RetryState state) {
            if (state.isSuccessful()) {
                return;
            }
            Throwable last = state.getLastException();
            if (state.getRetryCount() == 0 && last != null && this.retryable.test(last) && !tolerance.isZero()) {
                log.warn("database connection lost while {} ({}): trying again for up to {}", retryable.getName(), firstLine(last),
                        Durations.shown(tolerance));
            } else if (last != null) {
                log.debug("{}: the database is still unreachable: {}", retryable.getName(), firstLine(last));
            }
        }

        @Override
        public void onRetrySuccess(RetryPolicy policy, Retryable<?> retryable, Object result) {
            log.info("database back: {} went through", retryable.getName());
        }

        @Override
        public void onRetryPolicyTimeout(RetryPolicy policy, Retryable<?> retryable, RetryException exception) {
            log.debug("{}: gave up after {}", retryable.getName(), Durations.shown(tolerance));
        }
    }

    /** The first line of the innermost message: the driver's own words. */
    static String firstLine(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? failure.getClass().getSimpleName() : JdbcSecrets.masked(message.lines().findFirst().orElse("").strip());
    }
}
