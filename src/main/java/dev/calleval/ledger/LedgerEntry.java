package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

/**
 * One ledger row as read back: identity, state and where it came from.
 *
 * @param endpoint the Bluejay endpoint the call is sent to; part of the call's identity with agent and source id
 */
public record LedgerEntry(
        long id,
        BluejayEndpoint endpoint,
        String agentKey,
        String sourceId,
        LedgerState state,
        @Nullable String callId,
        @Nullable String fingerprint,
        int attempts,
        boolean inDoubt,
        @Nullable String lastError,
        @Nullable String sourceRef,
        @Nullable Long jobExecutionId,
        @Nullable Instant submittedAt,
        @Nullable Instant updatedAt) {

    /** Maps a {@code call_ledger} row ({@code SELECT *}). */
    static final RowMapper<LedgerEntry> MAPPER = (rs, n) -> new LedgerEntry(
            rs.getLong("id"), new BluejayEndpoint(rs.getString("endpoint")), rs.getString("agent_key"), rs.getString("source_id"),
            LedgerState.valueOf(rs.getString("state")),
            rs.getString("call_id"), rs.getString("fingerprint"), rs.getInt("attempts"), rs.getBoolean("in_doubt"),
            rs.getString("last_error"), rs.getString("source_ref"), rs.getObject("job_execution_id", Long.class),
            Claims.instant(rs, "submitted_at"), Claims.instant(rs, "updated_at"));
}
