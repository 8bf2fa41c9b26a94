package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.ledger.ClaimOutcomes;
import dev.calleval.ledger.ClaimTable;
import dev.calleval.ledger.Claims;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;

import static dev.calleval.database.Columns.truncate;

/**
 * The update-simulation-result ledger's claims and outcomes ({@code simulation_update}: one row per simulation result,
 * see {@link UpdateState}), on the claim protocol shared with the calls ledger ({@link Claims}), and what each job
 * execution read ({@code simulation_update_item}; read back by {@link SimulationUpdateRecords}). Methods join the
 * caller's transaction when there is one: the enrich step claims a chunk's results inside the chunk transaction,
 * so claims commit together with the step's progress, and nothing is posted for a chunk that rolls back.
 *
 * <p>Rows belong to the Bluejay endpoint the update is posted to ({@link BluejayEndpoint}): an update posted to the
 * sandbox ({@code --sandbox}) is never counted posted for the real API; the key is {@code (endpoint, simulation_result_id)}.
 *
 * <p>Exactly once: a result is claimed by inserting it PENDING under the unique key {@code (endpoint, simulation_result_id)}
 * (in a savepoint, so that losing a race to another run does not abort the chunk), or by a conditional update of
 * a FAILED row, a REJECTED row whose log changed, or (only when asked) an IN_DOUBT row. Two runs never both claim
 * one result. POSTED rows are never claimed again. An outcome is recorded only by the execution that claimed the
 * row ({@code job_execution_id}), and only over PENDING or IN_DOUBT, so a slow post's outcome still wins over a
 * later run's "found PENDING" verdict. A PENDING row is in doubt whoever owns it (no liveness check: a run that finds
 * it records it IN_DOUBT; the owner's outcome, if it is still running, still wins). Thread-safe.
 */
@Repository
public class SimulationUpdateLedger {
    /**
     * {@code simulation_update} in the claim protocol: in doubt is a state of its own, resent only when asked; a row found
     * PENDING is marked IN_DOUBT, not resent; a claim or outcome clears the last refusal's fields.
     */
    public static final ClaimTable TABLE = new ClaimTable("simulation_update", List.of("simulation_result_id"),
            ClaimTable.phases(UpdateState.class, UpdateState::phase), null, List.of("last_error", "error_fields"), List.of("error_fields"),
            false, "left PENDING by job execution %s, which stopped while posting it: the update may have been applied; check in Bluejay, "
                    + "then re-run with --resend-in-doubt if it was not");

    private final NamedParameterJdbcTemplate jdbc;
    private final Claims claims;
    private final ClaimOutcomes outcomes;

    /** A ledger whose claims take their savepoints from {@code transactionManager} and their time from {@code clock}. */
    public SimulationUpdateLedger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.claims = new Claims(jdbc, transactionManager, clock, TABLE, Claims.LiveOwners.NONE);
        this.outcomes = new ClaimOutcomes(jdbc, clock, TABLE);
    }

    /** A result this execution now owns and must post. */
    public record Claim(long updateId, MappedUpdate.Accepted update, boolean resentInDoubt) {}

    /** One ledger row as read back. */
    public record Entry(long id, String simulationResultId, UpdateState state, String fingerprint, String sourceRef, int attempts,
            @Nullable String lastError, @Nullable String errorFields, long jobExecutionId, @Nullable Instant postedAt) {}

    /**
     * Decides, for each log of a chunk in input order, what this execution does with it, claims the results to
     * post, and records every log in {@code simulation_update_item}. Invalid logs and a second log for a result
     * already read in this execution are recorded without touching the ledger, except that an invalid log for an
     * already POSTED result is reported as {@link UpdateDisposition#CHANGED_AFTER_POST}.
     *
     * @param resendInDoubt claim IN_DOUBT rows again (the operator checked Bluejay); rows found PENDING are still
     *     only recorded IN_DOUBT
     * @param endpoint where the updates are posted: only its rows are looked at
     * @return the claims to post once the chunk has committed, in input order
     * @throws IllegalStateException when a result's row changed under other runs five times in a row
     */
    public List<Claim> claim(long executionId, String jobName, BluejayEndpoint endpoint, List<? extends MappedUpdate> updates,
            boolean resendInDoubt) {
        List<String> ids = updates.stream().map(MappedUpdate::resultId).filter(Objects::nonNull).distinct().toList();
        Map<List<String>, Claims.Row> existing = claims.find(endpoint, ids.stream().map(List::of).toList());
        Map<String, String> readBefore = readInExecution(executionId, ids);
        // first what is not for the ledger to decide, by position in the chunk; then the ledger's verdicts for the others
        MapSqlParameterSource[] items = new MapSqlParameterSource[updates.size()];
        Claim[] claimed = new Claim[updates.size()];
        List<Integer> toClaim = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            MappedUpdate update = updates.get(i);
            String id = update.resultId();
            SimulationLog log = update.log();
            if (id != null) {
                String first = readBefore.putIfAbsent(id, log.file());
                if (first != null) {
                    items[i] = item(executionId, log, id, null, UpdateDisposition.DUPLICATE, "simulation_result_id",
                            "simulation result " + id + " was already read in this run from " + first + "; only the first log is used");
                    continue;
                }
            }
            if (update instanceof MappedUpdate.Rejected rejected) {
                Claims.Row row = id == null ? null : existing.get(List.of(id));
                if (row != null && UpdateState.valueOf(row.state()) == UpdateState.POSTED) {
                    items[i] = item(executionId, log, id, row.id(), UpdateDisposition.CHANGED_AFTER_POST, rejected.fields(),
                            "already posted; changed input ignored (the log is now invalid: " + rejected.reason() + ")");
                } else {
                    items[i] = item(executionId, log, id, null, UpdateDisposition.INVALID, rejected.fields(), rejected.reason());
                }
                continue;
            }
            toClaim.add(i);
        }
        List<Claims.Decision> decisions = claims.claim(executionId, jobName, endpoint, toClaim.stream().map(i -> {
            MappedUpdate.Accepted u = (MappedUpdate.Accepted) updates.get(i);
            return new Claims.Candidate(List.of(u.resultId()), u.fingerprint(), u.log().file(), "simulation result " + u.resultId());
        }).toList(), existing, resendInDoubt);
        for (int n = 0; n < toClaim.size(); n++) {
            int i = toClaim.get(n);
            MappedUpdate.Accepted update = (MappedUpdate.Accepted) updates.get(i);
            Claims.Decision decision = decisions.get(n);
            UpdateDisposition disposition = disposition(decision.verdict());
            String note = disposition == UpdateDisposition.CHANGED_AFTER_POST ? "already posted; changed input ignored" : null;
            items[i] = item(executionId, update.log(), update.resultId(), decision.rowId(), disposition, null, note);
            if (disposition.posted()) {
                claimed[i] = new Claim(decision.rowId(), update, disposition == UpdateDisposition.RESENT_IN_DOUBT);
            }
        }
        List<Claim> claims = java.util.Arrays.stream(claimed).filter(Objects::nonNull).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        if (items.length > 0) {
            jdbc.batchUpdate("""
                    INSERT INTO simulation_update_item (job_execution_id, seq, source_ref, line, simulation_result_id, update_id,
                                                        disposition, fields, reason)
                    VALUES (:exec, :seq, :ref, :line, :id, :update, :disposition, :fields, :reason)""",
                    items);
        }
        return claims;
    }

    /** An update's disposition for the protocol's verdict (no owner counts as alive here: nothing runs elsewhere). */
    private static UpdateDisposition disposition(Claims.Verdict verdict) {
        return switch (verdict) {
            case CLAIMED -> UpdateDisposition.CLAIMED;
            case RESENT_IN_DOUBT -> UpdateDisposition.RESENT_IN_DOUBT;
            case DONE -> UpdateDisposition.ALREADY_POSTED;
            case DONE_CHANGED -> UpdateDisposition.CHANGED_AFTER_POST;
            case REJECTED_UNCHANGED -> UpdateDisposition.ALREADY_REJECTED;
            case LEFT_IN_DOUBT -> UpdateDisposition.LEFT_IN_DOUBT;
            case FOUND_PENDING -> UpdateDisposition.FOUND_PENDING;
            case RUNNING_ELSEWHERE -> throw new IllegalStateException("the simulation updates ledger asks no execution whether it is alive");
        };
    }

    /** Bluejay answered 2xx. {@code note}: something worth keeping, e.g. an unreadable 2xx body. */
    public void markPosted(long updateId, long executionId, int attempts, @Nullable String note) {
        Map<String, @Nullable Object> columns = new LinkedHashMap<>();
        columns.put("state", UpdateState.POSTED.name());
        columns.put("posted_at", ClaimOutcomes.NOW);
        outcomes.record(new ClaimOutcomes.Outcome(updateId, executionId, attempts, note, columns));
    }

    /** Bluejay refused the update (422, 404, other 4xx): posted again only when the log changes. */
    public void markRejected(long updateId, long executionId, String fields, String reason, int attempts) {
        Map<String, @Nullable Object> columns = new LinkedHashMap<>();
        columns.put("state", UpdateState.REJECTED.name());
        columns.put("error_fields", truncate(fields, 1000));
        outcomes.record(new ClaimOutcomes.Outcome(updateId, executionId, attempts, reason, columns));
    }

    /** Not applied: retries exhausted on failures that prove it, or not posted because the run stopped. */
    public void markFailed(long updateId, long executionId, String error, int attempts) {
        outcomes.markFailed(updateId, executionId, error, attempts);
    }

    /** An ambiguous failure: the update may have been applied. Never posted again without {@code --resend-in-doubt}. */
    public void markInDoubt(long updateId, long executionId, String error, int attempts) {
        outcomes.markInDoubt(updateId, executionId, error, attempts);
    }

    /** The ledger row of a simulation result's update at one endpoint. */
    public Optional<Entry> find(BluejayEndpoint endpoint, String simulationResultId) {
        return jdbc.query("SELECT * FROM simulation_update WHERE simulation_result_id = :id AND endpoint = :endpoint",
                Map.of("id", simulationResultId, "endpoint", endpoint.key()), ENTRY).stream().findFirst();
    }

    /** Result id → the file it was first read from, for the ids this execution already read in earlier chunks. */
    private Map<String, String> readInExecution(long executionId, List<String> ids) {
        Map<String, String> read = new HashMap<>();
        if (ids.isEmpty()) {
            return read;
        }
        jdbc.query("""
                SELECT simulation_result_id, source_ref FROM simulation_update_item
                WHERE job_execution_id = :exec AND simulation_result_id IN (:ids) ORDER BY seq""",
                Map.of("exec", executionId, "ids", ids),
                (ResultSet rs) -> {
                    read.putIfAbsent(rs.getString(1), rs.getString(2));
                });
        return read;
    }

    private static MapSqlParameterSource item(long executionId, SimulationLog log, @Nullable String resultId, @Nullable Long updateId,
            UpdateDisposition disposition, @Nullable String fields, @Nullable String reason) {
        return new MapSqlParameterSource()
                .addValue("exec", executionId)
                .addValue("seq", log.seq())
                .addValue("ref", truncate(log.file(), 2000))
                .addValue("line", log.line())
                .addValue("id", resultId)
                .addValue("update", updateId)
                .addValue("disposition", disposition.name())
                .addValue("fields", fields == null ? null : truncate(fields, 1000))
                .addValue("reason", reason == null ? null : truncate(reason, 8000));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<Entry> ENTRY = (rs, n) -> new Entry(rs.getLong("id"), rs.getString("simulation_result_id"),
            UpdateState.valueOf(rs.getString("state")), rs.getString("fingerprint"), rs.getString("source_ref"), rs.getInt("attempts"),
            rs.getString("last_error"), rs.getString("error_fields"), rs.getLong("job_execution_id"), instant(rs, "posted_at"));
}
