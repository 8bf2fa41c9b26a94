package dev.calleval.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.s3.S3TestServer;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code calleval export} as a user runs it: a real run of six sample calls against the sandbox ({@code run --sandbox},
 * signed webhooks, loopback), whose metadata scripts each call's judgement (goal success, hallucination, custom
 * metrics; docs/sandbox.md), then the export through the real command line — CSV to a file, JSON Lines to standard
 * output, a job's window, both formats to S3 (s3proxy on loopback), and the exit codes of a wrong request.
 * {@link ExportPostgresTests} runs the same tests on PostgreSQL.
 */
class ExportFunctionalTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-exports");

    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeEach
    void freshDatabase() {
        databaseUrl = newDatabaseUrl();
    }

    /** The JDBC URL of a new, empty database for one test: H2 in memory here. */
    String newDatabaseUrl() {
        return "jdbc:h2:mem:export-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private CommandLine.Result calleval(String... args) {
        return CommandLine.run(databaseUrl, s3.properties(), args);
    }

    /**
     * The first six calls of the sample manifest (file paths made absolute), each scripting its judgement: goal success
     * false on lines 2 and 5, metrics "Verified identity" (fail on even lines, pass on odd) and "Politeness" (3-5), but
     * only "Escalation=none" on line 6. Runs them to the end with the sandbox; the job is named {@code night}.
     */
    private void runScriptedNight() throws IOException {
        Path manifest = work.resolve("night.csv");
        try (Reader in = Files.newBufferedReader(SAMPLE_DATA.resolve("manifests/calls.csv"));
                Writer out = Files.newBufferedWriter(manifest)) {
            List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
            List<String> header = new java.util.ArrayList<>(rows.get(0).getParser().getHeaderNames());
            for (String control : List.of("metadata.sandbox_goal_success", "metadata.sandbox_hallucination", "metadata.sandbox_custom_metrics")) {
                if (!header.contains(control)) { // the sample's manifest may script its own judgement: these values replace it
                    header.add(control);
                }
            }
            CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get().print(out);
            for (int i = 0; i < 6; i++) {
                Map<String, String> row = new HashMap<>(rows.get(i).toMap());
                for (String file : List.of("recording", "transcript", "sidecar", "tool_calls", "events")) {
                    String value = row.get(file);
                    if (value != null && !value.isEmpty()) {
                        row.put(file, SAMPLE_DATA.resolve("manifests").resolve(value).normalize().toString());
                    }
                }
                row.put("metadata.sandbox_goal_success", i % 3 == 0 ? "false" : "true");
                row.put("metadata.sandbox_hallucination", "false");
                row.put("metadata.sandbox_custom_metrics", i == 4 ? "Escalation=none"
                        : "Verified identity=" + (i % 2 == 0 ? "fail" : "pass") + ";Politeness=" + (3 + i % 3));
                csv.printRecord(header.stream().map(h -> row.getOrDefault(h, "")).toList());
            }
        }
        Path job = work.resolve("night.yaml");
        Files.writeString(job, """
                name: night
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(manifest, work.resolve("reports")));
        CommandLine.Result run = calleval("run", job.toString(), "--sandbox", "--wait-for-results", "1m");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static List<CSVRecord> csv(String text) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    }

    private static List<JsonNode> jsonLines(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
    }

    @Test
    void csvExportOfARunHasOneRowPerCallWithItsEvaluationAndAColumnPerCustomMetric() throws Exception {
        runScriptedNight();

        Path file = work.resolve("out/night.csv");
        CommandLine.Result export = calleval("export", "1", "--format", "csv", "--output", file.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 6 calls of night execution 1 to " + file);
        assertThat(file.resolveSibling("night.csv.part")).doesNotExist();

        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<CSVRecord> rows = csv(text);
        assertThat(rows).hasSize(6);
        List<String> header = rows.get(0).getParser().getHeaderNames();
        assertThat(header).as("every metric name of every call, in name order, after the fixed columns")
                .endsWith("reevaluations", "metric.Escalation", "metric.Politeness", "metric.Verified identity");
        assertThat(header).contains("goal_success", "goal_reasoning", "hallucination_reasoning", "latency_p50", "latency_p90",
                "filler_ignored_latency_avg", "num_turns", "agent_speak_percentage", "sentiment_label", "pronunciation_score", "call_summary",
                "attempts", "in_doubt", "submitted_at", "result_at", "result_via");

        CSVRecord first = rows.get(0);
        assertThat(first.get("line")).isEqualTo("2");
        assertThat(first.get("source")).endsWith("night.csv");
        assertThat(first.get("source_id")).isEqualTo("nw-2026-11-19-0001");
        assertThat(first.get("label")).isEqualTo("production");
        assertThat(JSON.readTree(first.get("metadata")).path("customer_tier").asString()).isEqualTo("gold");
        assertThat(first.get("state")).isEqualTo("EVALUATED");
        assertThat(first.get("bluejay_status")).isEqualTo("COMPLETED");
        assertThat(first.get("call_id")).isNotEmpty();
        assertThat(first.get("evaluation_id")).isNotEmpty();
        assertThat(first.get("endpoint")).isEqualTo("sandbox");
        assertThat(first.get("goal_success")).isEqualTo("false");
        assertThat(first.get("goal_reasoning")).contains("sandbox_goal_success");
        assertThat(first.get("hallucination")).isEqualTo("false");
        assertThat(Integer.parseInt(first.get("num_turns"))).isPositive();
        assertThat(Double.parseDouble(first.get("latency_p90"))).isGreaterThanOrEqualTo(Double.parseDouble(first.get("latency_p50")));
        assertThat(first.get("filler_ignored_latency_avg")).isNotEmpty();
        assertThat(first.get("metric.Verified identity")).isEqualTo("fail");
        assertThat(first.get("metric.Politeness")).isEqualTo("3");
        assertThat(first.get("metric.Escalation")).as("a metric this call has not").isEmpty();
        assertThat(first.get("attempts")).isEqualTo("1");
        assertThat(first.get("in_doubt")).isEqualTo("false");
        assertThat(first.get("result_via")).isEqualTo("WEBHOOK");
        assertThat(first.get("submitted_at")).endsWith("Z");
        assertThat(first.get("reevaluations")).isEqualTo("0");

        assertThat(rows).extracting(r -> r.get("line")).containsExactly("2", "3", "4", "5", "6", "7");
        assertThat(rows).extracting(r -> r.get("goal_success")).containsExactly("false", "true", "true", "false", "true", "true");
        assertThat(rows.get(1).get("metric.Verified identity")).isEqualTo("pass");
        assertThat(rows.get(4).get("metric.Escalation")).isEqualTo("none");
        assertThat(rows.get(4).get("metric.Politeness")).isEmpty();
    }

    @Test
    void jsonlExportHasOneObjectPerCallAndAJobWindowSelectsByResultTime() throws Exception {
        runScriptedNight();

        CommandLine.Result export = calleval("export", "1", "--format", "jsonl");
        assertThat(export.exitCode()).as(export.err()).isZero();
        List<JsonNode> calls = jsonLines(export.out());
        assertThat(calls).hasSize(6);
        JsonNode first = calls.get(0);
        assertThat(first.path("job").asString()).isEqualTo("night");
        assertThat(first.path("execution_id").asLong()).isEqualTo(1);
        assertThat(first.path("disposition").asString()).isEqualTo("CLAIMED");
        assertThat(first.path("source").path("line").asLong()).isEqualTo(2);
        assertThat(first.path("source").path("metadata").path("queue").asString()).as("the metadata as an object").isEqualTo("orders");
        assertThat(first.path("bluejay").path("status").asString()).isEqualTo("COMPLETED");
        assertThat(first.path("state").asString()).isEqualTo("EVALUATED");
        JsonNode evaluation = first.path("evaluation");
        assertThat(evaluation.path("goal_success").asBoolean(true)).isFalse();
        assertThat(evaluation.path("latency").path("p50_agent_latency").isNumber()).isTrue();
        assertThat(evaluation.has("pronunciation_score")).as("every field present, null when unknown").isTrue();
        assertThat(evaluation.has("custom_metrics")).as("the metrics are under custom_metrics only").isFalse();
        JsonNode metrics = first.path("custom_metrics");
        assertThat(metrics.path("Verified identity").path("response_value").asString()).isEqualTo("fail");
        assertThat(metrics.path("Politeness").path("response_type").asString()).isEqualTo("quantitative");
        assertThat(first.path("submission").path("attempts").asInt()).isEqualTo(1);
        assertThat(first.path("submission").path("result_via").asString()).isEqualTo("WEBHOOK");
        assertThat(first.path("submission").path("reevaluations").asInt(-1)).isZero();
        assertThat(calls.get(4).path("custom_metrics").properties()).extracting(Map.Entry::getKey).containsExactly("Escalation");

        CommandLine.Result today = calleval("export", "--job", "night", "--since", TODAY, "--format", "jsonl");
        assertThat(today.exitCode()).as(today.err()).isZero();
        List<JsonNode> window = jsonLines(today.out());
        assertThat(window).hasSize(6);
        assertThat(window.get(0).path("execution_id").asLong()).as("the execution that read it").isEqualTo(1);
        assertThat(window.get(0).path("disposition").isNull()).isTrue();
        assertThat(window.get(0).path("source").path("line").asLong()).isEqualTo(2);

        CommandLine.Result before = calleval("export", "--job", "night", "--until", TODAY, "--format", "csv");
        assertThat(before.exitCode()).isZero();
        assertThat(csv(before.out())).as("no call has a result before today").isEmpty();
        assertThat(before.out()).startsWith("job,execution_id,");
    }

    @Test
    void exportsToS3UnderAPrefixNamedByJobAndExecutionOrWindow() throws Exception {
        runScriptedNight();

        CommandLine.Result csvExport = calleval("export", "1", "--format", "csv", "--output", "s3://" + s3.bucket() + "/exports/");
        assertThat(csvExport.exitCode()).as(csvExport.err()).isZero();
        assertThat(csvExport.out()).contains("to s3://" + s3.bucket() + "/exports/night/1.csv");
        List<CSVRecord> rows = csv(s3.getText("exports/night/1.csv"));
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).get("metric.Politeness")).isEqualTo("3");

        CommandLine.Result jsonl = calleval("export", "--job", "night", "--since", TODAY, "--format", "jsonl",
                "--output", "s3://" + s3.bucket() + "/exports/");
        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        assertThat(jsonLines(s3.getText("exports/night/since-" + TODAY + ".jsonl"))).hasSize(6)
                .allSatisfy(call -> assertThat(call.path("evaluation").path("num_turns").asInt()).isPositive());

        CommandLine.Result exact = calleval("export", "1", "--format", "jsonl", "--output", "s3://" + s3.bucket() + "/one/night.jsonl");
        assertThat(exact.exitCode()).as(exact.err()).isZero();
        assertThat(s3.keys("one/")).containsExactly("one/night.jsonl");
    }

    @Test
    void aWrongRequestIsOneLineWithItsExitCode() throws Exception {
        runScriptedNight();

        assertOneLine(calleval("export", "7", "--format", "csv"), 3, "no job execution 7");
        assertOneLine(calleval("export", "--job", "daily", "--format", "csv"), 3, "job 'daily' has no calls");
        assertOneLine(calleval("export", "1", "--job", "night", "--format", "csv"), 2, "an EXECUTION id, or --job JOB");
        assertOneLine(calleval("export", "--format", "csv"), 2, "an EXECUTION id, or --job JOB");
        assertOneLine(calleval("export", "1", "--format", "xml"), 2, "unknown --format 'xml'; use csv or jsonl");
        assertOneLine(calleval("export", "--job", "night", "--since", "19.11.2026", "--format", "csv"), 2,
                "--since '19.11.2026' is not a date: use YYYY-MM-DD");
        assertOneLine(calleval("export", "--job", "night", "--since", "2026-11-20", "--until", "2026-11-19", "--format", "csv"), 2,
                "must be before --until");
        assertOneLine(calleval("export", "1", "--since", "2026-11-19", "--format", "csv"), 2, "--since and --until go with --job");
        assertThat(calleval("export", "1").exitCode()).as("--format is required").isEqualTo(2);
    }

    private static void assertOneLine(CommandLine.Result result, int exitCode, String message) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err().lines().filter(l -> l.startsWith("calleval: ")).toList()).singleElement().asString().contains(message);
        assertThat(result.err()).doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
    }
}
