package dev.calleval.enrich;

import java.sql.ResultSet;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The enrich report's read model: the logs a job execution read ({@code simulation_update_item}) with the state their
 * result is in now ({@code simulation_update}), for {@code updates.csv} and {@code summary.json}. Read only.
 * Thread-safe.
 */
@Repository
class SimulationUpdateRecords {
    private final NamedParameterJdbcTemplate jdbc;

    SimulationUpdateRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One log an execution read: what the run did with it and the state it ended in.
     *
     * @param line the manifest line; 0 for a directory listing
     * @param state {@link UpdateDisposition#stateIn} the ledger's state now
     * @param attempts HTTP attempts for the result over all runs (0 for a log never posted)
     * @param error the ledger's last error, or why the log was not posted
     * @param fields the rejected fields, for a REJECTED log
     */
    record Item(long seq, String file, long line, @Nullable String resultId, UpdateDisposition disposition, UpdateState state,
            int attempts, @Nullable String error, @Nullable String fields) {}

    /** Streams the logs an execution read, in the order read. */
    void forEachItem(long executionId, Consumer<Item> consumer) {
        jdbc.query("""
                SELECT i.seq, i.source_ref, i.line, i.simulation_result_id, i.disposition, i.fields, i.reason,
                       u.state, u.attempts, u.last_error, u.error_fields
                FROM simulation_update_item i LEFT JOIN simulation_update u ON u.id = i.update_id
                WHERE i.job_execution_id = :exec ORDER BY i.seq""", Map.of("exec", executionId), (ResultSet rs) -> {
            UpdateDisposition disposition = UpdateDisposition.valueOf(rs.getString("disposition"));
            String ledgerState = rs.getString("state");
            UpdateState state = disposition.stateIn(ledgerState == null ? UpdateState.REJECTED : UpdateState.valueOf(ledgerState));
            String reason = rs.getString("reason");
            String lastError = rs.getString("last_error");
            boolean fromLedger = disposition.posted() || disposition == UpdateDisposition.ALREADY_REJECTED
                    || disposition == UpdateDisposition.LEFT_IN_DOUBT || disposition == UpdateDisposition.FOUND_PENDING;
            String error = fromLedger ? lastError : reason;
            String fields = rs.getString("fields");
            if (fromLedger && state == UpdateState.REJECTED) {
                fields = rs.getString("error_fields");
            }
            consumer.accept(new Item(rs.getLong("seq"), rs.getString("source_ref"), rs.getLong("line"), rs.getString("simulation_result_id"),
                    disposition, state, ledgerState == null ? 0 : rs.getInt("attempts"), error, fields));
        });
    }
}
