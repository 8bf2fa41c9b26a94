package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import static dev.calleval.database.Columns.truncate;
import static dev.calleval.ledger.Claims.utc;

/**
 * The results side of the calls ledger ({@code call_ledger}), what reconciliation reads and writes: rows by Bluejay
 * call id or source id, the calls waiting for a result, results stored, calls marked OVERDUE. A result is stored
 * over any state but a final one (EVALUATED, INCOMPLETE), so a late or duplicate event changes nothing. Methods join
 * the caller's transaction when there is one. Thread-safe.
 */
@Repository
public class CallResults {
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    /** The calls ledger's results, stamped with {@code clock}'s time. */
    public CallResults(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The ledger row of a Bluejay call id. */
    public Optional<LedgerEntry> findByCallId(String callId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE call_id = :call", Map.of("call", callId), LedgerEntry.MAPPER).stream().findFirst();
    }

    /** Ledger rows with this source id (one per agent and endpoint). */
    public List<LedgerEntry> findBySourceId(String sourceId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE source_id = :source", Map.of("source", sourceId), LedgerEntry.MAPPER);
    }

    /**
     * Stores a result unless the call already has one: a terminal state is never changed by a late or duplicate
     * event. A PENDING call (result arrived before its submission was recorded) also takes the call id.
     *
     * @return true when the row changed
     */
    public boolean applyResult(long ledgerId, String callId, CallResult result) {
        Instant now = clock.instant();
        return jdbc.update("""
                UPDATE call_ledger SET state = :state, call_id = COALESCE(call_id, :call), bluejay_status = :status, result_source = :via,
                       evaluation_id = :eval, goal_success = :goal, hallucination = :halluc, num_turns = :turns,
                       agent_speak_pct = :speak, latency_p50 = :p50, latency_p90 = :p90, custom_metrics = :custom,
                       evaluation = :evaluation,
                       result_at = :now, updated_at = :now, submitted_at = COALESCE(submitted_at, :now)
                WHERE id = :id AND state NOT IN ('EVALUATED', 'INCOMPLETE')""",
                new MapSqlParameterSource("id", ledgerId)
                        .addValue("state", result.state().name())
                        .addValue("call", callId)
                        .addValue("status", result.bluejayStatus())
                        .addValue("via", result.via())
                        .addValue("eval", result.evaluationId())
                        .addValue("goal", result.goalSuccess())
                        .addValue("halluc", result.hallucination())
                        .addValue("turns", result.numTurns())
                        .addValue("speak", result.agentSpeakPercentage())
                        .addValue("p50", result.latencyP50())
                        .addValue("p90", result.latencyP90())
                        .addValue("custom", result.customMetricsJson() == null ? null : truncate(result.customMetricsJson(), 16000))
                        .addValue("evaluation", result.evaluationJson())
                        .addValue("now", utc(now))) == 1;
    }

    /**
     * How many calls this execution read were accepted but have no result yet (SUBMITTED or OVERDUE, with a call id).
     * A COUNT query: the reconcile step asks every pass, whatever the size of the run.
     */
    public long countAwaitingResults(long executionId) {
        Long n = jdbc.queryForObject("""
                SELECT COUNT(*) FROM execution_call e JOIN call_ledger l ON l.id = e.ledger_id
                WHERE e.job_execution_id = :exec AND l.state IN ('SUBMITTED', 'OVERDUE') AND l.call_id IS NOT NULL""",
                Map.of("exec", executionId), Long.class);
        return n == null ? 0 : n;
    }

    /**
     * One page of the calls in {@code scope} sent to {@code endpoint} that were accepted before {@code submittedBefore} and
     * have no result yet (SUBMITTED or OVERDUE, with a call id), in ledger id order after {@code afterId} (keyset
     * pagination: pass the last id of the previous page, or 0 for the first). Memory is bounded by {@code limit}, not by
     * the calls waiting. Only {@code endpoint}'s calls: another endpoint does not know their call ids.
     */
    public List<LedgerEntry> awaitingResults(CallScope scope, BluejayEndpoint endpoint, Instant submittedBefore, long afterId, int limit) {
        return jdbc.query("""
                SELECT * FROM call_ledger
                WHERE id > :after AND state IN ('SUBMITTED', 'OVERDUE') AND call_id IS NOT NULL AND submitted_at < :before
                  AND endpoint = :endpoint
                  AND (CAST(:job AS VARCHAR(200)) IS NULL OR job_name = :job)
                  AND (CAST(:exec AS BIGINT) IS NULL OR id IN (SELECT ledger_id FROM execution_call WHERE job_execution_id = :exec))
                ORDER BY id FETCH FIRST :limit ROWS ONLY""",
                new MapSqlParameterSource("exec", scope.executionId()).addValue("job", scope.jobName()).addValue("after", afterId)
                        .addValue("endpoint", endpoint.key()).addValue("before", utc(submittedBefore)).addValue("limit", limit), LedgerEntry.MAPPER);
    }

    /** Marks this execution's SUBMITTED calls sent before {@code cutoff} as OVERDUE. @return how many */
    public int markOverdue(long executionId, Instant cutoff) {
        return markOverdue(CallScope.execution(executionId), cutoff);
    }

    /** Marks the SUBMITTED calls in {@code scope} sent before {@code cutoff} as OVERDUE. @return how many */
    public int markOverdue(CallScope scope, Instant cutoff) {
        return jdbc.update("""
                UPDATE call_ledger SET state = 'OVERDUE', updated_at = :now
                WHERE state = 'SUBMITTED' AND submitted_at < :cutoff
                  AND (CAST(:job AS VARCHAR(200)) IS NULL OR job_name = :job)
                  AND (CAST(:exec AS BIGINT) IS NULL OR id IN (SELECT ledger_id FROM execution_call WHERE job_execution_id = :exec))""",
                new MapSqlParameterSource("exec", scope.executionId()).addValue("job", scope.jobName())
                        .addValue("cutoff", utc(cutoff)).addValue("now", utc(clock.instant())));
    }
}
