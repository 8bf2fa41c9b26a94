package dev.calleval.report;

import dev.calleval.simulation.SimulationStore;
import dev.calleval.webhook.WebhookInbox;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What {@code calleval status} shows, read from the state store: recent job executions with their counts (calls for an
 * evaluate job, simulation logs for an enrich job) and the Bluejay endpoint each sent to, calls waiting for a result or in
 * doubt per endpoint, update-simulation-result
 * posts by state, the webhook inbox by event type (unknown types included), and recent simulation
 * runs with their results' progress. Times are UTC.
 */
@Component
public class StatusReport {
    private final NamedParameterJdbcTemplate jdbc;
    private final WebhookInbox inbox;
    private final SimulationStore simulations;

    public StatusReport(NamedParameterJdbcTemplate jdbc, WebhookInbox inbox, SimulationStore simulations) {
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.simulations = simulations;
    }

    /**
     * One job execution: its Spring Batch status and what it did with its input rows (disposition counts).
     *
     * @param endpoint the Bluejay endpoint it sent to ({@code sandbox} or a normalised base URL); null for an execution
     *     from before endpoints were recorded
     * @param leftOut calls it left out by its job's {@code sampling:} (not sampled, or deferred past {@code max-calls})
     */
    public record Execution(long id, String job, String status, @Nullable OffsetDateTime start, @Nullable OffsetDateTime end,
            long rowsClaimed, long alreadyDone, long rejected, @Nullable String endpoint, long leftOut) {}

    /**
     * Ledger totals over all jobs (or one job).
     *
     * @param notSampled calls outside their job's {@code sampling.percent} (NOT_SAMPLED): sent only if a later sample includes them
     * @param deferred calls past a run's {@code sampling.max-calls} (DEFERRED): the next run sends them
     */
    public record Calls(long waitingForResult, long overdue, long inDoubt, long failed, long evaluated, long incomplete, long notSampled,
            long deferred) {
        /** No call. */
        public static final Calls NONE = new Calls(0, 0, 0, 0, 0, 0, 0, 0);

        /**
         * One line for {@code status} and {@code reconcile}, e.g. {@code 15 evaluated, 0 incomplete, ...}; the calls left
         * out by sampling only when there are some.
         */
        public String line() {
            return String.format("%d evaluated, %d incomplete, %d waiting for a result, %d overdue, %d pending or in doubt, %d failed "
                    + "(next run retries)", evaluated, incomplete, waitingForResult, overdue, inDoubt, failed)
                    + (notSampled > 0 ? ", " + notSampled + " not sampled" : "")
                    + (deferred > 0 ? ", " + deferred + " deferred (next run sends them)" : "");
        }

        Calls plus(Calls b) {
            return new Calls(waitingForResult + b.waitingForResult, overdue + b.overdue, inDoubt + b.inDoubt, failed + b.failed,
                    evaluated + b.evaluated, incomplete + b.incomplete, notSampled + b.notSampled, deferred + b.deferred);
        }
    }

    /**
     * The whole snapshot. {@code calls}: the ledger's totals over every endpoint; {@code callsByEndpoint}: the same per
     * Bluejay endpoint the calls were sent to, in key order (empty when the ledger has no call); {@code simulationUpdates}:
     * update-simulation-result posts by state (POSTED, IN_DOUBT, ...).
     */
    public record Snapshot(List<Execution> executions, Calls calls, Map<String, Calls> callsByEndpoint, Map<String, Long> simulationUpdates,
            List<WebhookInbox.TypeCount> webhooks, List<SimulationStore.RunView> simulationRuns, List<Map<String, Object>> queueRequestsInDoubt) {}

    /**
     * @param job only this job's executions and calls; null for all
     * @param limit the most executions and simulation runs listed
     */
    public Snapshot snapshot(@Nullable String job, int limit) {
        MapSqlParameterSource p = new MapSqlParameterSource("job", job).addValue("limit", limit);
        List<Execution> executions = jdbc.query("""
                SELECT e.JOB_EXECUTION_ID AS id, i.JOB_NAME AS job, e.STATUS AS status, e.START_TIME AS start_time, e.END_TIME AS end_time,
                       (SELECT COUNT(*) FROM execution_call c WHERE c.job_execution_id = e.JOB_EXECUTION_ID AND c.disposition IN ('CLAIMED', 'IN_DOUBT_RESENT'))
                         + (SELECT COUNT(*) FROM simulation_update_item u WHERE u.job_execution_id = e.JOB_EXECUTION_ID AND u.disposition IN ('CLAIMED', 'RESENT_IN_DOUBT')) AS claimed,
                       (SELECT COUNT(*) FROM execution_call c WHERE c.job_execution_id = e.JOB_EXECUTION_ID AND c.disposition = 'ALREADY_DONE')
                         + (SELECT COUNT(*) FROM simulation_update_item u WHERE u.job_execution_id = e.JOB_EXECUTION_ID AND u.disposition IN ('ALREADY_POSTED', 'CHANGED_AFTER_POST')) AS done,
                       (SELECT COUNT(*) FROM execution_call c WHERE c.job_execution_id = e.JOB_EXECUTION_ID AND c.disposition IN ('NOT_SAMPLED', 'DEFERRED')) AS left_out,
                       (SELECT COUNT(*) FROM rejection r WHERE r.job_execution_id = e.JOB_EXECUTION_ID)
                         + (SELECT COUNT(*) FROM simulation_update_item u WHERE u.job_execution_id = e.JOB_EXECUTION_ID AND u.disposition = 'INVALID') AS rejected,
                       (SELECT MIN(p.PARAMETER_VALUE) FROM BATCH_JOB_EXECUTION_PARAMS p
                         WHERE p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID AND p.PARAMETER_NAME = 'endpoint') AS endpoint
                FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
                WHERE (CAST(:job AS VARCHAR(200)) IS NULL OR i.JOB_NAME = :job)
                ORDER BY e.JOB_EXECUTION_ID DESC FETCH FIRST :limit ROWS ONLY""", p,
                (rs, n) -> new Execution(rs.getLong("id"), rs.getString("job"), rs.getString("status"),
                        time(rs.getTimestamp("start_time")), time(rs.getTimestamp("end_time")), rs.getLong("claimed"),
                        rs.getLong("done"), rs.getLong("rejected"), rs.getString("endpoint"), rs.getLong("left_out")));
        Map<String, Calls> byEndpoint = new java.util.TreeMap<>();
        jdbc.query("""
                SELECT endpoint,
                       SUM(CASE WHEN state = 'SUBMITTED' THEN 1 ELSE 0 END) AS waiting,
                       SUM(CASE WHEN state = 'OVERDUE' THEN 1 ELSE 0 END) AS overdue,
                       SUM(CASE WHEN state = 'PENDING' THEN 1 ELSE 0 END) AS in_doubt,
                       SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                       SUM(CASE WHEN state = 'EVALUATED' THEN 1 ELSE 0 END) AS evaluated,
                       SUM(CASE WHEN state = 'INCOMPLETE' THEN 1 ELSE 0 END) AS incomplete,
                       SUM(CASE WHEN state = 'NOT_SAMPLED' THEN 1 ELSE 0 END) AS not_sampled,
                       SUM(CASE WHEN state = 'DEFERRED' THEN 1 ELSE 0 END) AS deferred
                FROM call_ledger WHERE (CAST(:job AS VARCHAR(200)) IS NULL OR job_name = :job) GROUP BY endpoint""", p,
                (java.sql.ResultSet rs) -> {
                    byEndpoint.put(rs.getString("endpoint"), new Calls(rs.getLong("waiting"), rs.getLong("overdue"), rs.getLong("in_doubt"),
                            rs.getLong("failed"), rs.getLong("evaluated"), rs.getLong("incomplete"), rs.getLong("not_sampled"), rs.getLong("deferred")));
                });
        Calls calls = byEndpoint.values().stream().reduce(Calls.NONE, Calls::plus);
        Map<String, Long> updates = new java.util.TreeMap<>();
        jdbc.query("SELECT state, COUNT(*) AS n FROM simulation_update GROUP BY state", Map.of(),
                (java.sql.ResultSet rs) -> { updates.put(rs.getString("state"), rs.getLong("n")); });
        return new Snapshot(executions, calls, byEndpoint, updates, inbox.countsByType(), simulations.recentRuns(limit), simulations.queueRequestsInDoubt());
    }

    private static @Nullable OffsetDateTime time(java.sql.@Nullable Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
}
