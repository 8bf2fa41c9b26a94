package dev.calleval.sandbox;

import dev.calleval.sandbox.PydanticFormats.Parsed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Pydantic v2's lax {@code datetime} (speedate): RFC 3339 with {@code T}, {@code t}, {@code _} or a space between
 * date and time, optional seconds and fraction, {@code Z} or a numeric offset or none (naive = UTC); a bare date; a
 * Unix timestamp in seconds, or milliseconds above 2e10. Failures carry Pydantic's error type and reason
 * ({@link PydanticFormats.Failure}). Stateless.
 */
final class PydanticDatetimes {

    private static final Pattern NUMERIC = Pattern.compile("^[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)$");
    private static final BigDecimal MS_THRESHOLD = new BigDecimal("2e10");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final Instant MIN_TIMESTAMP = Instant.parse("1600-01-01T00:00:00Z");

    private PydanticDatetimes() {}

    /**
     * Parses a datetime string as Pydantic v2 does in lax mode. A value without an offset (naive) is taken as
     * UTC. Failures are {@code datetime_from_date_parsing} with speedate's reason (the date part's error, or
     * "unexpected extra characters at the end of the input" when the date part is fine), or
     * {@code datetime_parsing} for a timestamp out of range.
     */
    static Parsed<Instant> datetime(String s) {
        if (NUMERIC.matcher(s).matches()) {
            Parsed<Instant> fromTimestamp = timestamp(new BigDecimal(s.endsWith(".") ? s + "0" : s));
            if (fromTimestamp.value() != null) {
                return fromTimestamp;
            }
        }
        String dateProblem = dateProblem(s);
        if (dateProblem != null) {
            return Parsed.fail("datetime_from_date_parsing", dateProblem);
        }
        int year = Integer.parseInt(s.substring(0, 4));
        if (year == 0) {
            return Parsed.fail("datetime_parsing", "year 0 is out of range");
        }
        LocalDate date = LocalDate.of(year, Integer.parseInt(s.substring(5, 7)), Integer.parseInt(s.substring(8, 10)));
        if (s.length() == 10) {
            return Parsed.ok(date.atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        Instant instant = timeAfterDate(date, s);
        if (instant == null) {
            return Parsed.fail("datetime_from_date_parsing", "unexpected extra characters at the end of the input");
        }
        return Parsed.ok(instant);
    }

    /**
     * A JSON number as a Unix timestamp: seconds when its magnitude is at most 2e10, else milliseconds.
     */
    static Parsed<Instant> timestamp(BigDecimal value) {
        BigDecimal seconds = value.abs().compareTo(MS_THRESHOLD) > 0 ? value.divide(THOUSAND) : value;
        if (seconds.compareTo(BigDecimal.valueOf(MAX_TIMESTAMP.getEpochSecond() + 1)) >= 0) {
            return Parsed.fail("datetime_parsing", "dates after 9999 are not supported as unix timestamps");
        }
        if (seconds.compareTo(BigDecimal.valueOf(MIN_TIMESTAMP.getEpochSecond())) < 0) {
            return Parsed.fail("datetime_parsing", "dates before 1600 are not supported as unix timestamps");
        }
        BigDecimal micros = seconds.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal[] split = micros.divideAndRemainder(BigDecimal.valueOf(1_000_000));
        long epochSecond = split[0].longValueExact();
        long microOfSecond = split[1].longValueExact();
        if (microOfSecond < 0) {
            epochSecond -= 1;
            microOfSecond += 1_000_000;
        }
        return Parsed.ok(Instant.ofEpochSecond(epochSecond, microOfSecond * 1000));
    }

    private static @Nullable String dateProblem(String s) {
        if (s.length() < 10) {
            return "input is too short";
        }
        if (!digits(s, 0, 4)) {
            return "invalid character in year";
        }
        if (s.charAt(4) != '-') {
            return "invalid date separator, expected `-`";
        }
        if (!digits(s, 5, 7)) {
            return "invalid character in month";
        }
        if (s.charAt(7) != '-') {
            return "invalid date separator, expected `-`";
        }
        if (!digits(s, 8, 10)) {
            return "invalid character in day";
        }
        int year = Integer.parseInt(s.substring(0, 4));
        int month = Integer.parseInt(s.substring(5, 7));
        int day = Integer.parseInt(s.substring(8, 10));
        if (month < 1 || month > 12) {
            return "month value is outside expected range of 1-12";
        }
        int maxDay = java.time.YearMonth.of(year, month).lengthOfMonth();
        if (day < 1 || day > maxDay) {
            return "day value is outside expected range";
        }
        return null;
    }

    /** Parses {@code [Tt_ ]HH:MM[:SS[.fraction]][Z|z|±HH[[:]MM]]} after a valid date; null if it does not parse. */
    private static @Nullable Instant timeAfterDate(LocalDate date, String s) {
        char sep = s.charAt(10);
        if (sep != 'T' && sep != 't' && sep != '_' && sep != ' ') {
            return null;
        }
        int p = 11;
        if (s.length() < p + 5 || !digits(s, p, p + 2) || s.charAt(p + 2) != ':' || !digits(s, p + 3, p + 5)) {
            return null;
        }
        int hour = Integer.parseInt(s.substring(p, p + 2));
        int minute = Integer.parseInt(s.substring(p + 3, p + 5));
        int second = 0;
        long nanos = 0;
        p += 5;
        if (p < s.length() && s.charAt(p) == ':') {
            if (!digits(s, p + 1, p + 3)) {
                return null;
            }
            second = Integer.parseInt(s.substring(p + 1, p + 3));
            p += 3;
            if (p < s.length() && (s.charAt(p) == '.' || s.charAt(p) == ',')) {
                int start = ++p;
                while (p < s.length() && Character.isDigit(s.charAt(p)) && s.charAt(p) < 128) {
                    p++;
                }
                if (p == start) {
                    return null;
                }
                String fraction = (s.substring(start, Math.min(p, start + 6)) + "000000").substring(0, 6);
                nanos = Long.parseLong(fraction) * 1000; // Python keeps microseconds; the rest is truncated
            }
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int offsetSeconds = 0;
        if (p < s.length()) {
            char tz = s.charAt(p);
            if (tz == 'Z' || tz == 'z') {
                p++;
            } else if (tz == '+' || tz == '-') {
                int sign = tz == '+' ? 1 : -1;
                p++;
                if (!digits(s, p, p + 2)) {
                    return null;
                }
                int offHours = Integer.parseInt(s.substring(p, p + 2));
                p += 2;
                int offMinutes = 0;
                if (p < s.length()) {
                    if (s.charAt(p) == ':') {
                        p++;
                    }
                    if (!digits(s, p, p + 2)) {
                        return null;
                    }
                    offMinutes = Integer.parseInt(s.substring(p, p + 2));
                    p += 2;
                }
                if (offHours > 23 || offMinutes > 59) {
                    return null;
                }
                offsetSeconds = sign * (offHours * 3600 + offMinutes * 60);
            } else {
                return null;
            }
        }
        if (p != s.length()) {
            return null;
        }
        try {
            return LocalDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute, second,
                    (int) nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
