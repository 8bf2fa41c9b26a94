package dev.calleval.plan;

import dev.calleval.CommandLine;
import dev.calleval.TestDatabases;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run JOB --dry-run} and {@code sampling:} as an operator uses them: through the real command line against the
 * embedded sandbox ({@code --sandbox}: a Bluejay-compatible server on loopback, signed webhooks back), on H2.
 * {@link PlanAndSamplingPostgresTests} runs the same on PostgreSQL.
 */
class PlanAndSamplingFunctionalTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The tables a run writes: a dry run must leave every one of them as it found it. */
    private static final List<String> STATE_TABLES = List.of("call_ledger", "execution_call", "rejection", "BATCH_JOB_INSTANCE",
            "BATCH_JOB_EXECUTION", "BATCH_STEP_EXECUTION");

    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeEach
    void freshDatabase() {
        databaseUrl = newDatabaseUrl();
    }

    /** The JDBC URL of a new, empty database for one test: H2 in memory here. */
    String newDatabaseUrl() {
        return TestDatabases.Kind.H2.freshUrl("plan");
    }

    /** A manifest of {@code rows} calls (ids call-000 ...), each with the same sample transcript. */
    private Path manifest(int rows) throws IOException {
        String transcript = SAMPLE_DATA.resolve("transcripts/nw-2026-11-19-0001.json").toString();
        String body = IntStream.range(0, rows).mapToObj(i -> "call-%03d,2026-11-19T08:%02d:00Z,%s".formatted(i, i % 60, transcript))
                .collect(Collectors.joining("\n", "call_id,start_time_utc,transcript\n", "\n"));
        Path file = work.resolve("calls-" + rows + ".csv");
        Files.writeString(file, body);
        return file;
    }

    /** A job file over {@code manifest}; {@code extra} is appended (top-level sections, e.g. {@code sampling:}). */
    private Path jobFile(String name, Path manifest, String extra) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                  cost-per-call: 0.25
                submit:
                  rate-limit: 50
                  max-in-flight: 8
                  chunk-size: 7
                report:
                  directory: %s
                %s""".formatted(name, manifest, work.resolve("reports"), extra));
        return file;
    }

    private CommandLine.Result run(String... args) {
        return CommandLine.run(databaseUrl, Map.of(), args);
    }

    private JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private Path report(String job, long execution, String file) {
        return work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve(file);
    }

    /** source id → disposition in an execution's calls.csv. */
    private Map<String, String> dispositions(String job, long execution) throws IOException {
        Map<String, String> byId = new LinkedHashMap<>();
        csv(report(job, execution, "calls.csv")).forEach(r -> byId.put(r.get("source_id"), r.get("disposition")));
        return byId;
    }

    private static Set<String> with(Map<String, String> dispositions, String disposition) {
        return dispositions.entrySet().stream().filter(e -> e.getValue().equals(disposition)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = databaseUrl.startsWith("jdbc:h2:") ? DriverManager.getConnection(databaseUrl, "sa", "") : DriverManager.getConnection(databaseUrl);
                Statement s = c.createStatement()) {
            for (String table : STATE_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void dryRunPrintsThePlanSendsNothingLeavesNoTraceAndARunThenSendsWhatItListed() throws Exception {
        Path job = jobFile("planned", SAMPLE_DATA.resolve("manifests/calls-with-errors.csv"), "");
        assertThat(run("status").exitCode()).isZero(); // the schema exists, empty
        Map<String, Long> before = rowCounts();

        CommandLine.Result plan = run("run", job.toString(), "--sandbox", "--dry-run");

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("planned — plan (dry run: nothing sent, nothing recorded)")
                .containsPattern("rows read\\s+17").containsPattern("valid\\s+7").containsPattern("rejected\\s+10")
                .containsPattern("to send\\s+7").contains("time at the rate limit").contains("0.4 s at 20 request(s)/s") // the job allows 50/s, its account 20/s (calleval.bluejay.rate-limit)
                .contains("1.75  (7 × 0.25 per call, in the unit of defaults.cost-per-call)")
                .doesNotContain("sandbox: Bluejay-compatible API"); // no sandbox was started: nothing could be sent
        assertThat(rowCounts()).as("nothing recorded in the ledger or the job repository").isEqualTo(before);
        JsonNode planJson = json(work.resolve("reports/planned/plan.json"));
        assertThat(planJson.path("rows").asLong()).isEqualTo(17);
        assertThat(planJson.path("to_send").asLong()).isEqualTo(7);
        assertThat(planJson.path("rejected").asLong()).isEqualTo(10);
        assertThat(planJson.path("endpoint").asString()).isEqualTo("sandbox");
        assertThat(planJson.path("counts_add_up").asBoolean()).isTrue();
        assertThat(planJson.path("cost").decimalValue()).isEqualByComparingTo("1.75");
        assertThat(planJson.path("seconds_at_rate_limit").asDouble()).isEqualTo(7 / 20.0);
        List<CSVRecord> planned = csv(work.resolve("reports/planned/plan.csv"));
        assertThat(planned).hasSize(17);
        Set<String> listed = planned.stream().filter(r -> r.get("decision").equals("SEND")).map(r -> r.get("source_id")).collect(Collectors.toSet());
        assertThat(planned.stream().filter(r -> r.get("decision").equals("REJECTED"))).hasSize(10)
                .allSatisfy(r -> assertThat(r.get("reason")).isNotBlank());

        CommandLine.Result real = run("run", job.toString(), "--sandbox", "--wait-for-results", "1m");

        assertThat(real.exitCode()).as(real.err()).isZero();
        JsonNode summary = json(report("planned", 1, "summary.json"));
        assertThat(summary.path("submitted_this_run").asLong()).isEqualTo(7);
        assertThat(with(dispositions("planned", 1), "CLAIMED")).as("the run sends exactly what the plan listed").isEqualTo(listed);

        CommandLine.Result again = run("run", job.toString(), "--sandbox", "--dry-run");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).containsPattern("already done \\(not sent\\)\\s+7").containsPattern("to send\\s+0")
                .contains("0.00  (0 × 0.25 per call");
    }

    @Test
    void aHalfSampleSendsAboutHalfTheSameOnesOnARerunAndAFullSampleThenExactlyTheOthers() throws Exception {
        Path manifest = manifest(80);
        Path job = jobFile("sampled", manifest, "sampling:\n  percent: 50\n");

        CommandLine.Result planned = run("run", job.toString(), "--sandbox", "--dry-run");
        assertThat(planned.exitCode()).as(planned.err()).isZero();
        Set<String> listed = csv(work.resolve("reports/sampled/plan.csv")).stream().filter(r -> r.get("decision").equals("SEND"))
                .map(r -> r.get("source_id")).collect(Collectors.toSet());
        assertThat(planned.out()).contains("50 % of source ids").containsPattern("not sampled \\(not sent\\)\\s+" + (80 - listed.size()));

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        Map<String, String> first = dispositions("sampled", 1);
        Set<String> sent = with(first, "CLAIMED");
        assertThat(sent).as("about half of 80 calls").hasSizeBetween(28, 52).isEqualTo(listed);
        assertThat(with(first, "NOT_SAMPLED")).hasSize(80 - sent.size());
        JsonNode summary = json(report("sampled", 1, "summary.json"));
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(sent.size());
        assertThat(summary.path("counts").path("not_sampled").asLong()).isEqualTo(80 - sent.size());
        assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        assertThat(csv(report("sampled", 1, "calls.csv"))).filteredOn(r -> r.get("disposition").equals("NOT_SAMPLED"))
                .allSatisfy(r -> assertThat(r.get("state")).isEqualTo("NOT_SAMPLED"));
        assertThat(Files.readString(report("sampled", 1, "report.html"))).contains("not sampled (not sent)").contains("state-NOT_SAMPLED");

        CommandLine.Result rerun = run("run", job.toString(), "--sandbox", "--wait-for-results", "10s");
        assertThat(rerun.exitCode()).isZero();
        Map<String, String> second = dispositions("sampled", 2);
        assertThat(with(second, "ALREADY_DONE")).as("the same calls are in the sample").isEqualTo(sent);
        assertThat(with(second, "NOT_SAMPLED")).isEqualTo(with(first, "NOT_SAMPLED"));
        assertThat(json(report("sampled", 2, "summary.json")).path("requests").path("attempts").asLong()).as("none new").isZero();
        assertThat(rerun.out()).containsPattern("not sampled \\(not sent\\)\\s+" + (80 - sent.size()))
                .doesNotContain("nothing new to send: every call was already accepted");
        CommandLine.Result status = run("status", "sampled");
        assertThat(status.out()).contains(sent.size() + " evaluated").contains((80 - sent.size()) + " not sampled")
                .contains("left out by sampling " + (80 - sent.size()));

        Files.writeString(job, Files.readString(job).replace("percent: 50", "percent: 100"));
        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        Map<String, String> third = dispositions("sampled", 3);
        Set<String> others = new HashSet<>(first.keySet());
        others.removeAll(sent);
        assertThat(with(third, "CLAIMED")).as("exactly the others, none twice").isEqualTo(others);
        assertThat(with(third, "ALREADY_DONE")).isEqualTo(sent);
        assertThat(json(report("sampled", 3, "summary.json")).path("requests").path("attempts").asLong()).isEqualTo(others.size());
        assertThat(run("status", "sampled").out()).contains("80 evaluated").doesNotContain("not sampled");
    }

    @Test
    void maxCallsDefersTheRestToTheNextRunInInputOrder() throws Exception {
        Path job = jobFile("capped", manifest(20), "sampling:\n  max-calls: 8\n");

        CommandLine.Result planned = run("run", job.toString(), "--sandbox", "--dry-run");
        assertThat(planned.out()).containsPattern("deferred \\(next run\\)\\s+12").containsPattern("to send\\s+8");
        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        Map<String, String> first = dispositions("capped", 1);
        assertThat(with(first, "CLAIMED")).isEqualTo(IntStream.range(0, 8).mapToObj("call-%03d"::formatted).collect(Collectors.toSet()));
        assertThat(with(first, "DEFERRED")).hasSize(12);
        assertThat(json(report("capped", 1, "summary.json")).path("counts").path("deferred").asLong()).isEqualTo(12);

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        Map<String, String> second = dispositions("capped", 2);
        assertThat(with(second, "CLAIMED")).isEqualTo(IntStream.range(8, 16).mapToObj("call-%03d"::formatted).collect(Collectors.toSet()));
        assertThat(with(second, "DEFERRED")).hasSize(4);
        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        JsonNode third = json(report("capped", 3, "summary.json"));
        assertThat(third.path("submitted_this_run").asLong()).isEqualTo(4);
        assertThat(third.path("counts").path("already_done").asLong()).isEqualTo(16);
        assertThat(third.path("counts_add_up").asBoolean()).isTrue();
    }

    @Test
    void aRestartIsARunOfItsOwnForMaxCallsAndItsPlanSaysSo() throws Exception {
        Path job = jobFile("capped", manifest(20), "sampling:\n  max-calls: 8\n");
        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        assertThat(with(dispositions("capped", 1), "CLAIMED")).hasSize(8);
        // execution 1 is found failed in its submit step (e.g. stopped while it recorded the deferred tail): the next run of
        // the job restarts that job instance
        update("UPDATE BATCH_STEP_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED' WHERE JOB_EXECUTION_ID = 1");
        update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED' WHERE JOB_EXECUTION_ID = 1");

        // the plan of the restart: its own cap, nothing sent twice
        CommandLine.Result planned = run("run", job.toString(), "--sandbox", "--dry-run");
        assertThat(planned.out()).containsPattern("already done \\(not sent\\)\\s+8").containsPattern("deferred \\(next run\\)\\s+4")
                .containsPattern("to send\\s+8");

        CommandLine.Result restarted = run("run", job.toString(), "--sandbox", "--wait-for-results", "1m");
        assertThat(restarted.exitCode()).as(restarted.err()).isZero();
        assertThat(restarted.err()).contains("restarting capped");
        assertThat(rowCounts()).containsEntry("BATCH_JOB_INSTANCE", 1L).containsEntry("BATCH_JOB_EXECUTION", 2L);
        Map<String, String> second = dispositions("capped", 2);
        assertThat(with(second, "CLAIMED")).isEqualTo(IntStream.range(8, 16).mapToObj("call-%03d"::formatted).collect(Collectors.toSet()));
        assertThat(with(second, "DEFERRED")).hasSize(4);
        assertThat(json(report("capped", 2, "summary.json")).path("submitted_this_run").asLong()).isEqualTo(8);
    }

    private void update(String sql) throws SQLException {
        try (Connection c = databaseUrl.startsWith("jdbc:h2:") ? DriverManager.getConnection(databaseUrl, "sa", "") : DriverManager.getConnection(databaseUrl);
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void badSamplingOrCostIsOneLineNamingTheKeyWithExitTwo() throws Exception {
        Path manifest = manifest(3);
        CommandLine.Result percent = run("run", jobFile("bad-percent", manifest, "sampling:\n  percent: 0\n").toString(), "--dry-run", "--sandbox");
        assertThat(percent.exitCode()).isEqualTo(2);
        assertThat(percent.err()).contains("sampling.percent must be above 0 and at most 100, got 0").doesNotContain("\tat ");
        CommandLine.Result misspelt = run("run", jobFile("misspelt", manifest, "sampling:\n  percentage: 10\n").toString(), "--dry-run");
        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("sampling.percentage").contains("did you mean 'sampling.percent'");
        Path negative = jobFile("negative-cost", manifest, "");
        Files.writeString(negative, Files.readString(negative).replace("cost-per-call: 0.25", "cost-per-call: -1"));
        CommandLine.Result cost = run("run", negative.toString(), "--dry-run");
        assertThat(cost.exitCode()).isEqualTo(2);
        assertThat(cost.err()).contains("defaults.cost-per-call must be 0 or more, got -1");
        CommandLine.Result missing = run("run", jobFile("missing", work.resolve("nowhere.csv"), "").toString(), "--dry-run");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nowhere.csv").doesNotContain("\tat ");
        assertThat(work.resolve("reports/missing/plan.json")).doesNotExist();
    }
}
