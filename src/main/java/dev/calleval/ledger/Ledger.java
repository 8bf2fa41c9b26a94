package dev.calleval.ledger;

import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.mapping.MappedCall;
import dev.calleval.source.SourceRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
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
 * JDBC access to the ledger tables ({@code call_ledger}, {@code execution_call}, {@code rejection}). Methods
 * join the caller's transaction when there is one: the submit step's writer claims a chunk's calls and records its
 * rejections in one transaction of its own, run again from its start when the database connection was lost
 * ({@code database/DatabaseRetry}); the chunk transaction itself holds no connection (the evaluate job re-reads its
 * manifest from the top on a restart, so claims need not commit with the read position).
 *
 * <p>Every row belongs to the Bluejay endpoint that the call was sent to ({@link BluejayEndpoint}: {@code sandbox} for
 * {@code --sandbox}, else the normalised base URL): a call is identified by {@code (endpoint, agent_key, source_id)},
 * and a run only ever reads, claims and counts as done the rows of the endpoint its client talks to. So what the
 * sandbox accepted is never "already done" for the real API (docs/ledger.md).
 *
 * <p>Claiming is safe against concurrent runs (cron, on-demand and drop-folder runs over overlapping input, on one
 * database): new calls are inserted under the unique key {@code (endpoint, agent_key, source_id)}, and re-claims are
 * conditional updates on the state and owner read, so two runs never both claim the same call; a run that loses a
 * race reads the row again and decides on what the winner left. A PENDING call owned by another execution that is
 * still running ({@link ExecutionLiveness}) is left to it; one owned by a dead execution is in doubt and claimed
 * again. Within a chunk, the calls new to the ledger are inserted first, in one JDBC batch in key order, then the
 * others are claimed one by one in key order, so two chunk transactions never wait on each other in a cycle (no
 * deadlock on PostgreSQL); when the batch meets a call another run inserted since it was read, it is rolled back (to
 * a savepoint) and each call is claimed on its own.
 */
@Repository
public class Ledger {
    private static final int MAX_CLAIM_ROUNDS = 5;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ExecutionLiveness liveness;

    private final TransactionTemplate savepoint;
    private final PlatformTransactionManager transactionManager;
    private final DatabaseRetry retry;

    /** A ledger whose group commits are not retried when the database connection is lost. */
    public Ledger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, ExecutionLiveness liveness) {
        this(jdbc, clock, transactionManager, liveness, new DatabaseRetry(java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO));
    }

    /** @param retry runs the transactions of {@link #groupCommit group commits} again when the connection was lost */
    @org.springframework.beans.factory.annotation.Autowired
    public Ledger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, ExecutionLiveness liveness,
            DatabaseRetry retry) {
        this.retry = retry;
        this.jdbc = jdbc;
        this.clock = clock;
        this.liveness = liveness;
        this.transactionManager = transactionManager;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * A {@link GroupCommit} for updates of this ledger made by many threads at once (the outcomes of the requests in
     * flight); its committer thread is named {@code threadName}. Close it when the threads are done.
     */
    public GroupCommit groupCommit(String threadName) {
        return new GroupCommit(new TransactionTemplate(transactionManager), threadName, () -> 0, retry);
    }

    /**
     * {@link #groupCommit(String)} whose committer also waits briefly for the updates of the {@code working} callers
     * (e.g. the requests in flight) to share their commit; see {@link GroupCommit}.
     */
    public GroupCommit groupCommit(String threadName, java.util.function.IntSupplier working) {
        return new GroupCommit(new TransactionTemplate(transactionManager), threadName, working, retry);
    }

    /**
     * A call this execution now owns and must send. {@code inDoubt}: an earlier execution left it PENDING (it may
     * exist at Bluejay), last touched at {@code lastAttemptAt}.
     */
    public record Claim(long ledgerId, MappedCall.Accepted call, boolean inDoubt, @Nullable Instant lastAttemptAt) {}

    /**
     * What {@link #claim} decided for a chunk.
     *
     * @param claimed to be sent now, in input order
     * @param duplicates rows whose source id this execution already read (a duplicate call_id in the input)
     * @param alreadyDone accepted by the API before: not sent
     * @param alreadyRejected refused with 422 before, unchanged input: not sent
     * @param runningElsewhere calls left to another execution that is still sending them: owner execution id → count
     */
    public record ClaimOutcome(List<Claim> claimed, List<MappedCall.Rejected> duplicates, int alreadyDone, int alreadyRejected,
            Map<Long, Integer> runningElsewhere) {}

    /**
     * Claims the chunk's calls for {@code executionId}, to be sent to {@code endpoint}: only that endpoint's rows are
     * looked at (a call another endpoint accepted is new here). Inserts new ones as PENDING, re-claims FAILED ones, those
     * left PENDING by an execution that is no longer alive (in doubt: it stopped mid-request), and REJECTED ones
     * whose input changed; leaves the rest, including PENDING ones of a live execution
     * ({@link Disposition#RUNNING_ELSEWHERE}). Records every call read in {@code execution_call}, each with exactly
     * one disposition.
     *
     * @throws IllegalStateException when a call's row changed under other runs five times in a row (the chunk rolls
     *     back; running the job again resumes)
     */
    public ClaimOutcome claim(long executionId, String jobName, BluejayEndpoint endpoint, List<MappedCall.Accepted> calls) {
        Map<String, LedgerEntry> existing = findExisting(endpoint, calls);
        Map<Long, String> readBefore = readInExecution(executionId, existing.values().stream().map(LedgerEntry::id).toList());
        List<MappedCall.Rejected> duplicates = new ArrayList<>();
        // sorted by key: every chunk transaction takes its row locks in the same order, so none waits on another in a cycle
        Map<String, MappedCall.Accepted> toDecide = new TreeMap<>();
        for (MappedCall.Accepted call : calls) {
            String key = key(call.request().agentKey(), call.sourceId());
            LedgerEntry entry = existing.get(key);
            MappedCall.Accepted earlier = toDecide.get(key);
            String readAt = entry == null ? null : readBefore.get(entry.id());
            if (earlier != null || readAt != null) {
                String first = earlier != null ? earlier.source().toString() : readAt;
                duplicates.add(new MappedCall.Rejected(call.source(), call.sourceId(), List.of(new dev.calleval.mapping.Problem("call_id",
                        "duplicate call_id '" + call.sourceId() + "': the same call was already read at " + first + "; only the first is sent"))));
                continue;
            }
            toDecide.put(key, call);
        }
        List<Long> owners = existing.values().stream().filter(e -> e.state() == LedgerState.PENDING && e.jobExecutionId() != null)
                .map(LedgerEntry::jobExecutionId).filter(o -> o != executionId).distinct().toList();
        Set<Long> live = liveness.alive(owners).keySet();
        Map<Long, Boolean> ownerAlive = new HashMap<>();
        owners.forEach(o -> ownerAlive.put(o, live.contains(o)));

        Instant now = clock.instant();
        // the calls new to the ledger in one batch (the common case), the others one by one
        Map<String, Long> inserted = insertPending(executionId, jobName, endpoint, toDecide.entrySet().stream()
                .filter(e -> !existing.containsKey(e.getKey())).map(Map.Entry::getValue).toList(), now);

        List<Claim> claimed = new ArrayList<>();
        List<Member> membership = new ArrayList<>();
        Map<Long, Integer> runningElsewhere = new TreeMap<>();
        int alreadyDone = 0;
        int alreadyRejected = 0;
        for (Map.Entry<String, MappedCall.Accepted> e : toDecide.entrySet()) {
            MappedCall.Accepted call = e.getValue();
            Long insertedId = inserted.get(e.getKey());
            Decision d = insertedId != null ? new Decision(insertedId, Disposition.CLAIMED)
                    : decide(executionId, jobName, endpoint, call, existing.get(e.getKey()), ownerAlive, now);
            membership.add(new Member(d.ledgerId(), call, d.disposition(), d.owner()));
            switch (d.disposition()) {
                case CLAIMED -> claimed.add(new Claim(d.ledgerId(), call, false, null));
                case IN_DOUBT_RESENT -> claimed.add(new Claim(d.ledgerId(), call, true, d.lastAttemptAt()));
                case ALREADY_DONE -> alreadyDone++;
                case ALREADY_REJECTED -> alreadyRejected++;
                case RUNNING_ELSEWHERE -> runningElsewhere.merge(d.owner(), 1, Integer::sum);
            }
        }
        insertMembership(executionId, membership);
        claimed.sort(java.util.Comparator.comparingLong(c -> c.call().source().line())); // sent in input order
        return new ClaimOutcome(claimed, duplicates, alreadyDone, alreadyRejected, runningElsewhere);
    }

    /** One call's verdict: its ledger row, what this execution does with it, and the live owner it was left to. */
    private record Decision(long ledgerId, Disposition disposition, @Nullable Long owner, @Nullable Instant lastAttemptAt) {
        Decision(long ledgerId, Disposition disposition) {
            this(ledgerId, disposition, null, null);
        }
    }

    /** Decides for one call; reads its row again whenever another run changed it first. */
    private Decision decide(long executionId, String jobName, BluejayEndpoint endpoint, MappedCall.Accepted call, @Nullable LedgerEntry entry,
            Map<Long, Boolean> ownerAlive, Instant now) {
        LedgerEntry current = entry;
        for (int round = 0; round < MAX_CLAIM_ROUNDS; round++) {
            if (current == null) {
                Optional<Long> id = insertPending(executionId, jobName, endpoint, call, now);
                if (id.isPresent()) {
                    return new Decision(id.get(), Disposition.CLAIMED);
                }
            } else {
                switch (current.state()) {
                    case SUBMITTED, EVALUATED, INCOMPLETE, OVERDUE -> {
                        return new Decision(current.id(), Disposition.ALREADY_DONE);
                    }
                    case REJECTED -> {
                        if (call.fingerprint().equals(current.fingerprint())) {
                            return new Decision(current.id(), Disposition.ALREADY_REJECTED);
                        }
                        if (reclaim(current, executionId, jobName, call, false, now)) {
                            return new Decision(current.id(), Disposition.CLAIMED);
                        }
                    }
                    case FAILED -> {
                        if (reclaim(current, executionId, jobName, call, false, now)) {
                            return new Decision(current.id(), Disposition.CLAIMED);
                        }
                    }
                    case PENDING -> {
                        Long owner = current.jobExecutionId();
                        if (owner != null && owner != executionId
                                && ownerAlive.computeIfAbsent(owner, o -> !liveness.alive(List.of(o)).isEmpty())) {
                            return new Decision(current.id(), Disposition.RUNNING_ELSEWHERE, owner, null);
                        }
                        if (reclaim(current, executionId, jobName, call, true, now)) {
                            return new Decision(current.id(), Disposition.IN_DOUBT_RESENT, null, current.updatedAt());
                        }
                    }
                }
            }
            current = find(endpoint, call.request().agentKey(), call.sourceId()).orElse(null);
        }
        throw new IllegalStateException("call " + call.sourceId() + " (" + call.source() + ") kept changing under other runs; run the job again");
    }

    private Map<String, LedgerEntry> findExisting(BluejayEndpoint endpoint, List<MappedCall.Accepted> calls) {
        if (calls.isEmpty()) {
            return Map.of();
        }
        List<String> ids = calls.stream().map(MappedCall.Accepted::sourceId).distinct().toList();
        Map<String, LedgerEntry> found = new HashMap<>();
        jdbc.query("SELECT * FROM call_ledger WHERE source_id IN (:ids) AND endpoint = :endpoint", Map.of("ids", ids, "endpoint", endpoint.key()),
                (ResultSet rs) -> {
            LedgerEntry e = ENTRY.mapRow(rs, 0);
            found.put(key(e.agentKey(), e.sourceId()), e);
        });
        return found;
    }

    /** The row of one call at one endpoint. */
    public Optional<LedgerEntry> find(BluejayEndpoint endpoint, String agentKey, String sourceId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE endpoint = :endpoint AND agent_key = :agent AND source_id = :source",
                Map.of("endpoint", endpoint.key(), "agent", agentKey, "source", sourceId), ENTRY).stream().findFirst();
    }

    /**
     * Ledger id → where this execution read it, for the rows among {@code ledgerIds} it read in earlier chunks: one
     * primary-key look-up per row ({@code (job_execution_id, ledger_id) IN (…)}). Written as
     * {@code job_execution_id = ? AND ledger_id IN (…)}, H2 scanned every row the execution had read so far, once per
     * chunk, and a restart of a large run slowed with each chunk (bench B5).
     */
    private Map<Long, String> readInExecution(long executionId, List<Long> ledgerIds) {
        Map<Long, String> read = new HashMap<>();
        if (!ledgerIds.isEmpty()) {
            List<Object[]> keys = ledgerIds.stream().map(id -> new Object[] {executionId, id}).toList();
            jdbc.query("SELECT ledger_id, source_ref FROM execution_call WHERE (job_execution_id, ledger_id) IN (:keys)",
                    Map.of("keys", keys), (ResultSet rs) -> {
                        read.put(rs.getLong(1), rs.getString(2));
                    });
        }
        return read;
    }

    /**
     * Inserts {@code calls} (none of them in the ledger when it was read) as PENDING in one JDBC batch, in one savepoint.
     * When another run inserted one of them since (a unique-key violation), the savepoint is rolled back and nothing is
     * returned: the caller then claims each call on its own, deciding on what the other run left.
     *
     * @return key ({@link #key}) → new ledger id, for all of {@code calls}, or empty
     */
    private Map<String, Long> insertPending(long executionId, String jobName, BluejayEndpoint endpoint, List<MappedCall.Accepted> calls,
            Instant now) {
        if (calls.isEmpty()) {
            return Map.of();
        }
        SqlParameterSource[] batch = calls.stream().map(call -> pendingParams(executionId, jobName, endpoint, call, now)).toArray(SqlParameterSource[]::new);
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        try {
            // in a savepoint: on PostgreSQL a unique violation would otherwise abort the whole chunk transaction
            savepoint.executeWithoutResult(status -> jdbc.batchUpdate(INSERT_PENDING, batch, keys, new String[] {"id"}));
        } catch (DataIntegrityViolationException raced) {
            return Map.of(); // another run inserted one of them since we looked: each is claimed on its own
        }
        List<Map<String, Object>> ids = keys.getKeyList();
        if (ids.size() != calls.size()) {
            throw new IllegalStateException("inserted " + calls.size() + " calls but the database returned " + ids.size() + " ids");
        }
        Map<String, Long> inserted = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            MappedCall.Accepted call = calls.get(i);
            inserted.put(key(call.request().agentKey(), call.sourceId()), generatedId(ids.get(i)));
        }
        return inserted;
    }

    /** The id among a row's generated keys (H2 names it ID, PostgreSQL id). */
    private static long generatedId(Map<String, Object> keys) {
        Object id = keys.size() == 1 ? keys.values().iterator().next() : keys.entrySet().stream()
                .filter(k -> k.getKey().equalsIgnoreCase("id")).map(Map.Entry::getValue).findFirst().orElse(null);
        if (!(id instanceof Number n)) {
            throw new IllegalStateException("no generated id among " + keys.keySet());
        }
        return n.longValue();
    }

    private static final String INSERT_PENDING = """
            INSERT INTO call_ledger (endpoint, agent_key, source_id, state, fingerprint, source_ref, job_name, job_execution_id, created_at,
                                     updated_at)
            VALUES (:endpoint, :agent, :source, 'PENDING', :fp, :ref, :job, :exec, :now, :now)""";

    private static MapSqlParameterSource pendingParams(long executionId, String jobName, BluejayEndpoint endpoint, MappedCall.Accepted call,
            Instant now) {
        return new MapSqlParameterSource()
                .addValue("endpoint", endpoint.key())
                .addValue("agent", call.request().agentKey())
                .addValue("source", call.sourceId())
                .addValue("fp", call.fingerprint())
                .addValue("ref", truncate(call.source().toString(), 2000))
                .addValue("job", jobName)
                .addValue("exec", executionId)
                .addValue("now", utc(now));
    }

    private Optional<Long> insertPending(long executionId, String jobName, BluejayEndpoint endpoint, MappedCall.Accepted call, Instant now) {
        MapSqlParameterSource p = pendingParams(executionId, jobName, endpoint, call, now);
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        try {
            // in a savepoint: on PostgreSQL a unique violation would otherwise abort the whole chunk transaction
            savepoint.executeWithoutResult(status -> jdbc.update(INSERT_PENDING, p, keys, new String[] {"id"}));
        } catch (DuplicateKeyException raced) {
            return Optional.empty(); // another run inserted it since we looked: decide again on its row
        }
        return Optional.of(keys.getKeyAs(Long.class) != null ? keys.getKeyAs(Long.class) : keys.getKey().longValue());
    }

    /** Takes the row over if it is still in the state, and with the owner, that this run read. */
    private boolean reclaim(LedgerEntry entry, long executionId, String jobName, MappedCall.Accepted call, boolean inDoubt, Instant now) {
        int updated = jdbc.update("""
                UPDATE call_ledger SET state = 'PENDING', fingerprint = :fp, source_ref = :ref, job_name = :job,
                       job_execution_id = :exec, in_doubt = :doubt, updated_at = :now
                WHERE id = :id AND state = :state AND COALESCE(job_execution_id, -1) = :owner""",
                new MapSqlParameterSource()
                        .addValue("fp", call.fingerprint())
                        .addValue("ref", truncate(call.source().toString(), 2000))
                        .addValue("job", jobName)
                        .addValue("exec", executionId)
                        .addValue("doubt", inDoubt || entry.inDoubt())
                        .addValue("now", utc(now))
                        .addValue("id", entry.id())
                        .addValue("state", entry.state().name())
                        .addValue("owner", entry.jobExecutionId() == null ? -1L : entry.jobExecutionId()));
        return updated == 1;
    }

    /** One row of {@code execution_call}: a call this execution read, what it did with it, and (RUNNING_ELSEWHERE) the live execution it left it to. */
    private record Member(long ledgerId, MappedCall.Accepted call, Disposition disposition, @Nullable Long owner) {}

    private void insertMembership(long executionId, List<Member> rows) {
        if (rows.isEmpty()) {
            return;
        }
        SqlParameterSource[] batch = rows.stream().map(r -> new MapSqlParameterSource()
                .addValue("exec", executionId)
                .addValue("ledger", r.ledgerId())
                .addValue("ref", truncate(r.call().source().toString(), 2000))
                .addValue("line", r.call().source().line())
                .addValue("disposition", r.disposition().name())
                .addValue("transcript", r.call().transcriptRef() == null ? null : truncate(r.call().transcriptRef(), 2100))
                .addValue("format", r.call().transcriptFormat() == null ? null : r.call().transcriptFormat().id())
                .addValue("owner", r.owner(), java.sql.Types.BIGINT)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO execution_call (job_execution_id, ledger_id, source_ref, line, disposition, transcript_ref, transcript_format,
                    owner_execution_id)
                VALUES (:exec, :ledger, :ref, :line, :disposition, :transcript, :format, :owner)""", batch);
    }

    /**
     * Records rows refused by local validation ({@code origin} LOCAL) in the {@code rejection} table: such a row
     * never reaches {@code call_ledger} (it may have no usable source id), and is mapped again on every run.
     */
    public void recordRejections(long executionId, List<MappedCall.Rejected> rejected) {
        if (rejected.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        SqlParameterSource[] batch = rejected.stream().map(r -> rejectionParams(executionId, r.source(), r.sourceId(), r.fields(), r.reason(), "LOCAL", now))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate(INSERT_REJECTION, batch);
    }

    private static final String INSERT_REJECTION = """
            INSERT INTO rejection (job_execution_id, source_ref, line, source_id, fields, reason, origin, created_at)
            VALUES (:exec, :ref, :line, :source, :fields, :reason, :origin, :now)""";

    private static MapSqlParameterSource rejectionParams(long executionId, SourceRef ref, @Nullable String sourceId,
            String fields, String reason, String origin, Instant now) {
        return new MapSqlParameterSource()
                .addValue("exec", executionId)
                .addValue("ref", truncate(ref.toString(), 2000))
                .addValue("line", ref.line())
                .addValue("source", sourceId == null ? null : truncate(sourceId, 1000))
                .addValue("fields", truncate(fields, 1000))
                .addValue("reason", truncate(reason, 8000))
                .addValue("origin", origin)
                .addValue("now", utc(now));
    }

    /** The API accepted the call. */
    public void markSubmitted(long ledgerId, long executionId, String callId, int attempts) {
        markSubmitted(List.of(new Submitted(ledgerId, executionId, callId, attempts)));
    }

    /**
     * A call the API accepted, for {@link #markSubmitted(List)}.
     *
     * @param callId the id Bluejay gave it
     * @param attempts HTTP attempts this run made for it
     */
    public record Submitted(long ledgerId, long executionId, String callId, int attempts) {}

    /**
     * The API accepted these calls: each PENDING one owned by its execution becomes SUBMITTED with its call id, in one
     * JDBC batch (the outcomes of requests that end together, {@link GroupCommit}). A call no longer PENDING for that
     * execution is left as it is, as by {@link #markSubmitted(long, long, String, int)}.
     */
    public void markSubmitted(List<Submitted> calls) {
        if (calls.isEmpty()) {
            return;
        }
        OffsetDateTime now = utc(clock.instant());
        SqlParameterSource[] batch = calls.stream().map(c -> new MapSqlParameterSource("id", c.ledgerId()).addValue("exec", c.executionId())
                .addValue("call", c.callId()).addValue("attempts", c.attempts()).addValue("now", now)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                UPDATE call_ledger SET state = 'SUBMITTED', call_id = :call, attempts = attempts + :attempts, last_error = NULL,
                       submitted_at = :now, updated_at = :now WHERE id = :id AND state = 'PENDING' AND job_execution_id = :exec""", batch);
    }

    /** The API refused the call with 422: REJECTED, and a rejection row for this execution's report. */
    public void markRejectedByApi(long ledgerId, long executionId, SourceRef ref, String sourceId, String fields, String reason, int attempts) {
        Instant now = clock.instant();
        jdbc.update("""
                UPDATE call_ledger SET state = 'REJECTED', attempts = attempts + :attempts, last_error = :error, updated_at = :now
                WHERE id = :id AND state = 'PENDING' AND job_execution_id = :exec""",
                new MapSqlParameterSource("id", ledgerId).addValue("exec", executionId).addValue("attempts", attempts).addValue("error", truncate(reason, 4000)).addValue("now", utc(now)));
        jdbc.update(INSERT_REJECTION, rejectionParams(executionId, ref, sourceId, fields, reason, "API", now));
    }

    /** Sending failed for good in this execution (retries exhausted, circuit open, run stopped). */
    public void markFailed(long ledgerId, long executionId, String error, int attempts) {
        jdbc.update("""
                UPDATE call_ledger SET state = 'FAILED', attempts = attempts + :attempts, last_error = :error, updated_at = :now
                WHERE id = :id AND state = 'PENDING' AND job_execution_id = :exec""",
                new MapSqlParameterSource("id", ledgerId).addValue("exec", executionId).addValue("attempts", attempts).addValue("error", truncate(error, 4000)).addValue("now", utc(clock.instant())));
    }

    /**
     * An ambiguous failure of {@code POST /v1/evaluate}: the call may exist at Bluejay. The row stays PENDING with
     * {@code in_doubt} set, so that a crash before it is resolved still leaves it marked; see
     * {@link #resolveInDoubt}.
     */
    public void markInDoubt(long ledgerId, long executionId, String error, int attempts) {
        jdbc.update("""
                UPDATE call_ledger SET in_doubt = TRUE, attempts = attempts + :attempts, last_error = :error, updated_at = :now
                WHERE id = :id AND state = 'PENDING' AND job_execution_id = :exec""",
                new MapSqlParameterSource("id", ledgerId).addValue("exec", executionId).addValue("attempts", attempts).addValue("error", truncate(error, 4000)).addValue("now", utc(clock.instant())));
    }

    /**
     * An in-doubt call was found at Bluejay (by its {@code metadata.calleval_source_id}): it was created exactly
     * once, so it becomes SUBMITTED with that call id and is no longer in doubt.
     */
    public void resolveInDoubt(long ledgerId, long executionId, String callId) {
        Instant now = clock.instant();
        jdbc.update("""
                UPDATE call_ledger SET state = 'SUBMITTED', call_id = :call, in_doubt = FALSE, last_error = NULL,
                       submitted_at = :now, updated_at = :now WHERE id = :id AND state = 'PENDING' AND job_execution_id = :exec""",
                new MapSqlParameterSource("id", ledgerId).addValue("exec", executionId).addValue("call", callId).addValue("now", utc(now)));
    }


    /** The ledger row of a Bluejay call id. */
    public Optional<LedgerEntry> findByCallId(String callId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE call_id = :call", Map.of("call", callId), ENTRY).stream().findFirst();
    }

    /** Ledger rows with this source id (one per agent and endpoint). */
    public List<LedgerEntry> findBySourceId(String sourceId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE source_id = :source", Map.of("source", sourceId), ENTRY);
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
                        .addValue("endpoint", endpoint.key()).addValue("before", utc(submittedBefore)).addValue("limit", limit), ENTRY);
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
     */
    public record ExecutionCallRow(long line, String sourceRef, String sourceId, Disposition disposition, LedgerState state,
            @Nullable String callId, int attempts, boolean inDoubt, @Nullable String bluejayStatus, @Nullable String resultVia,
            @Nullable Boolean goalSuccess, @Nullable Boolean hallucination, @Nullable Integer numTurns,
            @Nullable Double agentSpeakPercentage, @Nullable Double latencyP50, @Nullable Double latencyP90,
            @Nullable String customMetricsJson, @Nullable String lastError, @Nullable String transcriptRef,
            @Nullable String transcriptFormat, String endpoint) {}

    /** Streams the calls an execution read, in input order, without holding them all in memory. */
    public void forEachExecutionCall(long executionId, java.util.function.Consumer<ExecutionCallRow> consumer) {
        jdbc.query("""
                SELECT e.line, e.source_ref, e.disposition, e.transcript_ref, e.transcript_format, l.* FROM execution_call e
                JOIN call_ledger l ON l.id = e.ledger_id
                WHERE e.job_execution_id = :exec ORDER BY e.line""", Map.of("exec", executionId), (ResultSet rs) -> {
            consumer.accept(new ExecutionCallRow(rs.getLong("line"), rs.getString("source_ref"), rs.getString("source_id"),
                    Disposition.valueOf(rs.getString("disposition")), LedgerState.valueOf(rs.getString("state")), rs.getString("call_id"),
                    rs.getInt("attempts"), rs.getBoolean("in_doubt"), rs.getString("bluejay_status"), rs.getString("result_source"),
                    rs.getObject("goal_success", Boolean.class), rs.getObject("hallucination", Boolean.class),
                    rs.getObject("num_turns", Integer.class), rs.getObject("agent_speak_pct", Double.class),
                    rs.getObject("latency_p50", Double.class), rs.getObject("latency_p90", Double.class),
                    rs.getString("custom_metrics"), rs.getString("last_error"), rs.getString("transcript_ref"),
                    rs.getString("transcript_format"), rs.getString("endpoint")));
        });
    }

    /** One rejected input row, for {@code rejects.csv}. {@code origin}: LOCAL (validation) or API (422/4xx). */
    public record RejectionRow(long line, String sourceRef, @Nullable String sourceId, String fields, String reason, String origin) {}

    /** Streams an execution's rejected rows in input order. */
    public void forEachRejection(long executionId, java.util.function.Consumer<RejectionRow> consumer) {
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

    static String key(String agentKey, String sourceId) {
        return agentKey + "\u0000" + sourceId;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static final RowMapper<LedgerEntry> ENTRY = (rs, n) -> new LedgerEntry(
            rs.getLong("id"), new BluejayEndpoint(rs.getString("endpoint")), rs.getString("agent_key"), rs.getString("source_id"),
            LedgerState.valueOf(rs.getString("state")),
            rs.getString("call_id"), rs.getString("fingerprint"), rs.getInt("attempts"), rs.getBoolean("in_doubt"),
            rs.getString("last_error"), rs.getString("source_ref"), rs.getObject("job_execution_id", Long.class), instant(rs, "submitted_at"),
            instant(rs, "updated_at"));

    /**
     * How many calls of all jobs are in each of {@code states} now (for the metrics gauges). One scan of the ledger;
     * callers cache it.
     *
     * @return state → count, with 0 for a state no call is in
     */
    public Map<LedgerState, Long> countByState(java.util.Collection<LedgerState> states) {
        Map<LedgerState, Long> counts = new java.util.EnumMap<>(LedgerState.class);
        states.forEach(state -> counts.put(state, 0L));
        jdbc.query("SELECT state, COUNT(*) AS n FROM call_ledger WHERE state IN (:states) GROUP BY state",
                Map.of("states", states.stream().map(Enum::name).toList()),
                (ResultSet rs) -> { counts.put(LedgerState.valueOf(rs.getString("state")), rs.getLong("n")); });
        return counts;
    }
}
