package dev.calleval.ledger;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

/**
 * One call of one re-evaluation round ({@code reevaluation} joined with its {@code call_ledger} row): what the round did
 * with it, the evaluation it replaced and the one it got.
 *
 * @param rowId the {@code reevaluation} row
 * @param sourceId the manifest's call id (or the S3 source id) of the call
 * @param callId Bluejay's call id
 * @param old the call's latest evaluation when the round claimed it (the first result, or an earlier round's); null
 *     when the row was claimed but not yet filled in (a crash between the two statements)
 * @param current the new evaluation; null until it arrives
 * @param lastError why it was rejected or failed, or what left it in doubt; null otherwise
 * @param sentAt when Bluejay accepted the re-evaluation (UTC)
 */
public record RoundCall(long rowId, String sourceId, String callId, ReevaluationState state, boolean inDoubt, int attempts,
        @Nullable CallResult old, @Nullable CallResult current, @Nullable String lastError, @Nullable Instant sentAt) {

    /** Maps {@code reevaluation r} joined with {@code call_ledger l} (columns of r, plus {@code source_id}). */
    static final RowMapper<RoundCall> MAPPER = (rs, n) -> {
        String oldState = rs.getString("old_state");
        CallResult old = oldState == null ? null : new CallResult(LedgerState.valueOf(oldState), rs.getString("old_bluejay_status"), "EARLIER",
                rs.getString("old_evaluation_id"), rs.getObject("old_goal_success", Boolean.class), rs.getObject("old_hallucination", Boolean.class),
                rs.getObject("old_num_turns", Integer.class), rs.getObject("old_agent_speak_pct", Double.class),
                rs.getObject("old_latency_p50", Double.class), rs.getObject("old_latency_p90", Double.class), rs.getString("old_custom_metrics"), null);
        ReevaluationState state = ReevaluationState.valueOf(rs.getString("state"));
        CallResult current = !state.hasResult() ? null : new CallResult(state == ReevaluationState.EVALUATED ? LedgerState.EVALUATED
                : LedgerState.INCOMPLETE, rs.getString("new_bluejay_status"), rs.getString("result_source"), rs.getString("new_evaluation_id"),
                rs.getObject("new_goal_success", Boolean.class), rs.getObject("new_hallucination", Boolean.class),
                rs.getObject("new_num_turns", Integer.class), rs.getObject("new_agent_speak_pct", Double.class),
                rs.getObject("new_latency_p50", Double.class), rs.getObject("new_latency_p90", Double.class), rs.getString("new_custom_metrics"), null);
        return new RoundCall(rs.getLong("id"), rs.getString("source_id"), rs.getString("call_id"), state, rs.getBoolean("in_doubt"),
                rs.getInt("attempts"), old, current, rs.getString("last_error"), Claims.instant(rs, "sent_at"));
    };
}
