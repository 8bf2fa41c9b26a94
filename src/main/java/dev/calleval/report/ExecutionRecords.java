package dev.calleval.report;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.ledger.Disposition;
import dev.calleval.ledger.LedgerState;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The report's read model of an evaluate job execution, read from the calls ledger's tables ({@code execution_call}
 * joined to {@code call_ledger}, and {@code rejection}): its counts by disposition and state, the executions it left
 * calls to, and its calls and rejected rows one at a time in input order (for {@code summary.json}, {@code calls.csv},
 * {@code rejects.csv} and {@code report.html}). Read only. Thread-safe.
 */
@Repository
public class ExecutionRecords {
    private final NamedParameterJdbcTemplate jdbc;

    /** Records read with {@code jdbc}. */
    public ExecutionRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Rows this execution read, by what it did with them and the ledger state each call is in now. Together
     * with {@link #localRejectionCount} they add up to the rows read.
     *
     * @return (disposition, state) → count
     */
    public Map<String, Long> dispositionCounts(long executionId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT e.disposition, l.state, COUNT(*) AS n FROM execution_call e JOIN call_ledger l ON l.id = e.ledger_id
                WHERE e.job_execution_id = :exec GROUP BY e.disposition, l.state""",
                Map.of("exec", executionId),
                (ResultSet rs) -> {
                    counts.put(rs.getString("disposition") + "/" + rs.getString("state"), rs.getLong("n"));
                });
        return counts;
    }

    /** The executions, still running at the time, that {@code executionId} left calls to ({@link Disposition#RUNNING_ELSEWHERE}). */
    public List<Long> runningElsewhereOwners(long executionId) {
        return jdbc.queryForList("""
                SELECT DISTINCT owner_execution_id FROM execution_call
                WHERE job_execution_id = :exec AND disposition = 'RUNNING_ELSEWHERE' AND owner_execution_id IS NOT NULL
                ORDER BY owner_execution_id""", Map.of("exec", executionId), Long.class);
    }

    /**
     * One call a job execution read, with its ledger state and result, for {@code calls.csv} and {@code report.html}.
     *
     * @param transcriptRef where its transcript came from (absolute path or URL), null without one
     * @param transcriptFormat the format id the transcript file was read as, null without a local file
     * @param endpoint the Bluejay endpoint the call was sent to ({@link BluejayEndpoint#key})
     * @param redactions what redaction replaced before the call was sent ({@code email=1;phone=2}, empty when nothing);
     *     null when the job did not redact
     */
    public record ExecutionCallRow(long line, String sourceRef, String sourceId, Disposition disposition, LedgerState state,
            @Nullable String callId, int attempts, boolean inDoubt, @Nullable String bluejayStatus, @Nullable String resultVia,
            @Nullable Boolean goalSuccess, @Nullable Boolean hallucination, @Nullable Integer numTurns,
            @Nullable Double agentSpeakPercentage, @Nullable Double latencyP50, @Nullable Double latencyP90,
            @Nullable String customMetricsJson, @Nullable String lastError, @Nullable String transcriptRef,
            @Nullable String transcriptFormat, String endpoint, @Nullable String redactions) {

        /** Whether the call was redacted before it was sent (the job had redaction on). */
        public boolean redacted() {
            return redactions != null;
        }
    }

    /** Streams the calls an execution read, in input order, without holding them all in memory. */
    public void forEachExecutionCall(long executionId, Consumer<ExecutionCallRow> consumer) {
        jdbc.query("""
                SELECT e.line, e.source_ref, e.disposition, e.transcript_ref, e.transcript_format, e.redactions, l.* FROM execution_call e
                JOIN call_ledger l ON l.id = e.ledger_id
                WHERE e.job_execution_id = :exec ORDER BY e.line""", Map.of("exec", executionId), (ResultSet rs) -> {
            consumer.accept(new ExecutionCallRow(rs.getLong("line"), rs.getString("source_ref"), rs.getString("source_id"),
                    Disposition.valueOf(rs.getString("disposition")), LedgerState.valueOf(rs.getString("state")), rs.getString("call_id"),
                    rs.getInt("attempts"), rs.getBoolean("in_doubt"), rs.getString("bluejay_status"), rs.getString("result_source"),
                    rs.getObject("goal_success", Boolean.class), rs.getObject("hallucination", Boolean.class),
                    rs.getObject("num_turns", Integer.class), rs.getObject("agent_speak_pct", Double.class),
                    rs.getObject("latency_p50", Double.class), rs.getObject("latency_p90", Double.class),
                    rs.getString("custom_metrics"), rs.getString("last_error"), rs.getString("transcript_ref"),
                    rs.getString("transcript_format"), rs.getString("endpoint"), rs.getString("redactions")));
        });
    }

    /** One rejected input row, for {@code rejects.csv}. {@code origin}: LOCAL (validation) or API (422/4xx). */
    public record RejectionRow(long line, String sourceRef, @Nullable String sourceId, String fields, String reason, String origin) {}

    /** Streams an execution's rejected rows in input order. */
    public void forEachRejection(long executionId, Consumer<RejectionRow> consumer) {
        jdbc.query("SELECT * FROM rejection WHERE job_execution_id = :exec ORDER BY line, id", Map.of("exec", executionId), (ResultSet rs) -> {
            consumer.accept(new RejectionRow(rs.getLong("line"), rs.getString("source_ref"), rs.getString("source_id"),
                    rs.getString("fields"), rs.getString("reason"), rs.getString("origin")));
        });
    }

    /** Rows of this execution rejected by local validation (API rejections are also execution calls). */
    public long localRejectionCount(long executionId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM rejection WHERE job_execution_id = :exec AND origin = 'LOCAL'", Map.of("exec", executionId), Long.class);
        return n == null ? 0 : n;
    }
}
