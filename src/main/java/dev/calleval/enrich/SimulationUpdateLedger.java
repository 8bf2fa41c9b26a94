package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayEndpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;

/**
 * JDBC access to the update-simulation-result ledger ({@code simulation_update}: one row per simulation result,
 * see {@link UpdateState}) and to what each job execution read ({@code simulation_update_item}). Methods join the
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
 * later run's "found PENDING" verdict. Thread-safe.
 */
@Repository
public class SimulationUpdateLedger {
    private static final int MAX_RECLAIM_ROUNDS = 5;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    public SimulationUpdateLedger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
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
     */
    public List<Claim> claim(long executionId, String jobName, BluejayEndpoint endpoint, List<? extends MappedUpdate> updates,
            boolean resendInDoubt) {
        List<String> ids = updates.stream().map(MappedUpdate::resultId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<String, Entry> existing = find(endpoint, ids);
        Map<String, String> readBefore = readInExecution(executionId, ids);
        List<Claim> claims = new ArrayList<>();
        List<SqlParameterSource> items = new ArrayList<>();
        Instant now = clock.instant();
        for (MappedUpdate update : updates) {
            String id = update.resultId();
            SimulationLog log = update.log();
            if (id != null) {
                String first = readBefore.putIfAbsent(id, log.file());
                if (first != null) {
                    items.add(item(executionId, log, id, null, UpdateDisposition.DUPLICATE, "simulation_result_id",
                            "simulation result " + id + " was already read in this run from " + first + "; only the first log is used"));
                    continue;
                }
            }
            if (update instanceof MappedUpdate.Rejected rejected) {
                Entry entry = id == null ? null : existing.get(id);
                if (entry != null && entry.state() == UpdateState.POSTED) {
                    items.add(item(executionId, log, id, entry.id(), UpdateDisposition.CHANGED_AFTER_POST, rejected.fields(),
                            "already posted; changed input ignored (the log is now invalid: " + rejected.reason() + ")"));
                } else {
                    items.add(item(executionId, log, id, null, UpdateDisposition.INVALID, rejected.fields(), rejected.reason()));
                }
                continue;
            }
            MappedUpdate.Accepted accepted = (MappedUpdate.Accepted) update;
            Decision decision = decide(executionId, jobName, endpoint, accepted, existing.get(id), resendInDoubt, now);
            items.add(item(executionId, log, id, decision.updateId(), decision.disposition(), null, decision.note()));
            if (decision.disposition().posted()) {
                claims.add(new Claim(decision.updateId(), accepted, decision.disposition() == UpdateDisposition.RESENT_IN_DOUBT));
            }
        }
        if (!items.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO simulation_update_item (job_execution_id, seq, source_ref, line, simulation_result_id, update_id,
                                                        disposition, fields, reason)
                    VALUES (:exec, :seq, :ref, :line, :id, :update, :disposition, :fields, :reason)""",
                    items.toArray(SqlParameterSource[]::new));
        }
        return claims;
    }

    private record Decision(long updateId, UpdateDisposition disposition, @Nullable String note) {}

    /** The ledger's verdict for one valid log; re-reads the row when a conditional update loses to another run. */
    private Decision decide(long executionId, String jobName, BluejayEndpoint endpoint, MappedUpdate.Accepted update, @Nullable Entry entry,
            boolean resendInDoubt, Instant now) {
        Entry current = entry;
        for (int round = 0; round < MAX_RECLAIM_ROUNDS; round++) {
            if (current == null) {
                Optional<Long> inserted = insertPending(executionId, jobName, endpoint, update, now);
                if (inserted.isPresent()) {
                    return new Decision(inserted.get(), UpdateDisposition.CLAIMED, null);
                }
            } else {
                switch (current.state()) {
                    case POSTED -> {
                        return update.fingerprint().equals(current.fingerprint())
                                ? new Decision(current.id(), UpdateDisposition.ALREADY_POSTED, null)
                                : new Decision(current.id(), UpdateDisposition.CHANGED_AFTER_POST, "already posted; changed input ignored");
                    }
                    case REJECTED -> {
                        if (update.fingerprint().equals(current.fingerprint())) {
                            return new Decision(current.id(), UpdateDisposition.ALREADY_REJECTED, null);
                        }
                        if (reclaim(current, executionId, jobName, update, now)) {
                            return new Decision(current.id(), UpdateDisposition.CLAIMED, null);
                        }
                    }
                    case FAILED -> {
                        if (reclaim(current, executionId, jobName, update, now)) {
                            return new Decision(current.id(), UpdateDisposition.CLAIMED, null);
                        }
                    }
                    case IN_DOUBT -> {
                        if (!resendInDoubt) {
                            return new Decision(current.id(), UpdateDisposition.LEFT_IN_DOUBT, null);
                        }
                        if (reclaim(current, executionId, jobName, update, now)) {
                            return new Decision(current.id(), UpdateDisposition.RESENT_IN_DOUBT, null);
                        }
                    }
                    case PENDING -> {
                        if (pendingToInDoubt(current, now)) {
                            return new Decision(current.id(), UpdateDisposition.FOUND_PENDING, null);
                        }
                    }
                }
            }
            current = find(endpoint, List.of(update.resultId())).get(update.resultId());
        }
        throw new IllegalStateException("simulation result " + update.resultId() + " kept changing under other runs; re-run the job");
    }

    private Optional<Long> insertPending(long executionId, String jobName, BluejayEndpoint endpoint, MappedUpdate.Accepted update,
            Instant now) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("endpoint", endpoint.key())
                .addValue("id", update.resultId())
                .addValue("fp", update.fingerprint())
                .addValue("ref", truncate(update.log().file(), 2000))
                .addValue("job", jobName)
                .addValue("exec", executionId)
                .addValue("now", utc(now));
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        try {
            savepoint.executeWithoutResult(status -> jdbc.update("""
                    INSERT INTO simulation_update (endpoint, simulation_result_id, state, fingerprint, source_ref, job_name,
                                                   job_execution_id, created_at, updated_at)
                    VALUES (:endpoint, :id, 'PENDING', :fp, :ref, :job, :exec, :now, :now)""", p, keys, new String[] {"id"}));
        } catch (DuplicateKeyException raced) {
            return Optional.empty(); // another run inserted it since we looked: decide again on its row
        }
        Number key = keys.getKey();
        if (key == null) {
            throw new IllegalStateException("the database returned no id for the new simulation_update row");
        }
        return Optional.of(key.longValue());
    }

    private boolean reclaim(Entry entry, long executionId, String jobName, MappedUpdate.Accepted update, Instant now) {
        return jdbc.update("""
                UPDATE simulation_update SET state = 'PENDING', fingerprint = :fp, source_ref = :ref, job_name = :job,
                       job_execution_id = :exec, last_error = NULL, error_fields = NULL, updated_at = :now
                WHERE id = :id AND state = :state AND fingerprint = :oldFp""",
                new MapSqlParameterSource()
                        .addValue("fp", update.fingerprint())
                        .addValue("ref", truncate(update.log().file(), 2000))
                        .addValue("job", jobName)
                        .addValue("exec", executionId)
                        .addValue("now", utc(now))
                        .addValue("id", entry.id())
                        .addValue("state", entry.state().name())
                        .addValue("oldFp", entry.fingerprint())) == 1;
    }

    private boolean pendingToInDoubt(Entry entry, Instant now) {
        return jdbc.update("""
                UPDATE simulation_update SET state = 'IN_DOUBT', updated_at = :now,
                       last_error = :error
                WHERE id = :id AND state = 'PENDING' AND job_execution_id = :owner""",
                new MapSqlParameterSource()
                        .addValue("id", entry.id())
                        .addValue("owner", entry.jobExecutionId())
                        .addValue("now", utc(now))
                        .addValue("error", "left PENDING by job execution " + entry.jobExecutionId()
                                + ", which stopped while posting it: the update may have been applied; check in Bluejay, "
                                + "then re-run with --resend-in-doubt if it was not")) == 1;
    }

    /** Bluejay answered 2xx. {@code note}: something worth keeping, e.g. an unreadable 2xx body. */
    public void markPosted(long updateId, long executionId, int attempts, @Nullable String note) {
        Instant now = clock.instant();
        outcome(updateId, executionId, "POSTED", attempts, note, null, ", posted_at = :now", now);
    }

    /** Bluejay refused the update (422, 404, other 4xx): posted again only when the log changes. */
    public void markRejected(long updateId, long executionId, String fields, String reason, int attempts) {
        outcome(updateId, executionId, "REJECTED", attempts, reason, fields, "", clock.instant());
    }

    /** Not applied: retries exhausted on failures that prove it, or not posted because the run stopped. */
    public void markFailed(long updateId, long executionId, String error, int attempts) {
        outcome(updateId, executionId, "FAILED", attempts, error, null, "", clock.instant());
    }

    /** An ambiguous failure: the update may have been applied. Never posted again without {@code --resend-in-doubt}. */
    public void markInDoubt(long updateId, long executionId, String error, int attempts) {
        outcome(updateId, executionId, "IN_DOUBT", attempts, error, null, "", clock.instant());
    }

    private void outcome(long updateId, long executionId, String state, int attempts, @Nullable String error, @Nullable String fields,
            String extraSet, Instant now) {
        jdbc.update("""
                UPDATE simulation_update SET state = :state, attempts = attempts + :attempts, last_error = :error,
                       error_fields = :fields, updated_at = :now%s
                WHERE id = :id AND job_execution_id = :exec AND state IN ('PENDING', 'IN_DOUBT')""".formatted(extraSet),
                new MapSqlParameterSource("id", updateId)
                        .addValue("exec", executionId)
                        .addValue("state", state)
                        .addValue("attempts", attempts)
                        .addValue("error", error == null ? null : truncate(error, 4000))
                        .addValue("fields", fields == null ? null : truncate(fields, 1000))
                        .addValue("now", utc(now)));
    }

    /** The ledger row of a simulation result's update at one endpoint. */
    public Optional<Entry> find(BluejayEndpoint endpoint, String simulationResultId) {
        return Optional.ofNullable(find(endpoint, List.of(simulationResultId)).get(simulationResultId));
    }

    private Map<String, Entry> find(BluejayEndpoint endpoint, List<String> ids) {
        if (ids.isEmpty()) {
            return new HashMap<>();
        }
        Map<String, Entry> found = new HashMap<>();
        jdbc.query("SELECT * FROM simulation_update WHERE simulation_result_id IN (:ids) AND endpoint = :endpoint",
                Map.of("ids", ids, "endpoint", endpoint.key()),
                (ResultSet rs) -> {
                    Entry e = ENTRY.mapRow(rs, 0);
                    found.put(e.simulationResultId(), e);
                });
        return found;
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

    /**
     * One log an execution read: what the run did with it and the state it ended in.
     *
     * @param line the manifest line; 0 for a directory listing
     * @param state {@link UpdateDisposition#stateIn} the ledger's state now
     * @param attempts HTTP attempts for the result over all runs (0 for a log never posted)
     * @param error the ledger's last error, or why the log was not posted
     * @param fields the rejected fields, for a REJECTED log
     */
    public record Item(long seq, String file, long line, @Nullable String resultId, UpdateDisposition disposition, UpdateState state,
            int attempts, @Nullable String error, @Nullable String fields) {}

    /** Streams the logs an execution read, in the order read. */
    public void forEachItem(long executionId, Consumer<Item> consumer) {
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

    /** Result ids of an execution's items in one state, in the order read (for messages and tests). */
    public List<String> resultIds(long executionId, UpdateState state) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        forEachItem(executionId, item -> {
            if (item.state() == state && item.resultId() != null) {
                ids.add(item.resultId());
            }
        });
        return List.copyOf(ids);
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

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<Entry> ENTRY = (rs, n) -> new Entry(rs.getLong("id"), rs.getString("simulation_result_id"),
            UpdateState.valueOf(rs.getString("state")), rs.getString("fingerprint"), rs.getString("source_ref"), rs.getInt("attempts"),
            rs.getString("last_error"), rs.getString("error_fields"), rs.getLong("job_execution_id"), instant(rs, "posted_at"));
}
