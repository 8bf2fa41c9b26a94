package dev.calleval.reevaluate;

import dev.calleval.ledger.CallResult;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One {@code --where FIELD=VALUE} (or {@code FIELD!=VALUE}) filter on a call's latest evaluation. Fields:
 * {@code goal_success}, {@code hallucination} ({@code true}, {@code false} or {@code null}), {@code num_turns} (an
 * integer or {@code null}), {@code status} (Bluejay's call status, e.g. {@code COMPLETED}, {@code INCOMPLETED}).
 *
 * @param field the field name as written
 * @param negated {@code !=}
 * @param value the value to compare with; null for {@code null}
 */
public record Condition(String field, boolean negated, @Nullable Object value) {
    /** The fields a condition may name, in the order the error message lists them. */
    public static final List<String> FIELDS = List.of("goal_success", "hallucination", "num_turns", "status");

    public Condition {
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("unknown field '" + field + "' in --where; known fields: " + String.join(", ", FIELDS));
        }
    }

    /**
     * Parses {@code FIELD=VALUE} or {@code FIELD!=VALUE}.
     *
     * @throws IllegalArgumentException naming the unknown field, or the value that does not fit its field
     */
    public static Condition parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--where '" + text + "' is not FIELD=VALUE (e.g. goal_success=false); known fields: "
                    + String.join(", ", FIELDS));
        }
        boolean negated = text.charAt(eq - 1) == '!';
        String field = text.substring(0, negated ? eq - 1 : eq).trim().toLowerCase(Locale.ROOT);
        String raw = text.substring(eq + 1).trim();
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("unknown field '" + field + "' in --where " + text + "; known fields: " + String.join(", ", FIELDS));
        }
        return new Condition(field, negated, value(field, raw));
    }

    private static @Nullable Object value(String field, String raw) {
        if (raw.equalsIgnoreCase("null")) {
            return null;
        }
        return switch (field) {
            case "goal_success", "hallucination" -> {
                if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("--where " + field + ": '" + raw + "' is not true, false or null");
                }
                yield Boolean.parseBoolean(raw.toLowerCase(Locale.ROOT));
            }
            case "num_turns" -> {
                try {
                    yield Integer.parseInt(raw);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--where num_turns: '" + raw + "' is not an integer or null");
                }
            }
            default -> raw.toUpperCase(Locale.ROOT);
        };
    }

    /** Whether {@code result} passes this condition. */
    public boolean test(CallResult result) {
        Function<CallResult, @Nullable Object> get = switch (field) {
            case "goal_success" -> CallResult::goalSuccess;
            case "hallucination" -> CallResult::hallucination;
            case "num_turns" -> CallResult::numTurns;
            default -> CallResult::bluejayStatus;
        };
        return Objects.equals(get.apply(result), value) != negated;
    }

    /** As written on the command line, normalised: {@code goal_success=false}. */
    @Override
    public String toString() {
        return field + (negated ? "!=" : "=") + (value == null ? "null" : value.toString());
    }
}
