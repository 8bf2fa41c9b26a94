package dev.calleval.quality;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what comparisons need from the state store: a job's completed executions (Spring Batch's job repository) and
 * the evaluated calls of a set of executions (the calls ledger: {@code execution_call} joined to {@code call_ledger},
 * its label, metadata and newest evaluation, V15). Each call counts once however many of the executions read it. Read
 * only; thread-safe.
 */
@Repository
public class QualityRecords {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NamedParameterJdbcTemplate jdbc;

    public QualityRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A job execution.
     *
     * @param status Spring Batch's status, e.g. {@code COMPLETED}
     * @param startTime null before it started
     */
    public record ExecutionRef(long id, String job, String status, @Nullable Instant startTime) {}

    /** The execution with this id, of any job and status. */
    public Optional<ExecutionRef> execution(long id) {
        return jdbc.query("""
                SELECT e.JOB_EXECUTION_ID, i.JOB_NAME, e.STATUS, e.START_TIME FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID WHERE e.JOB_EXECUTION_ID = :id""",
                Map.of("id", id), QualityRecords::ref).stream().findFirst();
    }

    /**
     * The job's COMPLETED executions with an id below {@code before} (all when null), newest first, at most {@code limit}.
     */
    public List<ExecutionRef> completedExecutions(String job, @Nullable Long before, int limit) {
        return jdbc.query("""
                SELECT e.JOB_EXECUTION_ID, i.JOB_NAME, e.STATUS, e.START_TIME FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
                WHERE i.JOB_NAME = :job AND e.STATUS = 'COMPLETED' AND e.JOB_EXECUTION_ID < :before
                ORDER BY e.JOB_EXECUTION_ID DESC FETCH FIRST :limit ROWS ONLY""",
                new MapSqlParameterSource("job", job).addValue("before", before == null ? Long.MAX_VALUE : before).addValue("limit", limit),
                QualityRecords::ref);
    }

    private static ExecutionRef ref(ResultSet rs, int row) throws SQLException {
        Timestamp start = rs.getTimestamp("START_TIME");
        return new ExecutionRef(rs.getLong("JOB_EXECUTION_ID"), rs.getString("JOB_NAME"), rs.getString("STATUS"),
                start == null ? null : start.toLocalDateTime().atZone(java.time.ZoneId.systemDefault()).toInstant());
    }

    /** Streams the calls with a result (EVALUATED, INCOMPLETE) that any of {@code executionIds} read, each once. */
    public void forEachEvaluatedCall(List<Long> executionIds, Consumer<CallFigures> consumer) {
        forEachEvaluatedCall(executionIds, true, consumer);
    }

    /**
     * Streams the calls with a result that any of {@code executionIds} read, each once; without {@code details} only
     * their agent and key figures (no label, metadata or custom metrics: the JSON columns are not read).
     */
    public void forEachEvaluatedCall(List<Long> executionIds, boolean details, Consumer<CallFigures> consumer) {
        if (executionIds.isEmpty()) {
            return;
        }
        if (!details) {
            jdbc.query("""
                    SELECT l.agent_key, l.goal_success, l.hallucination, l.latency_p50, l.latency_p90 FROM call_ledger l
                    WHERE l.state IN ('EVALUATED', 'INCOMPLETE')
                      AND l.id IN (SELECT c.ledger_id FROM execution_call c WHERE c.job_execution_id IN (:ids))""",
                    Map.of("ids", executionIds), (ResultSet rs) -> {
                consumer.accept(new CallFigures(rs.getString("agent_key"), null, Map.of(), rs.getObject("goal_success", Boolean.class),
                        rs.getObject("hallucination", Boolean.class), rs.getObject("latency_p50", Double.class),
                        rs.getObject("latency_p90", Double.class), List.of()));
            });
            return;
        }
        jdbc.query("""
                SELECT l.agent_key, l.label, l.metadata, l.goal_success, l.hallucination, l.latency_p50, l.latency_p90,
                       l.custom_metrics, l.evaluation
                FROM call_ledger l
                WHERE l.state IN ('EVALUATED', 'INCOMPLETE')
                  AND l.id IN (SELECT c.ledger_id FROM execution_call c WHERE c.job_execution_id IN (:ids))
                ORDER BY l.id""", Map.of("ids", executionIds), (ResultSet rs) -> {
            consumer.accept(new CallFigures(rs.getString("agent_key"), rs.getString("label"), metadata(rs.getString("metadata")),
                    rs.getObject("goal_success", Boolean.class), rs.getObject("hallucination", Boolean.class),
                    rs.getObject("latency_p50", Double.class), rs.getObject("latency_p90", Double.class),
                    metrics(rs.getString("evaluation"), rs.getString("custom_metrics"))));
        });
    }

    /** The metadata JSON object as key → text (nested values as JSON); empty when absent or unreadable. */
    static Map<String, String> metadata(@Nullable String json) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode node = read(json);
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                if (v != null && !v.isNull()) {
                    values.put(e.getKey(), v.isValueNode() ? v.asString() : v.toString());
                }
            }
        }
        return values;
    }

    /**
     * The custom metric results that can be compared: from the evaluation's {@code custom_metrics} (API reference §2.3:
     * {@code response_type} {@code pass_fail}/{@code yes_no} → pass/fail, {@code quantitative} → number), else from the
     * ledger's name → value object, typed by the value ({@code pass}/{@code fail}/{@code yes}/{@code no}/{@code true}/{@code false},
     * or a number). Other results (qualitative, enum, json, not applicable) are left out.
     */
    static List<CallFigures.MetricValue> metrics(@Nullable String evaluationJson, @Nullable String customMetricsJson) {
        List<CallFigures.MetricValue> values = new ArrayList<>();
        JsonNode evaluation = read(evaluationJson);
        JsonNode results = evaluation == null ? null : evaluation.get("custom_metrics");
        if (results != null && results.isArray()) {
            for (JsonNode r : results) {
                String name = r.path("name").asString("");
                if (name.isBlank()) {
                    continue;
                }
                CallFigures.MetricValue v = typed(name, r.path("response_type").asString(""), r.path("response_value").asString(""));
                if (v != null) {
                    values.add(v);
                }
            }
            return values;
        }
        JsonNode byName = read(customMetricsJson);
        if (byName != null && byName.isObject()) {
            for (Map.Entry<String, JsonNode> e : byName.properties()) {
                JsonNode v = e.getValue();
                CallFigures.MetricValue typed = v == null || v.isNull() || !v.isValueNode() ? null : typed(e.getKey(), "", v.asString());
                if (typed != null) {
                    values.add(typed);
                }
            }
        }
        return values;
    }

    private static CallFigures.@Nullable MetricValue typed(String name, String responseType, String raw) {
        String value = raw.strip().toLowerCase(Locale.ROOT);
        Boolean verdict = switch (value) {
            case "pass", "passed", "yes", "true" -> Boolean.TRUE;
            case "fail", "failed", "no", "false" -> Boolean.FALSE;
            default -> null;
        };
        String type = responseType.toLowerCase(Locale.ROOT);
        if (verdict != null && (type.isEmpty() || type.equals("pass_fail") || type.equals("yes_no"))) {
            return new CallFigures.MetricValue(name, verdict, null);
        }
        if (type.isEmpty() || type.equals("quantitative")) {
            try {
                double number = Double.parseDouble(value);
                return Double.isFinite(number) ? new CallFigures.MetricValue(name, null, number) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static @Nullable JsonNode read(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return null;
        }
    }
}
