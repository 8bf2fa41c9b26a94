package dev.calleval.transcript;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Exact time conversions for parsers: seconds (JSON numbers or strings such as {@code "3.14"}) to integer
 * milliseconds without floating-point error ({@code 0.29} s is 290 ms, not 289), rounded half-up.
 */
final class Times {
    private Times() {}

    /** {@code seconds} × 1000, exactly, rounded half-up to whole ms. */
    public static long secondsToMs(BigDecimal seconds) {
        return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * A time in seconds from a JSON field (number or numeric string).
     *
     * @param field the entry's path, e.g. {@code results.items[3]}; the problem's field is that path plus {@code name}
     * @throws TranscriptException missing, not a number, or negative
     */
    public static long secondsField(JsonNode node, String name, String field, String shownAs) throws TranscriptException {
        JsonNode value = node.get(name);
        BigDecimal seconds = decimal(value);
        if (seconds == null) {
            throw new TranscriptException(TranscriptParser.field(field) + "." + name, field + "." + name + " is " + describe(value)
                    + ", expected a number of seconds, in " + shownAs);
        }
        return secondsToMs(seconds);
    }

    /**
     * A time in milliseconds from a JSON field (an integer, or a number with a zero fraction).
     *
     * @throws TranscriptException missing or not a whole number
     */
    public static long msField(JsonNode node, String name, String field, String shownAs) throws TranscriptException {
        JsonNode value = node.get(name);
        BigDecimal ms = decimal(value);
        if (ms == null || ms.stripTrailingZeros().scale() > 0) {
            throw new TranscriptException(TranscriptParser.field(field) + "." + name, field + "." + name + " is " + describe(value)
                    + ", expected whole milliseconds, in " + shownAs);
        }
        return ms.longValueExact();
    }

    /** A JSON number or numeric string as a decimal; null otherwise. */
    public static @Nullable BigDecimal decimal(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isString()) {
            try {
                return new BigDecimal(value.asString().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A JSON value for a message: {@code missing}, {@code null}, or the value itself, abbreviated. */
    public static String describe(@Nullable JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
