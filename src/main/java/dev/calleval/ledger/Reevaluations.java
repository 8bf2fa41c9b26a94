package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.execution.ExecutionLiveness;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;
import static dev.calleval.ledger.Claims.utc;

/**
 * The re-evaluation rounds ({@code reevaluation}, docs/reevaluation.md): which evaluated calls a round may send, the
 * round's claims (on the claim protocol of the ledgers, {@link Claims}: a call is sent at most once per round, also when
 * the round is restarted after a crash; one found PENDING of a dead execution is in doubt and claimed again, to be
 * looked up before it is sent), the outcome of each request, and the new evaluations. The call's first result in
 * {@code call_ledger} is never changed: each round keeps the evaluation it replaced ({@code old_*}) and the one it got
 * ({@code new_*}). Thread-safe.
 */
@Repository
public class Reevaluations {
    static final ClaimTable TABLE = new ClaimTable("reevaluation", List.of("round_id", "call_id"),
            ClaimTable.phases(ReevaluationState.class, ReevaluationState::phase), "in_doubt", List.of(), List.of(), true,
            "left PENDING by job execution %s, which stopped while sending it");
    /** Claims carry no input to compare: a call REJECTED in a round stays rejected in it. */
    private static final String FINGERPRINT = "reevaluate";
    private static final int PAGE = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Claims claims;
    private final ClaimOutcomes outcomes;
    private final TransactionTemplate transactions;
    private final Claims.LiveOwners liveOwners;

    public Reevaluations(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager, ExecutionLiveness liveness) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.liveOwners = Claims.LiveOwners.of(liveness);
        this.claims = new Claims(jdbc, transactionManager, clock, TABLE, liveOwners);
        this.outcomes = new ClaimOutcomes(jdbc, clock, TABLE);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * An evaluated call a round may re-evaluate, with its latest evaluation: the newest a round got, else its first.
     *
     * @param submittedAt when it was first accepted (UTC)
     */
    public record Evaluated(long ledgerId, String sourceId, String agentKey, String callId, @Nullable Instant submittedAt, CallResult latest) {}

    /**
     * The calls of job {@code jobName} at {@code endpoint} that have a result (EVALUATED or INCOMPLETE) and a call id,
     * in ledger id order, each with its latest evaluation.
     *
     * @param executionId only the calls this evaluate execution read, or null
     * @param since only calls first accepted at or after this instant, or null
     * @param until only calls first accepted before this instant, or null
     */
    public List<Evaluated> evaluatedCalls(String jobName, BluejayEndpoint endpoint, @Nullable Long executionId, @Nullable Instant since,
            @Nullable Instant until) {
        // the key figures only: not the evaluation JSON or metadata (V15, kilobytes a call), which a round does not use
        // and which would be held for every evaluated call of the job
        List<Evaluated> calls = jdbc.query("""
                SELECT id, source_id, agent_key, call_id, submitted_at, state, bluejay_status, result_source, evaluation_id, goal_success,
                       hallucination, num_turns, agent_speak_pct, latency_p50, latency_p90, custom_metrics
                FROM call_ledger
                WHERE job_name = :job AND endpoint = :endpoint AND state IN ('EVALUATED', 'INCOMPLETE') AND call_id IS NOT NULL
                  AND (CAST(:exec AS BIGINT) IS NULL OR id IN (SELECT ledger_id FROM execution_call WHERE job_execution_id = :exec))
                  AND (CAST(:since AS TIMESTAMP WITH TIME ZONE) IS NULL OR submitted_at >= :since)
                  AND (CAST(:until AS TIMESTAMP WITH TIME ZONE) IS NULL OR submitted_at < :until)
                ORDER BY id""",
                new MapSqlParameterSource("job", jobName).addValue("endpoint", endpoint.key()).addValue("exec", executionId)
                        .addValue("since", since == null ? null : utc(since)).addValue("until", until == null ? null : utc(until)),
                (rs, n) -> new Evaluated(rs.getLong("id"), rs.getString("source_id"), rs.getString("agent_key"), rs.getString("call_id"),
                        Claims.instant(rs, "submitted_at"), ledgerResult(rs)));
        Map<Long, CallResult> newer = latestRoundResults(calls.stream().map(Evaluated::ledgerId).toList());
        return calls.stream().map(c -> newer.containsKey(c.ledgerId())
                ? new Evaluated(c.ledgerId(), c.sourceId(), c.agentKey(), c.callId(), c.submittedAt(), newer.get(c.ledgerId())) : c).toList();
    }

    private static CallResult ledgerResult(ResultSet rs) throws SQLException {
        return new CallResult(LedgerState.valueOf(rs.getString("state")), rs.getString("bluejay_status"), rs.getString("result_source"),
                rs.getString("evaluation_id"), rs.getObject("goal_success", Boolean.class), rs.getObject("hallucination", Boolean.class),
                rs.getObject("num_turns", Integer.class), rs.getObject("agent_speak_pct", Double.class), rs.getObject("latency_p50", Double.class),
                rs.getObject("latency_p90", Double.class), rs.getString("custom_metrics"), null);
    }

    /** Ledger id → the newest evaluation a round got for it (by the time it arrived). */
    private Map<Long, CallResult> latestRoundResults(List<Long> ledgerIds) {
        Map<Long, CallResult> latest = new HashMap<>();
        for (int i = 0; i < ledgerIds.size(); i += PAGE) {
            jdbc.query("""
                    SELECT r.*, l.source_id FROM reevaluation r JOIN call_ledger l ON l.id = r.ledger_id
                    WHERE r.ledger_id IN (:ids) AND r.state IN ('EVALUATED', 'INCOMPLETE') ORDER BY r.result_at, r.id""",
                    Map.of("ids", ledgerIds.subList(i, Math.min(ledgerIds.size(), i + PAGE))), (ResultSet rs) -> {
                        RoundCall call = RoundCall.MAPPER.mapRow(rs, 0);
                        latest.put(rs.getLong("ledger_id"), java.util.Objects.requireNonNull(call.current()));
                    });
        }
        return latest;
    }

    /**
     * A call this round's execution now owns and must send.
     *
     * @param inDoubt an earlier execution of the round left it PENDING or in doubt: it may have reached Bluejay
     * @param oldEvaluationId the evaluation it replaces (a newer one at Bluejay means the earlier request arrived)
     */
    public record Claimed(long rowId, Evaluated call, boolean inDoubt, @Nullable String oldEvaluationId) {}

    /**
     * What {@link #claim} decided.
     *
     * @param toSend the calls to send now, in the order given
     * @param alreadyInRound sent (or refused) earlier in this round: not sent again
     * @param runningElsewhere left to another live execution of the round
     * @param waitingInAnotherRound not claimed: another round still waits for their new evaluation
     */
    public record RoundClaim(List<Claimed> toSend, int alreadyInRound, int runningElsewhere, int waitingInAnotherRound) {}

    /**
     * Claims {@code calls} in round {@code roundId} for {@code executionId} (one transaction): new ones, FAILED ones and
     * those in doubt are to be sent; the rest were handled earlier in the round. A newly claimed call records the
     * evaluation it replaces. A call that another round still waits for (SENT there, or PENDING of a live execution) is
     * left out and not recorded in this round: a webhook does not say which round's request it answers.
     */
    public RoundClaim claim(long executionId, String jobName, BluejayEndpoint endpoint, String roundId, List<Evaluated> calls) {
        return java.util.Objects.requireNonNull(transactions.execute(tx -> {
            Set<Long> waiting = waitingInOtherRounds(endpoint, roundId, calls);
            Map<List<String>, Evaluated> byKey = new LinkedHashMap<>();
            calls.stream().filter(c -> !waiting.contains(c.ledgerId())).forEach(c -> byKey.putIfAbsent(List.of(roundId, c.callId()), c));
            Map<List<String>, Claims.Row> existing = claims.find(endpoint, byKey.keySet());
            List<Claims.Candidate> candidates = byKey.entrySet().stream().map(e -> new Claims.Candidate(e.getKey(), FINGERPRINT,
                    e.getValue().sourceId(), "call " + e.getValue().callId() + " (" + e.getValue().sourceId() + ") in round " + roundId)).toList();
            List<Claims.Decision> decisions = claims.claim(executionId, jobName, endpoint, candidates, existing, true);
            List<Claimed> toSend = new ArrayList<>();
            int already = 0;
            int elsewhere = 0;
            List<Evaluated> ordered = List.copyOf(byKey.values());
            for (int i = 0; i < ordered.size(); i++) {
                Evaluated call = ordered.get(i);
                Claims.Decision d = decisions.get(i);
                switch (d.verdict()) {
                    case CLAIMED, RESENT_IN_DOUBT -> toSend.add(new Claimed(d.rowId(), call, d.verdict() == Claims.Verdict.RESENT_IN_DOUBT,
                            recordOld(d.rowId(), call)));
                    case RUNNING_ELSEWHERE -> elsewhere++;
                    default -> already++;
                }
            }
            int waitingElsewhere = (int) calls.stream().filter(c -> waiting.contains(c.ledgerId())).map(Evaluated::callId).distinct().count();
            return new RoundClaim(toSend, already, elsewhere, waitingElsewhere);
        }));
    }

    /**
     * The ledger ids of {@code calls} that a round other than {@code roundId} at {@code endpoint} still waits for: SENT,
     * or PENDING of an execution that is alive (a dead one's PENDING row is in doubt, left to its own round's restart).
     * The calls' ledger rows are locked first (in id order), so that two rounds claiming the same call see each other's
     * claim.
     */
    private Set<Long> waitingInOtherRounds(BluejayEndpoint endpoint, String roundId, List<Evaluated> calls) {
        List<Long> ids = calls.stream().map(Evaluated::ledgerId).distinct().sorted().toList();
        if (ids.isEmpty()) {
            return Set.of();
        }
        jdbc.query("SELECT id FROM call_ledger WHERE id IN (:ids) ORDER BY id FOR UPDATE", Map.of("ids", ids), (ResultSet rs) -> {});
        Set<Long> waiting = new HashSet<>();
        Map<Long, Long> pendingOwners = new HashMap<>();
        jdbc.query("""
                SELECT ledger_id, state, job_execution_id FROM reevaluation
                WHERE ledger_id IN (:ids) AND endpoint = :endpoint AND round_id <> :round AND state IN ('SENT', 'PENDING')""",
                new MapSqlParameterSource("ids", ids).addValue("endpoint", endpoint.key()).addValue("round", roundId), (ResultSet rs) -> {
                    Long owner = rs.getObject("job_execution_id", Long.class);
                    if ("SENT".equals(rs.getString("state"))) {
                        waiting.add(rs.getLong("ledger_id"));
                    } else if (owner != null) {
                        pendingOwners.put(rs.getLong("ledger_id"), owner);
                    }
                });
        Set<Long> live = pendingOwners.isEmpty() ? Set.of() : liveOwners.alive(pendingOwners.values());
        pendingOwners.forEach((ledgerId, owner) -> {
            if (live.contains(owner)) {
                waiting.add(ledgerId);
            }
        });
        return waiting;
    }

    /** Fills the replaced evaluation in once (the first claim of the row); returns the one recorded. */
    private @Nullable String recordOld(long rowId, Evaluated call) {
        CallResult r = call.latest();
        jdbc.update("""
                UPDATE reevaluation SET ledger_id = :ledger, old_state = :state, old_bluejay_status = :status, old_evaluation_id = :eval,
                       old_goal_success = :goal, old_hallucination = :halluc, old_num_turns = :turns, old_agent_speak_pct = :speak,
                       old_latency_p50 = :p50, old_latency_p90 = :p90, old_custom_metrics = :custom
                WHERE id = :id AND ledger_id IS NULL""", resultParams(r).addValue("id", rowId).addValue("ledger", call.ledgerId()));
        return jdbc.queryForObject("SELECT old_evaluation_id FROM reevaluation WHERE id = :id", Map.of("id", rowId), String.class);
    }

    private static MapSqlParameterSource resultParams(CallResult r) {
        return new MapSqlParameterSource("state", r.state().name())
                .addValue("status", r.bluejayStatus())
                .addValue("eval", r.evaluationId())
                .addValue("goal", r.goalSuccess())
                .addValue("halluc", r.hallucination())
                .addValue("turns", r.numTurns())
                .addValue("speak", r.agentSpeakPercentage())
                .addValue("p50", r.latencyP50())
                .addValue("p90", r.latencyP90())
                .addValue("custom", r.customMetricsJson() == null ? null : truncate(r.customMetricsJson(), 16000));
    }

    /** Bluejay accepted the re-evaluation (or an in-doubt one was found to have arrived): SENT. */
    public boolean markSent(long rowId, long executionId, int attempts) {
        Map<String, @Nullable Object> columns = new LinkedHashMap<>();
        columns.put("state", ReevaluationState.SENT.name());
        columns.put("in_doubt", false);
        columns.put("sent_at", ClaimOutcomes.NOW);
        return outcomes.record(new ClaimOutcomes.Outcome(rowId, executionId, attempts, null, columns));
    }

    /** Bluejay refused it (404, 422, another 4xx): not sent again in this round. */
    public boolean markRejected(long rowId, long executionId, String error, int attempts) {
        return outcomes.record(new ClaimOutcomes.Outcome(rowId, executionId, attempts, error, Map.of("state", ReevaluationState.REJECTED.name())));
    }

    /** Not sent, for good in this execution: a restart of the round sends it. */
    public boolean markFailed(long rowId, long executionId, String error, int attempts) {
        return outcomes.markFailed(rowId, executionId, error, attempts);
    }

    /** An ambiguous failure: it may have reached Bluejay; a restart of the round looks it up before sending it again. */
    public boolean markInDoubt(long rowId, long executionId, String error, int attempts) {
        return outcomes.markInDoubt(rowId, executionId, error, attempts);
    }

    /** A round's call that waits for its new evaluation (SENT, or PENDING: the webhook may beat the answer's record). */
    public record Awaiting(long rowId, String callId, @Nullable String oldEvaluationId) {}

    /**
     * The oldest round row of Bluejay call {@code callId} at {@code endpoint} still waiting for its new evaluation: the
     * first evaluation to arrive answers the request sent first ({@link #claim} lets no round send a call another round
     * still waits for, so there is normally one at most).
     */
    public Optional<Awaiting> awaiting(String callId, BluejayEndpoint endpoint) {
        return jdbc.query("""
                SELECT id, call_id, old_evaluation_id FROM reevaluation
                WHERE call_id = :call AND endpoint = :endpoint AND state IN ('SENT', 'PENDING')
                ORDER BY id FETCH FIRST 1 ROWS ONLY""", Map.of("call", callId, "endpoint", endpoint.key()),
                (rs, n) -> new Awaiting(rs.getLong("id"), rs.getString("call_id"), rs.getString("old_evaluation_id"))).stream().findFirst();
    }

    /**
     * Stores the new evaluation of a round's call unless it has one: EVALUATED or INCOMPLETE with the {@code new_*}
     * columns; a late or duplicate event changes nothing.
     *
     * @return true when the row changed
     */
    public boolean applyResult(long rowId, CallResult result) {
        ReevaluationState state = result.state() == LedgerState.EVALUATED ? ReevaluationState.EVALUATED : ReevaluationState.INCOMPLETE;
        return jdbc.update("""
                UPDATE reevaluation SET state = :newState, new_bluejay_status = :status, new_evaluation_id = :eval, new_goal_success = :goal,
                       new_hallucination = :halluc, new_num_turns = :turns, new_agent_speak_pct = :speak, new_latency_p50 = :p50,
                       new_latency_p90 = :p90, new_custom_metrics = :custom, result_source = :via, in_doubt = FALSE,
                       result_at = :now, updated_at = :now, sent_at = COALESCE(sent_at, :now)
                WHERE id = :id AND state IN ('SENT', 'PENDING')""",
                resultParams(result).addValue("newState", state.name()).addValue("via", result.via()).addValue("id", rowId)
                        .addValue("now", utc(clock.instant()))) == 1;
    }

    /** Every call of round {@code roundId} at {@code endpoint}, in ledger order. */
    public List<RoundCall> round(String roundId, BluejayEndpoint endpoint) {
        return jdbc.query("""
                SELECT r.*, l.source_id FROM reevaluation r JOIN call_ledger l ON l.id = r.ledger_id
                WHERE r.round_id = :round AND r.endpoint = :endpoint ORDER BY r.ledger_id""",
                Map.of("round", roundId, "endpoint", endpoint.key()), RoundCall.MAPPER);
    }

    /** How many calls of the round wait for their new evaluation (SENT). */
    public long countAwaiting(String roundId, BluejayEndpoint endpoint) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM reevaluation WHERE round_id = :round AND endpoint = :endpoint AND state = 'SENT'",
                Map.of("round", roundId, "endpoint", endpoint.key()), Long.class);
        return n == null ? 0 : n;
    }

    /**
     * The calls of every round at {@code endpoint} (of the rounds of job {@code jobName}, when not null) accepted before
     * {@code sentBefore} still without their new evaluation, at most {@code limit}, oldest first: what a reconciliation
     * round outside the round's own execution polls ({@code reconcile}, {@code serve}).
     */
    public List<Awaiting> awaiting(@Nullable String jobName, BluejayEndpoint endpoint, Instant sentBefore, int limit) {
        return jdbc.query("""
                SELECT id, call_id, old_evaluation_id FROM reevaluation
                WHERE endpoint = :endpoint AND state = 'SENT' AND sent_at < :before
                  AND (CAST(:job AS VARCHAR(200)) IS NULL OR job_name = :job)
                ORDER BY id FETCH FIRST :limit ROWS ONLY""",
                new MapSqlParameterSource("endpoint", endpoint.key()).addValue("before", utc(sentBefore)).addValue("limit", limit)
                        .addValue("job", jobName == null ? null : "reevaluate-" + jobName),
                (rs, n) -> new Awaiting(rs.getLong("id"), rs.getString("call_id"), rs.getString("old_evaluation_id")));
    }

    /** The round's calls accepted before {@code sentBefore} still without their new evaluation, to poll. */
    public List<Awaiting> awaiting(String roundId, BluejayEndpoint endpoint, Instant sentBefore) {
        return jdbc.query("""
                SELECT id, call_id, old_evaluation_id FROM reevaluation
                WHERE round_id = :round AND endpoint = :endpoint AND state = 'SENT' AND sent_at < :before ORDER BY id""",
                new MapSqlParameterSource("round", roundId).addValue("endpoint", endpoint.key()).addValue("before", utc(sentBefore)),
                (rs, n) -> new Awaiting(rs.getLong("id"), rs.getString("call_id"), rs.getString("old_evaluation_id")));
    }
}
