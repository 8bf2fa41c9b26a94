package dev.calleval.simulation;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.CustomMetricResult;
import dev.calleval.bluejay.Evaluation;
import dev.calleval.bluejay.SimulationRunResponse;
import dev.calleval.bluejay.SimulationRunSummary;
import dev.calleval.bluejay.TestResultStatus;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Simulation runs and their results ({@code simulation_run}, {@code simulation_result},
 * {@code simulation_queue_request}). A result's status only moves forward through the lifecycle
 * (queued → running → conversation ended → evaluating → a terminal status), so webhooks that arrive late, twice or
 * out of order never take it back; a terminal result changes again only when a newer evaluation arrives
 * (re-evaluation). Thread-safe.
 */
@Repository
public class SimulationStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate savepoint;

    public SimulationStore(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** PASS / FAIL of a finished result; null while unknown. */
    public enum Outcome { PASS, FAIL }

    /**
     * A result as stored. {@code status} is Bluejay's text ({@link TestResultStatus}); {@code durationMs} as the
     * API gave it.
     */
    public record ResultRow(String resultId, String runId, @Nullable String digitalHumanId, @Nullable String digitalHumanName,
            @Nullable String phoneNumber, String status, @Nullable Outcome outcome, @Nullable String resultSource,
            @Nullable String evaluationId, @Nullable OffsetDateTime evaluationAt, @Nullable Boolean goalSuccess, @Nullable String customMetrics,
            @Nullable String startTime, @Nullable String endTime, @Nullable Long duration, OffsetDateTime updatedAt) {}

    /** A run with its stored results. {@code status} is Bluejay's when polled, else derived from the results. */
    public record RunView(String runId, @Nullable String simulationId, @Nullable String agentId, String status,
            boolean outbound, @Nullable String queuedBy, OffsetDateTime createdAt, List<ResultRow> results) {

        /** Results per status, e.g. {@code RUNNING=1, COMPLETED=2}. */
        public Map<String, Long> statusCounts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
            return counts;
        }

        public long passed() {
            return results.stream().filter(r -> r.outcome() == Outcome.PASS).count();
        }

        public long failed() {
            return results.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
        }

        /** True when every result has a terminal status. */
        public boolean finished() {
            return !results.isEmpty() && results.stream().allMatch(r -> TestResultStatus.of(r.status()).isTerminal());
        }
    }

    /** What is known about a result from one webhook or poll. */
    public record ResultUpdate(String resultId, String runId, @Nullable String digitalHumanId, String status,
            @Nullable List<Evaluation> evaluations, @Nullable String startTime, @Nullable String endTime,
            @Nullable Long duration, String via) {}

    /** Records one {@code queue-sms-simulation-run} request and what became of it. */
    public void recordQueueRequest(String simulationId, String requestJson, String state, @Nullable String runId,
            @Nullable String error, String queuedBy) {
        jdbc.update("""
                INSERT INTO simulation_queue_request (simulation_id, request, state, run_id, error, queued_by, created_at)
                VALUES (:sim, :req, :state, :run, :error, :by, :now)""",
                new MapSqlParameterSource("sim", simulationId).addValue("req", truncate(requestJson, 4000))
                        .addValue("state", state).addValue("run", runId).addValue("error", error == null ? null : truncate(error, 4000))
                        .addValue("by", queuedBy).addValue("now", now()));
    }

    /** Queue requests that ended in doubt: a run may have been queued. Newest first. */
    public List<Map<String, Object>> queueRequestsInDoubt() {
        return jdbc.queryForList("""
                SELECT id, simulation_id, error, queued_by, created_at FROM simulation_queue_request
                WHERE state = 'IN_DOUBT' ORDER BY id DESC""", Map.of());
    }

    /** A run just queued: the run and one QUEUED row per result id. */
    @Transactional
    public void recordQueued(SimulationRunResponse response, String simulationId, String queuedBy) {
        upsertRun(response.simulationRunId(), simulationId, response.agentId(), null, false, queuedBy);
        for (String resultId : response.simulationResultIds()) {
            insertResultIfAbsent(resultId, response.simulationRunId(), null, "QUEUED");
        }
    }

    /** An {@code outbound_simulation_started} event: the run, and its results with their digital humans. */
    @Transactional
    public void recordOutboundStarted(String runId, @Nullable String simulationId, @Nullable String agentId,
            List<dev.calleval.bluejay.WebhookEvent.DigitalHuman> digitalHumans) {
        upsertRun(runId, simulationId, agentId, null, true, null);
        for (var human : digitalHumans) {
            for (Long resultId : human.associatedSimulationResultIds() == null ? List.<Long>of() : human.associatedSimulationResultIds()) {
                insertResultIfAbsent(Long.toString(resultId), runId, Long.toString(human.id()), "QUEUED");
                jdbc.update("""
                        UPDATE simulation_result SET digital_human_id = :dh, digital_human_name = :name, phone_number = :phone
                        WHERE result_id = :id""",
                        new MapSqlParameterSource("id", Long.toString(resultId)).addValue("dh", Long.toString(human.id()))
                                .addValue("name", human.name()).addValue("phone", human.phoneNumber()));
            }
        }
    }

    /** A run's totals from {@code retrieve-simulation-results}. */
    public void recordRunSummary(SimulationRunSummary summary) {
        upsertRun(summary.id(), summary.simulationId(), null, summary.status(), false, null);
    }

    /**
     * Applies what a webhook or poll says about a result, unless the stored status is further along.
     *
     * @return true when the stored result changed
     */
    @Transactional
    public boolean applyResult(ResultUpdate update) {
        insertResultIfAbsent(update.resultId(), update.runId(), update.digitalHumanId(), update.status());
        ResultRow current = result(update.resultId()).orElseThrow();
        Optional<Evaluation> latest = latest(update.evaluations());
        if (!movesForward(current, update.status(), latest)) {
            return false;
        }
        boolean completed = TestResultStatus.of(update.status()) == TestResultStatus.COMPLETED;
        Outcome outcome = completed ? outcome(latest) : null;
        return jdbc.update("""
                UPDATE simulation_result SET status = :status,
                       outcome = CASE WHEN :completed THEN COALESCE(:outcome, outcome) ELSE NULL END, result_source = :via,
                       evaluation_id = COALESCE(:eval, evaluation_id), evaluation_at = COALESCE(:evalAt, evaluation_at),
                       goal_success = COALESCE(:goal, goal_success),
                       custom_metrics = COALESCE(:custom, custom_metrics), start_time = COALESCE(:start, start_time),
                       end_time = COALESCE(:end, end_time), duration = COALESCE(:duration, duration),
                       digital_human_id = COALESCE(digital_human_id, :dh), updated_at = :now
                WHERE result_id = :id AND status = :old""",
                new MapSqlParameterSource("id", update.resultId())
                        .addValue("status", update.status())
                        .addValue("old", current.status())
                        .addValue("outcome", outcome == null ? null : outcome.name())
                        .addValue("completed", completed)
                        .addValue("evalAt", latest.map(Evaluation::createdAt).map(t -> t.withOffsetSameInstant(ZoneOffset.UTC)).orElse(null))
                        .addValue("via", update.via())
                        .addValue("eval", latest.map(Evaluation::id).orElse(null))
                        .addValue("goal", latest.map(Evaluation::goalSuccess).orElse(null))
                        .addValue("custom", latest.map(SimulationStore::customMetricsJson).orElse(null))
                        .addValue("start", update.startTime())
                        .addValue("end", update.endTime())
                        .addValue("duration", update.duration())
                        .addValue("dh", update.digitalHumanId())
                        .addValue("now", now())) == 1;
    }

    /**
     * True when {@code status} is further along than the stored one; at the same stage, when it is the first report
     * (nothing applied yet), or a terminal status with a newer evaluation than the stored one (re-evaluation): a late
     * or reordered event with an older evaluation never replaces a newer one.
     */
    private static boolean movesForward(ResultRow current, String status, Optional<Evaluation> latest) {
        int newRank = rank(status);
        int oldRank = rank(current.status());
        if (newRank != oldRank) {
            return newRank > oldRank;
        }
        if (current.resultSource() == null) {
            return true;
        }
        if (newRank != 5 || latest.isEmpty() || latest.get().id() == null || latest.get().id().equals(current.evaluationId())) {
            return false;
        }
        OffsetDateTime incoming = latest.get().createdAt();
        return current.evaluationAt() == null || (incoming != null && incoming.isAfter(current.evaluationAt()));
    }

    /** One result. */
    public Optional<ResultRow> result(String resultId) {
        return jdbc.query("SELECT * FROM simulation_result WHERE result_id = :id", Map.of("id", resultId), RESULT).stream().findFirst();
    }

    /** A run with its results. */
    public Optional<RunView> run(String runId) {
        return jdbc.query("SELECT * FROM simulation_run WHERE run_id = :id", Map.of("id", runId), (rs, n) -> rs.getString("run_id"))
                .stream().findFirst().map(id -> view(id));
    }

    /** The most recently created runs, newest first. */
    public List<RunView> recentRuns(int limit) {
        return jdbc.query("SELECT run_id FROM simulation_run ORDER BY created_at DESC, run_id DESC FETCH FIRST :n ROWS ONLY",
                Map.of("n", limit), (rs, n) -> rs.getString(1)).stream().map(this::view).toList();
    }

    private RunView view(String runId) {
        List<ResultRow> results = jdbc.query("SELECT * FROM simulation_result WHERE run_id = :id ORDER BY result_id",
                Map.of("id", runId), RESULT).stream().sorted(Comparator.comparing(SimulationStore::numericOrder)).toList();
        return jdbc.queryForObject("SELECT * FROM simulation_run WHERE run_id = :id", Map.of("id", runId), (rs, n) -> {
            String polled = rs.getString("status");
            boolean finished = !results.isEmpty() && results.stream().allMatch(r -> TestResultStatus.of(r.status()).isTerminal());
            String status = finished ? "COMPLETED" : polled != null && !"COMPLETED".equals(polled) ? polled : results.isEmpty() ? "QUEUED" : "RUNNING";
            return new RunView(runId, rs.getString("simulation_id"), rs.getString("agent_id"), status, rs.getBoolean("outbound"),
                    rs.getString("queued_by"), rs.getObject("created_at", OffsetDateTime.class), results);
        });
    }

    private static long numericOrder(ResultRow row) {
        try {
            return Long.parseLong(row.resultId());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void upsertRun(String runId, @Nullable String simulationId, @Nullable String agentId, @Nullable String status,
            boolean outbound, @Nullable String queuedBy) {
        MapSqlParameterSource p = new MapSqlParameterSource("run", runId).addValue("sim", simulationId).addValue("agent", agentId)
                .addValue("status", status).addValue("outbound", outbound).addValue("by", queuedBy).addValue("now", now());
        String update = """
                UPDATE simulation_run SET simulation_id = COALESCE(:sim, simulation_id), agent_id = COALESCE(:agent, agent_id),
                       status = COALESCE(:status, status), outbound = (outbound OR :outbound),
                       queued_by = COALESCE(queued_by, :by), updated_at = :now WHERE run_id = :run""";
        if (jdbc.update(update, p) == 0) {
            try {
                savepoint.executeWithoutResult(tx -> jdbc.update("""
                        INSERT INTO simulation_run (run_id, simulation_id, agent_id, status, outbound, queued_by, created_at, updated_at)
                        VALUES (:run, :sim, :agent, :status, :outbound, :by, :now, :now)""", p));
            } catch (DuplicateKeyException raced) {
                jdbc.update(update, p);
            }
        }
    }

    private void insertResultIfAbsent(String resultId, String runId, @Nullable String digitalHumanId, String status) {
        if (result(resultId).isPresent()) {
            return;
        }
        try {
            savepoint.executeWithoutResult(tx -> jdbc.update("""
                    INSERT INTO simulation_result (result_id, run_id, digital_human_id, status, created_at, updated_at)
                    VALUES (:id, :run, :dh, :status, :now, :now)""",
                    new MapSqlParameterSource("id", resultId).addValue("run", runId).addValue("dh", digitalHumanId)
                            .addValue("status", status).addValue("now", now())));
        } catch (DuplicateKeyException raced) {
            // another event recorded it first
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM simulation_run WHERE run_id = :run", Map.of("run", runId), Integer.class) == 0) {
            upsertRun(runId, null, null, null, false, null);
        }
    }

    /** Lifecycle rank: a status never replaces one of a higher rank. Terminal statuses rank 5. */
    static int rank(String status) {
        TestResultStatus s = TestResultStatus.of(status);
        if (s.isTerminal()) {
            return 5;
        }
        return switch (s) {
            case INITIALIZING, QUEUED, READY, DISPATCHED -> 1;
            case RUNNING -> 2;
            case CONVERSATION_ENDED -> 3;
            case EVALUATING -> 4;
            default -> 4; // a status this version does not know: keep it, but never over a final one
        };
    }

    /**
     * FAIL when the evaluation says the goal was not met or a pass/fail custom metric failed; PASS when the goal was
     * met (and nothing failed); null when the evaluation does not say.
     */
    static @Nullable Outcome outcome(Optional<Evaluation> evaluation) {
        if (evaluation.isEmpty()) {
            return null;
        }
        Evaluation e = evaluation.get();
        boolean metricFailed = e.customMetrics() != null && e.customMetrics().stream()
                .anyMatch(m -> m.responseValue() != null && m.responseValue().strip().toLowerCase(Locale.ROOT).equals("fail"));
        if (Boolean.FALSE.equals(e.goalSuccess()) || metricFailed) {
            return Outcome.FAIL;
        }
        return Boolean.TRUE.equals(e.goalSuccess()) ? Outcome.PASS : null;
    }

    private static Optional<Evaluation> latest(@Nullable List<Evaluation> evaluations) {
        if (evaluations == null || evaluations.isEmpty()) {
            return Optional.empty();
        }
        return evaluations.stream().max(Comparator.comparing(
                (Evaluation e) -> e.createdAt() == null ? null : e.createdAt().toInstant(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    private static @Nullable String customMetricsJson(Evaluation e) {
        if (e.customMetrics() == null || e.customMetrics().isEmpty()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (CustomMetricResult m : e.customMetrics()) {
            values.put(m.name(), m.responseValue());
        }
        return truncate(BluejayJson.mapper().writeValueAsString(values), 16000);
    }

    private static final RowMapper<ResultRow> RESULT = (rs, n) -> new ResultRow(rs.getString("result_id"), rs.getString("run_id"),
            rs.getString("digital_human_id"), rs.getString("digital_human_name"), rs.getString("phone_number"), rs.getString("status"),
            rs.getString("outcome") == null ? null : Outcome.valueOf(rs.getString("outcome")), rs.getString("result_source"),
            rs.getString("evaluation_id"), rs.getObject("evaluation_at", OffsetDateTime.class), (Boolean) rs.getObject("goal_success"), rs.getString("custom_metrics"),
            rs.getString("start_time"), rs.getString("end_time"), (Long) (rs.getObject("duration") == null ? null : rs.getLong("duration")),
            rs.getObject("updated_at", OffsetDateTime.class));

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
