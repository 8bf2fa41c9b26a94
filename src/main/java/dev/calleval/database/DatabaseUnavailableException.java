package dev.calleval.database;

import dev.calleval.config.Durations;
import java.time.Duration;

/**
 * The database stayed unreachable for longer than {@code calleval.database.outage-tolerance} while calleval was doing
 * {@link #work()}: the run stops (FAILED); running it again once the database is back completes it. The message is
 * one line for an operator; the cause is the driver's last failure.
 */
public class DatabaseUnavailableException extends org.springframework.dao.DataAccessResourceFailureException {
    private final String work;

    /**
     * @param work what calleval was doing ("claiming a chunk of calls")
     * @param tolerance how long it tried
     * @param cause the last failure
     */
    public DatabaseUnavailableException(String work, Duration tolerance, Throwable cause) {
        super((tolerance.isZero() ? "the database connection was lost while " + work
                : "the database stayed unreachable for " + Durations.shown(tolerance) + " while " + work)
                + " (" + DatabaseRetry.firstLine(cause) + ")", cause);
        this.work = work;
    }

    /** What calleval was doing when it gave up. */
    public String work() {
        return work;
    }
}
