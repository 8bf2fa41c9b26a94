package dev.calleval.redaction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many values a redaction replaced, per type id ({@code email}, {@code phone}, ..., or a pattern's name). Never
 * holds a replaced value. Immutable.
 *
 * @param counts type id → values replaced (only types with at least one)
 */
public record RedactionCounts(Map<String, Integer> counts) {
    /** Nothing replaced. */
    public static final RedactionCounts NONE = new RedactionCounts(Map.of());

    public RedactionCounts {
        counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    /** Values replaced in all. */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** These counts and {@code other}'s added. */
    public RedactionCounts plus(RedactionCounts other) {
        if (other.counts.isEmpty()) {
            return this;
        }
        Map<String, Integer> sum = new LinkedHashMap<>(counts);
        other.counts.forEach((k, v) -> sum.merge(k, v, Integer::sum));
        return new RedactionCounts(sum);
    }

    /**
     * As {@code calls.csv} shows it: {@code type=count} pairs by type id, {@code ;}-separated ({@code email=1;phone=2}),
     * empty when nothing was replaced.
     */
    @Override
    public String toString() {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }
}
