package dev.calleval.enrich;

import dev.calleval.source.InputFileException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The time forms a simulation log may use for an item's start or end, each turned into integer milliseconds from
 * call start (the unit of {@code start_offset_ms} / {@code end_offset_ms}, API reference §1.3–1.5):
 * <ul>
 *   <li>{@code start_offset_ms} / {@code end_offset_ms}: an integer number of ms, as is;</li>
 *   <li>{@code start_offset_s} or {@code seconds_from_start} / {@code end_offset_s} or
 *       {@code end_seconds_from_start}: a number of seconds (fractions allowed), × 1000 in exact decimal
 *       arithmetic, rounded to the nearest ms (halves up);</li>
 *   <li>{@code timestamp} or {@code start_time} / {@code end_timestamp} or {@code end_time}: an absolute time, an
 *       ISO-8601 string with an offset or {@code Z}, or an integer of epoch milliseconds; minus the log's
 *       {@code call_started_at}, rounded to the nearest ms (halves up). Needs {@code call_started_at}.</li>
 * </ul>
 * One form per bound; every result must be >= 0. Errors are {@link InputFileException}s naming the entry and the
 * key the log used, e.g. {@code tool_calls[1].start_offset_s}.
 */
final class LogTimes {
    private LogTimes() {}

    /** The start or the end of an item, and the keys each form uses for it. */
    enum Bound {
        START("start", "start_offset_ms", List.of("start_offset_s", "seconds_from_start"), List.of("timestamp", "start_time")),
        END("end", "end_offset_ms", List.of("end_offset_s", "end_seconds_from_start"), List.of("end_timestamp", "end_time"));

        final String word;
        final String millisKey;
        final List<String> secondsKeys;
        final List<String> absoluteKeys;

        Bound(String word, String millisKey, List<String> secondsKeys, List<String> absoluteKeys) {
            this.word = word;
            this.millisKey = millisKey;
            this.secondsKeys = secondsKeys;
            this.absoluteKeys = absoluteKeys;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>();
            keys.add(millisKey);
            keys.addAll(secondsKeys);
            keys.addAll(absoluteKeys);
            return keys;
        }

        /** What to write, for the message of a missing time. */
        String choices() {
            return millisKey + " (integer ms), " + String.join(" or ", secondsKeys) + " (seconds), or "
                    + String.join(" / ", absoluteKeys) + " (ISO-8601 or epoch ms, with call_started_at)";
        }
    }

    /**
     * The bound of {@code item} in ms from call start; null when the item gives none.
     *
     * @param field the entry, e.g. {@code tool_calls[1]}
     * @param callStartedAt the log's {@code call_started_at}; null when it has none
     */
    static @Nullable Long offsetMs(JsonNode item, Bound bound, String field, @Nullable Instant callStartedAt) throws InputFileException {
        List<String> given = bound.keys().stream().filter(item::hasNonNull).toList();
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new InputFileException(field + "." + given.get(1), "give one " + bound.word + " time, not both "
                    + given.get(0) + " and " + given.get(1));
        }
        String key = given.get(0);
        JsonNode value = item.get(key);
        String at = field + "." + key;
        if (key.equals(bound.millisKey)) {
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new InputFileException(at, "must be an integer number of ms from call start, got " + value
                        + (value.isNumber() ? " (for seconds use " + bound.secondsKeys.get(0) + ")" : ""));
            }
            long ms = value.asLong();
            if (ms < 0) {
                throw new InputFileException(at, "must be >= 0, got " + ms);
            }
            return ms;
        }
        if (bound.secondsKeys.contains(key)) {
            if (!value.isNumber()) {
                throw new InputFileException(at, "must be a number of seconds from call start, got " + value);
            }
            BigDecimal seconds = value.decimalValue();
            if (seconds.signum() < 0) {
                throw new InputFileException(at, "must be >= 0, got " + seconds.toPlainString());
            }
            return millis(seconds.movePointRight(3), at);
        }
        Instant instant = instant(value, at);
        if (callStartedAt == null) {
            throw new InputFileException(at, key + " is an absolute time: the log needs call_started_at (ISO-8601) "
                    + "to turn it into ms from call start");
        }
        long nanos;
        try {
            nanos = Duration.between(callStartedAt, instant).toNanos();
        } catch (ArithmeticException e) {
            throw new InputFileException(at, value + " is too far from call_started_at " + callStartedAt);
        }
        if (nanos < 0) {
            throw new InputFileException(at, "must be >= 0 ms from call start: " + instant + " is before call_started_at " + callStartedAt);
        }
        return millis(BigDecimal.valueOf(nanos).movePointLeft(6), at);
    }

    /**
     * An absolute time: an ISO-8601 string with an offset or {@code Z}, or an integer of epoch milliseconds.
     *
     * @param at the field, for messages
     */
    static Instant instant(JsonNode value, String at) throws InputFileException {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            try {
                return Instant.ofEpochMilli(value.asLong());
            } catch (DateTimeException e) {
                throw new InputFileException(at, value + " is out of range for epoch milliseconds");
            }
        }
        if (value.isNumber()) {
            throw new InputFileException(at, "an epoch time must be an integer number of milliseconds, got " + value);
        }
        if (!value.isString()) {
            throw new InputFileException(at, "must be an ISO-8601 time with an offset (e.g. 2026-11-19T14:03:05.250Z) or epoch ms, got " + value);
        }
        String text = value.asString().strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            boolean local;
            try {
                LocalDateTime.parse(text);
                local = true;
            } catch (DateTimeParseException notLocal) {
                local = false;
            }
            throw new InputFileException(at, "'" + text + "' is not an ISO-8601 time with an offset"
                    + (local ? " (it has no offset: add Z for UTC or e.g. +01:00; a local time is ambiguous)" : "; write e.g. 2026-11-19T14:03:05.250Z"));
        }
    }

    private static long millis(BigDecimal ms, String at) throws InputFileException {
        try {
            return ms.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new InputFileException(at, "is too large: " + ms.toPlainString() + " ms");
        }
    }
}
