package dev.calleval.reevaluate;

import dev.calleval.ledger.Reevaluations;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which evaluated calls of a job a round re-evaluates: those one evaluate execution read, or those first accepted in
 * {@code [since, until)}, or all; narrowed to {@code callIds} (the manifest's call id or Bluejay's call id) and to the
 * calls whose latest evaluation passes every condition.
 *
 * @param executionId an evaluate job execution id, or null
 * @param since UTC, inclusive, or null
 * @param until UTC, exclusive, or null
 */
public record Selection(@Nullable Long executionId, @Nullable Instant since, @Nullable Instant until, List<String> callIds,
        List<Condition> where) {

    public Selection {
        callIds = List.copyOf(callIds);
        where = List.copyOf(where);
        if (executionId != null && (since != null || until != null)) {
            throw new IllegalArgumentException("--execution and --since/--until exclude each other");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--until " + until + " is not after --since " + since);
        }
    }

    /** Whether {@code call} is chosen (its execution and time window are the ledger query's). */
    public boolean matches(Reevaluations.Evaluated call) {
        if (!callIds.isEmpty()) {
            Set<String> ids = Set.copyOf(callIds);
            if (!ids.contains(call.sourceId()) && !ids.contains(call.callId())) {
                return false;
            }
        }
        return where.stream().allMatch(c -> c.test(call.latest()));
    }

    /**
     * The selection as one line, e.g. {@code execution=3 where=goal_success=false}: the round's identifying job
     * parameter, so that running the same command again after a failed round restarts that round, and shown in reports.
     */
    public String key() {
        StringBuilder key = new StringBuilder();
        if (executionId != null) {
            key.append("execution=").append(executionId).append(' ');
        }
        if (since != null) {
            key.append("since=").append(since).append(' ');
        }
        if (until != null) {
            key.append("until=").append(until).append(' ');
        }
        if (!callIds.isEmpty()) {
            key.append("call-ids=").append(callIds.stream().sorted().distinct().collect(Collectors.joining(","))).append(' ');
        }
        where.stream().map(Condition::toString).sorted().forEach(c -> key.append("where=").append(c).append(' '));
        return key.isEmpty() ? "all" : key.toString().trim();
    }
}
