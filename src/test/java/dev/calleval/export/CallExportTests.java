package dev.calleval.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.TestDatabases;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CallExport} on a real database (H2 here, PostgreSQL in {@link CallExportPostgresTests}) filled with more calls
 * than one fetch: input order, the union of metric names (from a cut {@code custom_metrics} column too), calls from
 * before the evaluation was kept whole, the job window, and the conditions under which the driver streams (every read
 * with autocommit off and a fetch size: PostgreSQL then reads through a cursor).
 */
class CallExportTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CALLS = 1_200; // more than two fetches of ExportQueries.FETCH_SIZE

    /** autocommit and fetch size of every query the export ran. */
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private DataSource dataSource;
    private CallExport export;

    DataSource newDataSource() {
        return TestDatabases.Kind.H2.migratedDataSource("call-export");
    }

    @BeforeEach
    void fill() throws Exception {
        dataSource = newDataSource();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ledger = c.prepareStatement("""
                        INSERT INTO call_ledger (id, endpoint, agent_key, source_id, state, call_id, attempts, in_doubt, source_ref, job_name,
                            job_execution_id, bluejay_status, result_source, evaluation_id, goal_success, custom_metrics, created_at, updated_at,
                            submitted_at, result_at, label, metadata, evaluation)
                        VALUES (?, 'sandbox', '1234', ?, 'EVALUATED', ?, 1, FALSE, ?, 'nightly', 7, 'COMPLETED', 'WEBHOOK', ?, ?, ?, ?, ?, ?, ?,
                            'production', ?, ?)""");
                PreparedStatement member = c.prepareStatement(
                        "INSERT INTO execution_call (job_execution_id, ledger_id, source_ref, line, disposition) VALUES (7, ?, ?, ?, 'CLAIMED')")) {
            for (int i = 1; i <= CALLS; i++) {
                long line = CALLS + 2 - i; // input order is the reverse of ledger order
                String metrics = (i % 2 == 0 ? "{\"name\":\"A\",\"response_type\":\"pass_fail\",\"response_value\":\"pass\"}" : "")
                        + (i % 2 == 0 && i % 3 == 0 ? "," : "")
                        + (i % 3 == 0 ? "{\"name\":\"B\",\"response_type\":\"quantitative\",\"response_value\":\"" + i % 5 + "\"}" : "");
                String evaluation = "{\"id\":\"ev-" + i + "\",\"goal_success\":" + (i % 4 != 0) + ",\"goal_reasoning\":\"=because\","
                        + "\"latency\":{\"p50_agent_latency\":1.5},\"custom_metrics\":[" + metrics + "]}";
                String column = metrics.isEmpty() ? null : "{" + (i % 2 == 0 ? "\"A\":\"pass\"" : "") + (i % 6 == 0 ? "," : "")
                        + (i % 3 == 0 ? "\"B\":\"" + i % 5 + "\"" : "") + "}";
                Boolean goal = i % 4 != 0;
                if (i == 1) { // evaluated before V15: key figures only
                    evaluation = null;
                    column = "{\"Legacy\":\"pass\"}";
                }
                if (i == 5) { // a custom_metrics value cut at the column's length: its names come from the evaluation
                    evaluation = "{\"id\":\"ev-5\",\"custom_metrics\":[{\"name\":\"Long\",\"response_value\":\"" + "x".repeat(16_100) + "\"}]}";
                    column = ("{\"Long\":\"" + "x".repeat(16_100)).substring(0, 16_000);
                }
                Instant result = Instant.parse(i <= CALLS / 2 ? "2026-11-19T10:00:00Z" : "2026-11-20T10:00:00Z");
                int p = 1;
                ledger.setLong(p++, i);
                ledger.setString(p++, "s-" + i);
                ledger.setString(p++, "call-" + i);
                ledger.setString(p++, "calls.csv:" + line);
                ledger.setString(p++, "ev-" + i);
                ledger.setObject(p++, goal);
                ledger.setString(p++, column);
                ledger.setTimestamp(p++, Timestamp.from(result.minusSeconds(3600)));
                ledger.setTimestamp(p++, Timestamp.from(result));
                ledger.setTimestamp(p++, i == 3 ? null : Timestamp.from(result.minusSeconds(60)));
                ledger.setTimestamp(p++, i == 3 ? null : Timestamp.from(result));
                ledger.setString(p++, "{\"queue\":\"q" + i % 3 + "\"}");
                ledger.setString(p++, evaluation);
                ledger.addBatch();
                member.setLong(1, i);
                member.setString(2, "calls.csv:" + line);
                member.setLong(3, line);
                member.addBatch();
            }
            ledger.executeBatch();
            member.executeBatch();
        }
        DataSource recording = recordingQueries(dataSource);
        export = new CallExport(recording, new DataSourceTransactionManager(recording));
    }

    private List<CSVRecord> csv(ExportScope scope) throws Exception {
        StringWriter out = new StringWriter();
        assertThat(export.export(scope, ExportFormat.CSV, out)).isEqualTo(out.toString().isEmpty() ? 0 : count(out));
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(out.toString())).getRecords();
    }

    private static long count(StringWriter out) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(out.toString())).stream().count();
    }

    @Test
    void anExecutionsCallsComeInInputOrderWithAColumnPerMetricOfAnyCall() throws Exception {
        List<CSVRecord> rows = csv(new ExportScope.Execution("nightly", 7));

        assertThat(rows).hasSize(CALLS);
        assertThat(rows.get(0).getParser().getHeaderNames()).endsWith("reevaluations", "metric.A", "metric.B", "metric.Legacy", "metric.Long");
        assertThat(rows).extracting(r -> Long.parseLong(r.get("line"))).isSorted().first().isEqualTo(2L);
        CSVRecord last = rows.get(CALLS - 1);
        assertThat(last.get("source_id")).as("ledger id 1 is on the last line").isEqualTo("s-1");
        assertThat(last.get("source")).isEqualTo("calls.csv");
        assertThat(last.get("goal_success")).as("from the key figures").isEqualTo("true");
        assertThat(last.get("metric.Legacy")).isEqualTo("pass");
        assertThat(last.get("evaluation_id")).isEqualTo("ev-1");
        CSVRecord sixth = rows.stream().filter(r -> r.get("source_id").equals("s-6")).findFirst().orElseThrow();
        assertThat(sixth.get("metric.A")).isEqualTo("pass");
        assertThat(sixth.get("metric.B")).isEqualTo("1");
        assertThat(sixth.get("goal_reasoning")).as("a formula neutralised").isEqualTo("'=because");
        assertThat(sixth.get("latency_p50")).isEqualTo("1.5");
        assertThat(JSON.readTree(sixth.get("metadata")).path("queue").asString()).isEqualTo("q0");
        assertThat(rows.stream().filter(r -> r.get("source_id").equals("s-5")).findFirst().orElseThrow().get("metric.Long")).hasSize(16_100);

        assertThat(queries).as("every read streams: autocommit off, fetch size set").isNotEmpty()
                .allMatch(q -> q.equals("autocommit=false fetchSize=" + ExportQueries.FETCH_SIZE), "streaming");
    }

    @Test
    void aJobWindowSelectsByResultTimeElseSubmissionElseFirstRead() throws Exception {
        assertThat(csv(ExportScope.JobWindow.of("nightly", "2026-11-20", null))).hasSize(CALLS / 2)
                .allSatisfy(r -> assertThat(r.get("result_at")).startsWith("2026-11-20T10:00"));
        List<CSVRecord> first = csv(ExportScope.JobWindow.of("nightly", "2026-11-19", "2026-11-20"));
        assertThat(first).hasSize(CALLS / 2);
        assertThat(first).extracting(r -> r.get("source_id")).contains("s-3").first().isEqualTo("s-1");
        assertThat(first.get(0).get("line")).as("the line of the execution that read it").isEqualTo(String.valueOf(CALLS + 1));
        assertThat(csv(ExportScope.JobWindow.of("nightly", "2026-11-19T10:00:01Z", "2026-11-20"))).as("s-3: first read at 09:00")
                .isEmpty();
        assertThat(csv(ExportScope.JobWindow.of("nightly", "2026-11-19T09:00:00Z", "2026-11-19T09:00:01Z")))
                .extracting(r -> r.get("source_id")).containsExactly("s-3");
        assertThat(csv(ExportScope.JobWindow.of("other", null, null))).isEmpty();
        assertThat(export.hasCalls("nightly")).isTrue();
        assertThat(export.hasCalls("other")).isFalse();
    }

    @Test
    void jsonLinesHoldEveryCallAsOneObject() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(export.export(new ExportScope.Execution("nightly", 7), ExportFormat.JSONL, out)).isEqualTo(CALLS);
        List<JsonNode> calls = out.toString().lines().map(JSON::readTree).toList();
        assertThat(calls).hasSize(CALLS);
        assertThat(out.toString()).endsWith("}\n");
        JsonNode sixth = calls.stream().filter(c -> c.path("source").path("source_id").asString().equals("s-6")).findFirst().orElseThrow();
        assertThat(sixth.path("custom_metrics").path("B").path("response_value").asString()).isEqualTo("1");
        assertThat(sixth.path("evaluation").path("goal_reasoning").asString()).as("JSON is not a spreadsheet").isEqualTo("=because");
        assertThat(sixth.path("source").path("metadata").path("queue").asString()).isEqualTo("q0");

        StringWriter none = new StringWriter();
        assertThat(export.export(ExportScope.JobWindow.of("other", null, null), ExportFormat.JSONL, none)).isZero();
        assertThat(none.toString()).isEmpty();
    }

    /** {@code dataSource} whose statements record, when a query is executed, the connection's autocommit and their fetch size. */
    private DataSource recordingQueries(DataSource target) {
        return proxy(DataSource.class, target, (method, args, result) -> {
            if (method.equals("getConnection")) {
                Connection connection = (Connection) result;
                return proxy(Connection.class, connection, (m, a, r) -> {
                    if (m.equals("prepareStatement") && r instanceof PreparedStatement statement) {
                        return proxy(PreparedStatement.class, statement, (sm, sa, sr) -> {
                            return sr;
                        }, (sm, sa) -> {
                            if (sm.equals("executeQuery")) {
                                queries.add("autocommit=" + connection.getAutoCommit() + " fetchSize=" + statement.getFetchSize());
                            }
                        });
                    }
                    return r;
                }, null);
            }
            return result;
        }, null);
    }

    private interface After {
        Object apply(String method, Object[] args, Object result) throws Exception;
    }

    private interface Before {
        void accept(String method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, After after, Before before) {
        return type.cast(Proxy.newProxyInstance(CallExportTests.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (before != null) {
                before.accept(method.getName(), args);
            }
            try {
                return after.apply(method.getName(), args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
