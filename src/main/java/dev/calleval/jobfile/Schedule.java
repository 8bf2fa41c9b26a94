package dev.calleval.jobfile;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When {@code serve} starts the job by itself ({@code schedule:}).
 *
 * @param cron a Spring cron expression: six fields, second minute hour day-of-month month day-of-week (e.g.
 *     {@code "0 0 2 * * *"}: 02:00:00 every day; {@code "0 0/15 * * * MON-FRI"}: every quarter hour on weekdays), or a macro such as {@code @daily}
 * @param zone the time zone the expression is read in (e.g. {@code Europe/Paris}); default UTC
 */
public record Schedule(String cron, @DefaultValue("UTC") String zone) {
    public Schedule {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("schedule.cron is required: six fields, second minute hour day-of-month month "
                    + "day-of-week, e.g. \"0 0 2 * * *\" for 02:00 every day");
        }
        try {
            org.springframework.scheduling.support.CronExpression.parse(cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule.cron '" + cron + "' is not a cron expression (six fields, second minute hour "
                    + "day-of-month month day-of-week, e.g. \"0 0 2 * * *\"): " + e.getMessage());
        }
        try {
            java.time.ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("schedule.zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Paris, America/New_York)");
        }
    }

    /** The zone of the expression. */
    public java.time.ZoneId zoneId() {
        return java.time.ZoneId.of(zone);
    }

    /** The first fire time after {@code after}, or null when the expression never fires again. */
    public java.time.@Nullable ZonedDateTime next(java.time.Instant after) {
        return org.springframework.scheduling.support.CronExpression.parse(cron).next(after.atZone(zoneId()));
    }
}
