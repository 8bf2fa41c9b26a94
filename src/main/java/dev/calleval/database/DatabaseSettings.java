package dev.calleval.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How calleval treats its database ({@code calleval.database.*}).
 *
 * @param outageTolerance how long a run waits for a lost database connection to come back (a PostgreSQL restart, a
 *     managed database's failover, the H2 file's serving process exiting) before it gives up and ends FAILED;
 *     {@code 0s}: not at all. Between 0s and 24h; default 5m ({@code CALLEVAL_DB_OUTAGE_TOLERANCE})
 */
@ConfigurationProperties("calleval.database")
public record DatabaseSettings(@DefaultValue("5m") Duration outageTolerance) {
    /** The longest tolerance accepted. */
    public static final Duration MAX_TOLERANCE = Duration.ofHours(24);

    /** @throws IllegalArgumentException when the tolerance is negative or longer than 24h (the message names the key) */
    public DatabaseSettings {
        if (outageTolerance == null) {
            outageTolerance = Duration.ofMinutes(5);
        }
        if (outageTolerance.isNegative() || outageTolerance.compareTo(MAX_TOLERANCE) > 0) {
            throw new IllegalArgumentException("calleval.database.outage-tolerance must be between 0s and 24h, was "
                    + outageTolerance.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        }
    }
}
