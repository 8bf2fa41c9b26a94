package dev.calleval.database;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How calleval treats its database ({@code calleval.database.*}; docs/operations.md "Database outages").
 *
 * @param outageTolerance how long a run waits for a lost database connection to come back (a PostgreSQL restart, a
 *     managed database's failover, the H2 file's serving process exiting) before it gives up and ends FAILED;
 *     {@code 0s}: not at all. Between 0s and 24h; default 5m ({@code CALLEVAL_DB_OUTAGE_TOLERANCE})
 */
@ConfigurationProperties("calleval.database")
@Validated
public record DatabaseSettings(
        @NotNull @DurationMin(seconds = 0, message = RANGE) @DurationMax(hours = 24, message = RANGE) @DefaultValue("5m") Duration outageTolerance) {
    /** What a tolerance outside its range is told (after the key's name). */
    static final String RANGE = "must be between 0s and 24h";
}
