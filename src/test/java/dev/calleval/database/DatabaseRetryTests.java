package dev.calleval.database;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseRetryTests {
    private final DatabaseRetry retry = new DatabaseRetry(Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMillis(50));

    @Test
    void workThatLostItsConnectionRunsAgainUntilTheDatabaseIsBack() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.call("testing", () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new UncategorizedSQLException("update", "UPDATE x", new SQLException("terminating connection due to administrator command", "57P01"));
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void otherFailuresAreThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run("testing", () -> {
            attempts.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts).hasValue(1);
        assertThat(DatabaseRetry.isConnectionLoss(new OptimisticLockingFailureException("version"))).isFalse();
        assertThat(DatabaseRetry.isConnectionLoss(new SQLException("password authentication failed", "28P01"))).isFalse();
    }

    @Test
    void pastTheToleranceItGivesUpWithOneLineNamingTheWork() {
        DatabaseRetry short_ = new DatabaseRetry(Duration.ofMillis(300), Duration.ofMillis(10), Duration.ofMillis(50));
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        assertThatThrownBy(() -> short_.run("claiming a chunk of 50 calls", () -> {
            attempts.incrementAndGet();
            throw new CannotGetJdbcConnectionException("no connection", new SQLTransientConnectionException("Connection refused", "08001"));
        })).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessage("the database stayed unreachable for 0.3s while claiming a chunk of 50 calls (Connection refused)");
        assertThat(attempts.get()).isGreaterThan(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void workThatMustNotRunTwiceIsRetriedOnlyWhenItNeverReachedTheDatabase() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.callIfNeverSent("inserting", () -> {
            attempts.incrementAndGet();
            throw new UncategorizedSQLException("insert", "INSERT", new SQLException("This connection has been closed.", "08003"));
        })).isInstanceOf(DatabaseUnavailableException.class);
        assertThat(attempts).hasValue(1);

        AtomicInteger tries = new AtomicInteger();
        assertThat(retry.callIfNeverSent("inserting", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new CannotGetJdbcConnectionException("no connection", new SQLTransientConnectionException("timed out"));
            }
            return 1;
        })).isEqualTo(1);
    }

    @Test
    void aToleranceOutsideZeroTo24HoursIsRefusedNamingTheKey() {
        // bound as the application binds it (@Validated): the one line an operator reads names the key and the range
        assertThat(dev.calleval.config.Settings.bind(DatabaseSettings.class, "calleval.database.outage-tolerance=-1s").failure())
                .contains("calleval.database.outage-tolerance");
        assertThat(dev.calleval.config.Settings.bind(DatabaseSettings.class, "CALLEVAL_DB_OUTAGE_TOLERANCE=2d").failure())
                .contains("between 0s and 24h");
        assertThat(dev.calleval.config.Settings.bind(DatabaseSettings.class).get().outageTolerance()).isEqualTo(Duration.ofMinutes(5));
    }
}
