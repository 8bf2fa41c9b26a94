package dev.calleval.bluejay;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call as Bluejay stores it: {@code CallLog} (§2.2), which is also the body of the
 * {@code observability_call_evaluated} webhook minus {@code type} (§3.3). {@code agentId} may arrive as a JSON
 * number; it is read as a string. Unknown fields are ignored; {@code status} is an open enum.
 */
public record CallLog(
        String id,
        @Nullable String agentId,
        @Nullable String externalAgentId,
        @Nullable String startTimeUtc,
        @Nullable CallStatus status,
        @Nullable String createdAt,
        @Nullable Long durationMs,
        @Nullable List<String> tags,
        @Nullable List<Evaluation> evaluations,
        @Nullable Map<String, Object> metadata) {

    /** The newest evaluation by {@code created_at} (the last one when none carries a time). */
    public Optional<Evaluation> latestEvaluation() {
        if (evaluations == null || evaluations.isEmpty()) {
            return Optional.empty();
        }
        return evaluations.stream()
                .max(Comparator.comparing(
                        (Evaluation e) -> e.createdAt() == null ? null : e.createdAt().toInstant(),
                        Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /** The {@code metadata} value under {@code key} as a string, if present. */
    public Optional<String> metadataValue(String key) {
        return metadata == null || metadata.get(key) == null
                ? Optional.empty()
                : Optional.of(String.valueOf(metadata.get(key)));
    }
}
