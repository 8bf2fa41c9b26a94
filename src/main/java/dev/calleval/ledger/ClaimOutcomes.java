package dev.calleval.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

import static dev.calleval.database.Columns.truncate;

/**
 * The outcome half of the claim protocol ({@link Claims}) for one {@link ClaimTable}: an outcome is written only by the
 * execution that owns the row ({@code job_execution_id}) and only over PENDING or in doubt, so a slow request's outcome
 * is never lost to a later run's verdict, a late outcome never overwrites a later claim, and an outcome recorded is
 * final. The last error is stored truncated to 4,000 characters. Methods join the caller's transaction. Thread-safe.
 */
public final class ClaimOutcomes {
    /**
     * A column value in {@link #record(Outcome)} that stands for the time the outcome is recorded (the same instant as
     * {@code updated_at}).
     */
    public static final Object NOW = new Object() {
        @Override
        public String toString() {
            return "NOW";
        }
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ClaimTable table;

    /** Outcomes over {@code table}'s rows, stamped with {@code clock}'s time. */
    public ClaimOutcomes(NamedParameterJdbcTemplate jdbc, Clock clock, ClaimTable table) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.table = table;
    }

    /**
     * One outcome of a row this execution owns, for {@link #record(List)}.
     *
     * @param attempts HTTP attempts this run made (added to the row's)
     * @param error the last error (stored truncated to 4,000 characters), null to clear it
     * @param columns other columns to set, e.g. {@code state} → {@code SUBMITTED}; a value {@link #NOW} is the time
     *     recorded, an {@link Instant} is stored as UTC
     */
    public record Outcome(long rowId, long executionId, int attempts, @Nullable String error, Map<String, @Nullable Object> columns) {
        public Outcome {
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            columns.keySet().forEach(ClaimTable::checkName);
        }
    }

    /**
     * Records an outcome over a row that {@code executionId} owns and that is still PENDING or in doubt; any other row
     * (claimed since by another run, outcome already recorded) is left as it is.
     *
     * @return true when the row changed
     */
    public boolean record(Outcome outcome) {
        return record(List.of(outcome)) == 1;
    }

    /**
     * {@link #record(Outcome)} for many rows in one JDBC batch (outcomes of requests that end together); all of them
     * must set the same columns.
     *
     * @return how many rows changed
     * @throws IllegalArgumentException when the outcomes set different columns
     */
    public int record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        Set<String> columns = outcomes.get(0).columns().keySet();
        if (outcomes.stream().anyMatch(o -> !o.columns().keySet().equals(columns))) {
            throw new IllegalArgumentException("the outcomes of one batch set different columns");
        }
        StringBuilder set = new StringBuilder();
        columns.forEach(c -> set.append(c).append(" = :c_").append(c).append(", "));
        table.clearedOnOutcome().stream().filter(c -> !columns.contains(c)).forEach(c -> set.append(c).append(" = NULL, "));
        set.append("attempts = attempts + :attempts, last_error = :error, updated_at = :now");
        OffsetDateTime now = Claims.utc(clock.instant());
        SqlParameterSource[] batch = outcomes.stream().map(o -> {
            MapSqlParameterSource p = new MapSqlParameterSource("id", o.rowId()).addValue("exec", o.executionId())
                    .addValue("attempts", o.attempts()).addValue("error", o.error() == null ? null : truncate(o.error(), 4000))
                    .addValue("now", now);
            o.columns().forEach((c, v) -> p.addValue("c_" + c, v == NOW ? now : v instanceof Instant i ? Claims.utc(i) : v));
            return p;
        }).toArray(SqlParameterSource[]::new);
        int[] counts = jdbc.batchUpdate("UPDATE " + table.name() + " SET " + set + " WHERE id = :id AND job_execution_id = :exec"
                + " AND state IN (" + table.ownedStates() + ")", batch);
        return Arrays.stream(counts).map(n -> n > 0 ? 1 : 0).sum();
    }

    /** Not applied, for good in this execution (retries exhausted, circuit open, run stopped): the next run claims it. */
    public boolean markFailed(long rowId, long executionId, String error, int attempts) {
        return record(new Outcome(rowId, executionId, attempts, error, Map.of("state", Objects.requireNonNull(table.stateIn(ClaimPhase.FAILED)))));
    }

    /**
     * An ambiguous failure: it may have been applied. The row is marked in doubt (its in-doubt column, or its in-doubt
     * state), so that a crash before it is resolved still leaves it marked.
     */
    public boolean markInDoubt(long rowId, long executionId, String error, int attempts) {
        Map<String, @Nullable Object> columns = table.inDoubtColumn() != null ? Map.of(table.inDoubtColumn(), true)
                : Map.of("state", Objects.requireNonNull(table.stateIn(ClaimPhase.IN_DOUBT)));
        return record(new Outcome(rowId, executionId, attempts, error, columns));
    }
}
