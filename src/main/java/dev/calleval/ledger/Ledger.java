package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.mapping.MappedCall;
import dev.calleval.mapping.Problem;
import dev.calleval.source.SourceRef;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;
import static dev.calleval.ledger.Claims.utc;

/**
 * The calls ledger's claims and outcomes ({@code call_ledger}, {@code execution_call}, {@code rejection}), on the
 * claim protocol shared with the simulation updates ({@link Claims}). What reconciliation reads and writes is
 * {@link CallResults}; the report's read model is {@code report/ExecutionRecords}. Methods
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
 * again at once (flagged {@code in_doubt}: the evaluate job looks it up at Bluejay before sending it again). The
 * batch insert, key order and savepoint are {@link Claims}'.
 */
@Repository
public class Ledger {
    /** {@code call_ledger} in the claim protocol: in doubt is the {@code in_doubt} flag of a PENDING row, resent at once. */
    static final ClaimTable TABLE = new ClaimTable("call_ledger", List.of("agent_key", "source_id"),
            ClaimTable.phases(LedgerState.class, LedgerState::phase), "in_doubt", List.of(), List.of(), true,
            "left PENDING by job execution %s, which stopped while sending it");

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Claims claims;
    private final ClaimOutcomes outcomes;
    private final PlatformTransactionManager transactionManager;
    private final DatabaseRetry retry;

    /** A ledger whose group commits are not retried when the database connection is lost. */
    public Ledger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, ExecutionLiveness liveness) {
        this(jdbc, clock, transactionManager, liveness, new DatabaseRetry(Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    /** @param retry runs the transactions of {@link #groupCommit group commits} again when the connection was lost */
    @Autowired
    public Ledger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, ExecutionLiveness liveness,
            DatabaseRetry retry) {
        this.retry = retry;
        this.jdbc = jdbc;
        this.clock = clock;
        this.transactionManager = transactionManager;
        this.claims = new Claims(jdbc, transactionManager, clock, TABLE, Claims.LiveOwners.of(liveness));
        this.outcomes = new ClaimOutcomes(jdbc, clock, TABLE);
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
    public GroupCommit groupCommit(String threadName, IntSupplier working) {
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
     * @param notSampled calls this run could send that are not in the job's sample: recorded NOT_SAMPLED, not sent
     * @param deferred calls in the sample past the run's {@code max-calls}: recorded DEFERRED, not sent
     */
    public record ClaimOutcome(List<Claim> claimed, List<MappedCall.Rejected> duplicates, int alreadyDone, int alreadyRejected,
            Map<Long, Integer> runningElsewhere, int notSampled, int deferred) {}

    /**
     * {@link #claim(long, String, BluejayEndpoint, List, Sampling, long)} of every call, without a cap
     * ({@link Sampling#ALL}).
     */
    public ClaimOutcome claim(long executionId, String jobName, BluejayEndpoint endpoint, List<MappedCall.Accepted> calls) {
        return claim(executionId, jobName, endpoint, calls, Sampling.ALL, 0);
    }

    /**
     * Claims the chunk's calls for {@code executionId}, to be sent to {@code endpoint}: only that endpoint's rows are
     * looked at (a call another endpoint accepted is new here). Inserts new ones as PENDING, re-claims FAILED ones
     * (and those left NOT_SAMPLED or DEFERRED), those left PENDING by an execution that is no longer alive (in doubt: it
     * stopped mid-request), and REJECTED ones whose input changed; leaves the rest, including PENDING ones of a live
     * execution ({@link Disposition#RUNNING_ELSEWHERE}). Of the calls claimed, {@code sampling} then chooses in input
     * order which are sent ({@link Sampling.Chooser}): the others are recorded NOT_SAMPLED or DEFERRED in the same
     * transaction, so no other run ever sees them PENDING. Records every call read in {@code execution_call}, each with
     * exactly one disposition.
     *
     * @param sampling the job's sample and cap
     * @param sentBefore calls this execution chose to send in its earlier chunks (counted towards the cap)
     * @throws IllegalStateException when a call's row changed under other runs five times in a row (the chunk rolls
     *     back; running the job again resumes)
     */
    public ClaimOutcome claim(long executionId, String jobName, BluejayEndpoint endpoint, List<MappedCall.Accepted> calls, Sampling sampling,
            long sentBefore) {
        Map<List<String>, Claims.Row> existing = claims.find(endpoint, calls.stream().map(Ledger::key).toList());
        Map<Long, String> readBefore = readInExecution(executionId, existing.values().stream().map(Claims.Row::id).toList());
        List<MappedCall.Rejected> duplicates = new ArrayList<>();
        Map<List<String>, MappedCall.Accepted> toDecide = new LinkedHashMap<>();
        for (MappedCall.Accepted call : calls) {
            List<String> key = key(call);
            Claims.Row row = existing.get(key);
            MappedCall.Accepted earlier = toDecide.get(key);
            String readAt = row == null ? null : readBefore.get(row.id());
            if (earlier != null || readAt != null) {
                String first = earlier != null ? earlier.source().toString() : readAt;
                duplicates.add(duplicate(call, first));
                continue;
            }
            toDecide.put(key, call);
        }
        List<MappedCall.Accepted> decided = List.copyOf(toDecide.values());
        List<Claims.Decision> decisions = claims.claim(executionId, jobName, endpoint, decided.stream().map(Ledger::candidate).toList(),
                existing, true);

        List<Claim> claimed = new ArrayList<>();
        List<Member> membership = new ArrayList<>();
        Map<Long, Integer> runningElsewhere = new TreeMap<>();
        Map<Disposition, List<ClaimOutcomes.Outcome>> leftOut = new java.util.EnumMap<>(Disposition.class);
        Sampling.Chooser chooser = sampling.chooser(sentBefore);
        int alreadyDone = 0;
        int alreadyRejected = 0;
        for (int i = 0; i < decided.size(); i++) {
            MappedCall.Accepted call = decided.get(i);
            Claims.Decision d = decisions.get(i);
            Disposition disposition = selected(disposition(d.verdict()), call.sourceId(), chooser);
            membership.add(new Member(d.rowId(), call, disposition, d.owner()));
            switch (disposition) {
                case CLAIMED -> claimed.add(new Claim(d.rowId(), call, false, null));
                case IN_DOUBT_RESENT -> claimed.add(new Claim(d.rowId(), call, true, d.lastAttemptAt()));
                case ALREADY_DONE -> alreadyDone++;
                case ALREADY_REJECTED -> alreadyRejected++;
                case RUNNING_ELSEWHERE -> runningElsewhere.merge(d.owner(), 1, Integer::sum);
                case NOT_SAMPLED, DEFERRED -> leftOut.computeIfAbsent(disposition, k -> new ArrayList<>()).add(new ClaimOutcomes.Outcome(
                        d.rowId(), executionId, 0, null, Map.of("state", (disposition == Disposition.NOT_SAMPLED ? LedgerState.NOT_SAMPLED : LedgerState.DEFERRED).name())));
            }
        }
        leftOut.values().forEach(outcomes::record); // claimed PENDING above, in this transaction: left out before it commits
        insertMembership(executionId, membership);
        recordSentWith(claimed);
        claimed.sort(Comparator.comparingLong(c -> c.call().source().line())); // sent in input order
        return new ClaimOutcome(claimed, duplicates, alreadyDone, alreadyRejected, runningElsewhere,
                leftOut.getOrDefault(Disposition.NOT_SAMPLED, List.of()).size(), leftOut.getOrDefault(Disposition.DEFERRED, List.of()).size());
    }

    /**
     * A call read again in the same execution (a duplicate call_id in the input): rejected, only the first is sent.
     *
     * @param first where the first was read, e.g. {@code calls.csv:3}
     */
    public static MappedCall.Rejected duplicate(MappedCall.Accepted call, String first) {
        return new MappedCall.Rejected(call.source(), call.sourceId(), List.of(new Problem("call_id",
                "duplicate call_id '" + call.sourceId() + "': the same call was already read at " + first + "; only the first is sent")));
    }

    /**
     * What a run does with a call the protocol decided on: a call it could send (claimed, or in doubt) is sent, or left
     * NOT_SAMPLED or DEFERRED, as the sampling chooses; any other disposition stands.
     */
    private static Disposition selected(Disposition disposition, String sourceId, Sampling.Chooser chooser) {
        if (disposition != Disposition.CLAIMED && disposition != Disposition.IN_DOUBT_RESENT) {
            return disposition;
        }
        return switch (chooser.choose(sourceId, disposition == Disposition.IN_DOUBT_RESENT)) {
            case SEND -> disposition;
            case NOT_SAMPLED -> Disposition.NOT_SAMPLED;
            case DEFERRED -> Disposition.DEFERRED;
        };
    }

    /**
     * What {@link #claim} would do now with each of {@code calls} (distinct keys, in input order), writing nothing: the
     * protocol's verdict on the rows at {@code endpoint} ({@link Claims#preview}), then the sampling's choice.
     * Dispositions: CLAIMED or IN_DOUBT_RESENT (would be sent), ALREADY_DONE, ALREADY_REJECTED, RUNNING_ELSEWHERE,
     * NOT_SAMPLED, DEFERRED.
     *
     * @param chooser the plan's sampling choices so far (advanced by the calls it would send)
     * @return one disposition per call, in the order of {@code calls}
     */
    public List<Disposition> preview(BluejayEndpoint endpoint, List<MappedCall.Accepted> calls, Sampling.Chooser chooser) {
        List<Claims.Verdict> verdicts = claims.preview(endpoint, calls.stream().map(Ledger::candidate).toList(), true);
        List<Disposition> dispositions = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            dispositions.add(selected(disposition(verdicts.get(i)), calls.get(i).sourceId(), chooser));
        }
        return dispositions;
    }

    /** A call's disposition for the protocol's verdict (a call found PENDING is resent at once, never left in doubt). */
    private static Disposition disposition(Claims.Verdict verdict) {
        return switch (verdict) {
            case CLAIMED -> Disposition.CLAIMED;
            case RESENT_IN_DOUBT -> Disposition.IN_DOUBT_RESENT;
            case DONE, DONE_CHANGED -> Disposition.ALREADY_DONE;
            case REJECTED_UNCHANGED -> Disposition.ALREADY_REJECTED;
            case RUNNING_ELSEWHERE -> Disposition.RUNNING_ELSEWHERE;
            case LEFT_IN_DOUBT, FOUND_PENDING -> throw new IllegalStateException("the calls ledger resends a call found PENDING, got " + verdict);
        };
    }

    private static List<String> key(MappedCall.Accepted call) {
        return List.of(call.request().agentKey(), call.sourceId());
    }

    private static Claims.Candidate candidate(MappedCall.Accepted call) {
        return new Claims.Candidate(key(call), call.fingerprint(), call.source().toString(), "call " + call.sourceId() + " (" + call.source() + ")");
    }

    /** The row of one call at one endpoint. */
    public Optional<LedgerEntry> find(BluejayEndpoint endpoint, String agentKey, String sourceId) {
        return jdbc.query("SELECT * FROM call_ledger WHERE endpoint = :endpoint AND agent_key = :agent AND source_id = :source",
                Map.of("endpoint", endpoint.key(), "agent", agentKey, "source", sourceId), LedgerEntry.MAPPER).stream().findFirst();
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

    /** One row of {@code execution_call}: a call this execution read, what it did with it, and (RUNNING_ELSEWHERE) the live execution it left it to. */
    private record Member(long ledgerId, MappedCall.Accepted call, Disposition disposition, @Nullable Long owner) {}

    /**
     * Stores the {@code label} and {@code metadata} (JSON) each claimed call is sent with, for export and compare:
     * what Bluejay receives, so after any redaction.
     */
    private void recordSentWith(List<Claim> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        SqlParameterSource[] batch = claimed.stream().map(c -> new MapSqlParameterSource()
                .addValue("id", c.ledgerId())
                .addValue("label", c.call().request().label() == null ? null : truncate(c.call().request().label(), 200))
                .addValue("metadata", c.call().request().metadata() == null ? null
                        : BluejayJson.mapper().writeValueAsString(c.call().request().metadata())))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("UPDATE call_ledger SET label = :label, metadata = :metadata WHERE id = :id", batch);
    }

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
                .addValue("redactions", r.call().redactions() == null ? null : truncate(r.call().redactions().toString(), 1000))
                .addValue("owner", r.owner(), java.sql.Types.BIGINT)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO execution_call (job_execution_id, ledger_id, source_ref, line, disposition, transcript_ref, transcript_format,
                    redactions, owner_execution_id)
                VALUES (:exec, :ledger, :ref, :line, :disposition, :transcript, :format, :redactions, :owner)""", batch);
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
        outcomes.record(calls.stream().map(c -> new ClaimOutcomes.Outcome(c.ledgerId(), c.executionId(), c.attempts(), null,
                submittedColumns(c.callId()))).toList());
    }

    private static Map<String, @Nullable Object> submittedColumns(String callId) {
        Map<String, @Nullable Object> columns = new LinkedHashMap<>();
        columns.put("state", LedgerState.SUBMITTED.name());
        columns.put("call_id", callId);
        columns.put("submitted_at", ClaimOutcomes.NOW);
        return columns;
    }

    /** The API refused the call with 422: REJECTED, and a rejection row for this execution's report. */
    public void markRejectedByApi(long ledgerId, long executionId, SourceRef ref, String sourceId, String fields, String reason, int attempts) {
        outcomes.record(new ClaimOutcomes.Outcome(ledgerId, executionId, attempts, reason, Map.of("state", LedgerState.REJECTED.name())));
        jdbc.update(INSERT_REJECTION, rejectionParams(executionId, ref, sourceId, fields, reason, "API", clock.instant()));
    }

    /** Sending failed for good in this execution (retries exhausted, circuit open, run stopped). */
    public void markFailed(long ledgerId, long executionId, String error, int attempts) {
        outcomes.markFailed(ledgerId, executionId, error, attempts);
    }

    /**
     * An ambiguous failure of {@code POST /v1/evaluate}: the call may exist at Bluejay. The row stays PENDING with
     * {@code in_doubt} set, so that a crash before it is resolved still leaves it marked; see
     * {@link #resolveInDoubt}.
     */
    public void markInDoubt(long ledgerId, long executionId, String error, int attempts) {
        outcomes.markInDoubt(ledgerId, executionId, error, attempts);
    }

    /**
     * An in-doubt call was found at Bluejay (by its {@code metadata.calleval_source_id}): it was created exactly
     * once, so it becomes SUBMITTED with that call id and is no longer in doubt.
     */
    public void resolveInDoubt(long ledgerId, long executionId, String callId) {
        Map<String, @Nullable Object> columns = submittedColumns(callId);
        columns.put("in_doubt", false);
        outcomes.record(new ClaimOutcomes.Outcome(ledgerId, executionId, 0, null, columns));
    }
}
