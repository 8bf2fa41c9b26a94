package dev.calleval.source;

import dev.calleval.s3.S3Location;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Date templates in S3 prefixes: {@code s3://bucket/calls/{date:yyyy/MM/dd}/} with {@code date = 2026-11-19} is
 * {@code s3://bucket/calls/2026/11/19/}. The pattern after {@code date:} is a {@link DateTimeFormatter} pattern;
 * {@code {date}} alone is {@code yyyy-MM-dd}.
 */
public final class PrefixTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{date(?::([^}]+))?}");

    private PrefixTemplate() {}

    /**
     * The location with every date placeholder filled in.
     *
     * @param date the date; may be null only when the template has no placeholder
     * @throws IllegalArgumentException for a bad pattern or a location that is not {@code s3://bucket/...}
     * @throws IllegalStateException when the template needs a date and none is given
     */
    public static S3Location resolve(String template, @Nullable LocalDate date) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (date == null) {
                throw new IllegalStateException("the prefix " + template + " needs a date: give --date yyyy-MM-dd");
            }
            DateTimeFormatter format;
            try {
                format = m.group(1) == null ? DateTimeFormatter.ISO_LOCAL_DATE : DateTimeFormatter.ofPattern(m.group(1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad date pattern '" + m.group(1) + "' in " + template + ": " + e.getMessage(), e);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(format.format(date)));
        }
        m.appendTail(out);
        return S3Location.parse(out.toString());
    }

    /**
     * Parses a {@code date} job parameter.
     *
     * @throws IllegalArgumentException naming the value when it is not {@code yyyy-MM-dd}
     */
    public static LocalDate parseDate(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date '" + value + "' is not a date; write yyyy-MM-dd, e.g. 2026-11-19");
        }
    }
}
