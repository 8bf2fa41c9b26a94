package dev.calleval.export;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.CustomMetricResult;
import dev.calleval.bluejay.Evaluation;
import dev.calleval.bluejay.Latency;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The export's reads of the ledger ({@code call_ledger}, joined to {@code execution_call} for the source line), as
 * streams: each query runs in a read-only transaction (autocommit off) with a JDBC fetch size, so that PostgreSQL
 * sends the rows through a cursor {@value #FETCH_SIZE} at a time instead of all at once, and on H2 in lazy query
 * execution, so that H2 reads the rows as they are fetched instead of building the whole result first. The ordered
 * reads follow an index (the primary key; {@code execution_call_line_ix}), so neither database sorts. Memory does not
 * grow with the number of calls. Thread-safe.
 */
final class ExportQueries {
    /** Rows the driver fetches per round trip. */
    static final int FETCH_SIZE = 500;
    /** Length of {@code call_ledger.custom_metrics}: a value this long may have been cut, so its names are read from the evaluation. */
    private static final int CUSTOM_METRICS_LENGTH = 16000;

    private static final JsonMapper JSON = BluejayJson.mapper();

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    ExportQueries(DataSource dataSource, PlatformTransactionManager transactionManager) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(template);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /** Whether the ledger holds any call of this job. */
    boolean hasCalls(String job) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM call_ledger WHERE job_name = :job FETCH FIRST 1 ROWS ONLY) x",
                Map.of("job", job), Integer.class);
        return n != null && n > 0;
    }

    /**
     * The names of every custom metric of the scope's calls (the first, cheap pass of a CSV export): read from the
     * small {@code custom_metrics} column (name → value), and from the evaluation only where that column may have been
     * cut. Adds them to {@code names}.
     */
    void addMetricNames(ExportScope scope, Set<String> names) {
        Query q = query(scope, "l.custom_metrics, CASE WHEN LENGTH(l.custom_metrics) >= " + CUSTOM_METRICS_LENGTH
                + " THEN l.evaluation END AS evaluation", false);
        stream(q, rs -> {
            String column = rs.getString("custom_metrics");
            if (column == null) {
                return;
            }
            if (!addKeys(column, names)) {
                Evaluation e = evaluation(rs.getString("evaluation"));
                if (e != null && e.customMetrics() != null) {
                    e.customMetrics().forEach(m -> names.add(m.name()));
                }
            }
        });
    }

    /** Streams the scope's calls in order (an execution: input order; a job: ledger order) to {@code consumer}. */
    void forEachCall(ExportScope scope, Consumer<ExportedCall> consumer) {
        Query q = query(scope, "l.*, " + REEVALUATION_ROUNDS, true);
        stream(q, rs -> consumer.accept(call(scope, rs)));
    }

    /**
     * Re-evaluation rounds in which Bluejay accepted a re-evaluation of the call ({@code reevaluation} rows SENT,
     * EVALUATED or INCOMPLETE; docs/reevaluation.md), from the {@code reevaluation_rounds} column of {@link #forEachCall}.
     */
    static int reevaluations(ResultSet row) throws SQLException {
        return row.getInt("reevaluation_rounds");
    }

    /** The count behind {@link #reevaluations}, one index lookup per call ({@code reevaluation_ledger_ix}). */
    private static final String REEVALUATION_ROUNDS = "(SELECT COUNT(*) FROM reevaluation r WHERE r.ledger_id = l.id"
            + " AND r.state IN ('SENT', 'EVALUATED', 'INCOMPLETE')) AS reevaluation_rounds";

    private record Query(String sql, MapSqlParameterSource parameters) {}

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private void stream(Query q, RowHandler handler) {
        readOnly.executeWithoutResult(status -> {
            boolean h2 = Boolean.TRUE.equals(jdbc.getJdbcTemplate().execute((ConnectionCallback<Boolean>) c -> isH2(c)));
            if (h2) {
                jdbc.getJdbcTemplate().execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            try {
                jdbc.query(q.sql(), q.parameters(), (ResultSet rs) -> {
                    handler.handle(rs);
                });
            } finally {
                if (h2) {
                    jdbc.getJdbcTemplate().execute("SET LAZY_QUERY_EXECUTION FALSE"); // the pooled connection as it was
                }
            }
        });
    }

    /**
     * H2 builds a whole result before the first row by default (in memory, up to its {@code MAX_MEMORY_ROWS} rows of
     * any size); in lazy mode it reads the rows as they are fetched, when an index gives their order (the primary key
     * for a job, {@code execution_call_line_ix} for an execution, V16).
     */
    private static boolean isH2(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().equalsIgnoreCase("H2");
    }

    /**
     * @param columns the columns of {@code call_ledger l} to select besides the source's
     * @param ordered whether the rows must come in order (not for the metric-name pass)
     */
    private static Query query(ExportScope scope, String columns, boolean ordered) {
        if (scope instanceof ExportScope.Execution e) {
            return new Query("""
                    SELECT e.source_ref AS export_ref, e.line AS export_line, e.disposition AS export_disposition,
                           e.job_execution_id AS export_execution, %s
                    FROM execution_call e JOIN call_ledger l ON l.id = e.ledger_id
                    WHERE e.job_execution_id = :exec""".formatted(columns) + (ordered ? " ORDER BY e.line, e.ledger_id" : ""),
                    new MapSqlParameterSource("exec", e.executionId()));
        }
        ExportScope.JobWindow w = (ExportScope.JobWindow) scope; // the interface is sealed: the other kind
        MapSqlParameterSource p = new MapSqlParameterSource("job", w.job());
        StringBuilder sql = new StringBuilder("""
                SELECT COALESCE(e.source_ref, l.source_ref) AS export_ref, e.line AS export_line, NULL AS export_disposition,
                       l.job_execution_id AS export_execution, %s
                FROM call_ledger l LEFT JOIN execution_call e ON e.job_execution_id = l.job_execution_id AND e.ledger_id = l.id
                WHERE l.job_name = :job""".formatted(columns));
        if (w.since() != null) {
            sql.append(" AND COALESCE(l.result_at, l.submitted_at, l.created_at) >= :since");
            p.addValue("since", utc(w.since()));
        }
        if (w.until() != null) {
            sql.append(" AND COALESCE(l.result_at, l.submitted_at, l.created_at) < :until");
            p.addValue("until", utc(w.until()));
        }
        if (ordered) {
            sql.append(" ORDER BY l.id");
        }
        return new Query(sql.toString(), p);
    }

    private static ExportedCall call(ExportScope scope, ResultSet rs) throws SQLException {
        Evaluation evaluation = evaluation(rs.getString("evaluation"));
        if (evaluation == null) {
            evaluation = fromKeyFigures(rs); // a call evaluated before the evaluation was kept as JSON (V15)
        }
        Map<String, CustomMetricResult> metrics = new LinkedHashMap<>();
        if (evaluation != null && evaluation.customMetrics() != null) {
            evaluation.customMetrics().forEach(m -> metrics.put(m.name(), m));
        }
        long line = rs.getLong("export_line");
        Long execution = rs.getObject("export_execution", Long.class);
        return new ExportedCall(scope.job(), execution, rs.getString("export_disposition"),
                new ExportedCall.Source(location(rs.getString("export_ref"), line), line, rs.getString("source_id"), rs.getString("agent_key"),
                        rs.getString("label"), rs.getString("metadata")),
                new ExportedCall.Bluejay(rs.getString("endpoint"), rs.getString("call_id"), rs.getString("bluejay_status"),
                        rs.getString("evaluation_id")),
                rs.getString("state"), evaluation, metrics,
                new ExportedCall.Submission(rs.getInt("attempts"), rs.getBoolean("in_doubt"), instant(rs, "created_at"),
                        instantOrNull(rs, "submitted_at"), instantOrNull(rs, "result_at"), rs.getString("result_source"),
                        rs.getString("last_error"), reevaluations(rs)));
    }

    /** The source location without the {@code :line} that {@code SourceRef} appends. */
    static String location(@Nullable String ref, long line) {
        if (ref == null) {
            return "";
        }
        String suffix = ":" + line;
        return line > 0 && ref.endsWith(suffix) ? ref.substring(0, ref.length() - suffix.length()) : ref;
    }

    private static @Nullable Evaluation evaluation(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, Evaluation.class);
        } catch (JacksonException e) {
            return null; // never written so by calleval; the key figures are used instead
        }
    }

    /** The evaluation as far as the ledger's key-figure columns tell it, or null when the call has no result figures. */
    private static @Nullable Evaluation fromKeyFigures(ResultSet rs) throws SQLException {
        String id = rs.getString("evaluation_id");
        Boolean goal = rs.getObject("goal_success", Boolean.class);
        Boolean hallucination = rs.getObject("hallucination", Boolean.class);
        Integer turns = rs.getObject("num_turns", Integer.class);
        Double speak = rs.getObject("agent_speak_pct", Double.class);
        Double p50 = rs.getObject("latency_p50", Double.class);
        Double p90 = rs.getObject("latency_p90", Double.class);
        String custom = rs.getString("custom_metrics");
        if (id == null && goal == null && hallucination == null && turns == null && speak == null && p50 == null && p90 == null && custom == null) {
            return null;
        }
        java.util.List<CustomMetricResult> metrics = null;
        if (custom != null) {
            metrics = new java.util.ArrayList<>();
            try {
                for (Map.Entry<String, tools.jackson.databind.JsonNode> m : JSON.readTree(custom).properties()) {
                    metrics.add(new CustomMetricResult(m.getKey(), null, null, m.getValue().isNull() ? null : m.getValue().asString(),
                            null, null, null, null, null));
                }
            } catch (JacksonException cut) {
                // cut at the column's length: the metrics that could be read are kept
            }
        }
        Latency latency = p50 == null && p90 == null ? null : new Latency(null, null, p50, p90, null, null);
        return new Evaluation(id, null, hallucination, null, null, null, speak, null, latency, null, turns, null, goal, null,
                null, null, null, null, null, null, metrics);
    }

    /** Adds the property names of a JSON object to {@code names}; false when the text is not a whole JSON object. */
    private static boolean addKeys(String json, Set<String> names) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                names.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            return p.currentToken() == JsonToken.END_OBJECT;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Instant t = instantOrNull(rs, column);
        return t == null ? Instant.EPOCH : t;
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
