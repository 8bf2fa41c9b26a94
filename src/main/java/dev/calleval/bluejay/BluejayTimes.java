package dev.calleval.bluejay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reading the API's timestamps leniently (§8): call logs and webhooks send {@code start_time_utc} and
 * {@code created_at} as unformatted strings, with or without an offset; one without an offset is UTC.
 */
public final class BluejayTimes {
    private BluejayTimes() {}

    /** The instant, or null when {@code time} is null or not ISO-8601. */
    public static @Nullable Instant parse(@Nullable String time) {
        if (time == null || time.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time.strip()).toInstant();
        } catch (DateTimeParseException withOffset) {
            try {
                return LocalDateTime.parse(time.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException naive) {
                return null;
            }
        }
    }
}
