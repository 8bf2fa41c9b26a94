package dev.calleval.evaluate;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample jobs run end to end as a user runs them — {@code run JOB --sandbox} through the real command line,
 * web server, sandbox over loopback HTTP, signed webhooks, H2 — and their reports are checked.
 * {@link EvaluateJobPostgresTests} runs the same tests on PostgreSQL.
 */
class EvaluateJobFunctionalTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeEach
    void freshDatabase() {
        databaseUrl = newDatabaseUrl();
    }

    /** The JDBC URL of a new, empty database for one test: H2 in memory here. */
    String newDatabaseUrl() {
        return "jdbc:h2:mem:functional-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private Path jobFile(String name, String manifest) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                  tags: [functional-test]
                submit:
                  rate-limit: 50
                  max-in-flight: 8
                  chunk-size: 4
                results:
                  poll-after: 30s
                report:
                  directory: %s
                """.formatted(name, SAMPLE_DATA.resolve("manifests").resolve(manifest), work.resolve("reports")));
        return file;
    }

    private int run(String... args) {
        return runWith(Map.of(), args);
    }

    private int runWith(Map<String, Object> properties, String... args) {
        return CommandLine.run(databaseUrl, properties, args).exitCode();
    }

    private JsonNode summary(String job, long execution) throws IOException {
        return JSON.readTree(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve("summary.json").toFile());
    }

    private List<CSVRecord> csv(String job, long execution, String file) throws IOException {
        try (Reader in = Files.newBufferedReader(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve(file))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    @Test
    void sampleJobEvaluatesEveryCallAndASecondRunSendsNothing() throws Exception {
        Path job = jobFile("sample", "calls.csv");

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m")).isZero();

        JsonNode first = summary("sample", 1);
        assertThat(first.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(first.path("rows_read").asLong()).isEqualTo(15);
        assertThat(first.path("counts").path("evaluated").asLong()).isEqualTo(15);
        assertThat(first.path("counts_add_up").asBoolean()).isTrue();
        List<CSVRecord> calls = csv("sample", 1, "calls.csv");
        assertThat(calls).hasSize(15).allSatisfy(call -> {
            assertThat(call.get("state")).isEqualTo("EVALUATED");
            assertThat(call.get("result_via")).isEqualTo("WEBHOOK");
            assertThat(call.get("call_id")).matches("[0-9a-f-]{36}");
            assertThat(Integer.parseInt(call.get("num_turns"))).isPositive();
            assertThat(Double.parseDouble(call.get("latency_p50_s"))).isPositive();
            assertThat(call.get("goal_success")).as("as the manifest's metadata.sandbox_goal_success scripts it (the sandbox never "
                    + "invents a judgement: SandboxJudgementTests show it null without the control)").isEqualTo("true");
        });
        assertThat(csv("sample", 1, "rejects.csv")).isEmpty();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(databaseUrl, "sa", "");
                java.sql.ResultSet rs = c.createStatement().executeQuery(
                        "SELECT label, metadata, evaluation FROM call_ledger WHERE source_id = 'nw-2026-11-19-0001'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("label")).as("sent with").isEqualTo("production");
            assertThat(JSON.readTree(rs.getString("metadata")).path("customer_tier").asString()).isEqualTo("gold");
            assertThat(JSON.readTree(rs.getString("evaluation")).path("num_turns").asInt()).isPositive();
        }

        CommandLine.Result status = CommandLine.run(databaseUrl, Map.of(), "status", "sample");
        assertThat(status.out()).containsPattern("\\s+1\\s+sample\\s+COMPLETED\\s+.*sent 15, already done 0, rejected 0")
                .contains("Calls of sample to sandbox: 15 evaluated")
                .containsPattern("observability_call_evaluated\\s+15\\s+\\(matched 15\\)");

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "10s")).isZero();

        JsonNode second = summary("sample", 2);
        assertThat(second.path("submitted_this_run").asLong()).isZero();
        assertThat(second.path("requests").path("attempts").asLong()).as("no request reached the sandbox").isZero();
        assertThat(second.path("counts").path("already_done").asLong()).isEqualTo(15);
        assertThat(second.path("counts_add_up").asBoolean()).isTrue();
        assertThat(csv("sample", 2, "calls.csv")).extracting(c -> c.get("disposition")).containsOnly("ALREADY_DONE");
    }

    @Test
    void badRowsAreRejectedWithLineAndReasonAndGoodRowsAreEvaluated() throws Exception {
        Path job = jobFile("with-errors", "calls-with-errors.csv");

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m")).isZero();

        JsonNode summary = summary("with-errors", 1);
        assertThat(summary.path("rows_read").asLong()).isEqualTo(17);
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(7);
        assertThat(summary.path("counts").path("rejected").asLong()).isEqualTo(10);
        assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        List<CSVRecord> rejects = csv("with-errors", 1, "rejects.csv");
        assertThat(rejects).extracting(r -> r.get("line")).containsExactly("4", "5", "7", "8", "10", "11", "13", "14", "16", "17");
        assertThat(rejects).extracting(r -> r.get("fields")).containsExactly("call_id", "start_time_utc", "start_time_utc",
                "call_direction", "transcript", "custom_metrics", "participants", "recording", "call_id", "transcript[0].start_offset_ms");
        assertThat(rejects.get(3).get("reason")).contains("SIDEWAYS");
        assertThat(rejects.get(8).get("reason")).contains("duplicate call_id").contains("calls-with-errors.csv:3");
        assertThat(csv("with-errors", 1, "calls.csv")).hasSize(7).extracting(c -> c.get("state")).containsOnly("EVALUATED");
    }

    @Test
    void validateReportsInvalidRowsWithoutCallingAnything() throws Exception {
        assertThat(run("validate", jobFile("v-good", "calls.csv").toString())).isZero();
        assertThat(run("validate", jobFile("v-bad", "calls-with-errors.csv").toString())).isEqualTo(1);
        assertThat(work.resolve("reports")).doesNotExist();
    }

    @Test
    void transcriptsInEveryFormatAreDetectedValidatedAndEvaluated() throws Exception {
        Path job = jobFile("mixed", "calls-mixed-formats.csv");

        CommandLine.Result validate = CommandLine.run(databaseUrl, Map.of(), "validate", job.toString());

        assertThat(validate.exitCode()).isZero();
        for (String format : List.of("bluejay", "plain-json", "aws-transcribe", "contact-lens", "deepgram", "assemblyai", "webvtt", "srt",
                "vapi", "retell")) {
            assertThat(validate.out()).as(format).containsPattern("valid +\\S+ \\(nw-[0-9-]+\\): transcript \\S+, " + format + "\\n");
        }
        assertThat(validate.out()).contains(" 0 invalid;");

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "1m")).isZero();

        JsonNode summary = summary("mixed", 1);
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(summary.path("rows_read").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(csv("mixed", 1, "calls.csv")).allSatisfy(c -> assertThat(Integer.parseInt(c.get("num_turns"))).isPositive());
    }

    @Test
    void aBrokenFileOfEveryFormatIsRejectedNamingTheEntry() throws Exception {
        CommandLine.Result validate = CommandLine.run(databaseUrl, Map.of(), "validate", jobFile("broken", "calls-broken-formats.csv").toString());

        assertThat(validate.exitCode()).isEqualTo(1);
        List<String> invalid = validate.out().lines().filter(l -> l.startsWith("INVALID")).toList();
        assertThat(invalid).hasSizeGreaterThanOrEqualTo(10).allSatisfy(line -> assertThat(line).containsPattern("transcript[.\\[]"));
        assertThat(validate.out()).contains(" 0 valid, ");
    }

    @Test
    void refusedKeyFailsTheRunAndTheNextRunRestartsItAndSendsTheFailedCalls() throws Exception {
        Path job = jobFile("restart", "calls.csv");
        Files.writeString(job, Files.readString(job).replace("poll-after: 30s", "poll-after: 0s\n  poll-interval: 200ms"));
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("right-key").withoutWebhook())) {
            Map<String, Object> wrongKey = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "wrong-key");

            assertThat(runWith(wrongKey, "run", job.toString())).isEqualTo(1);

            JsonNode failed = summary("restart", 1);
            assertThat(failed.path("status").asString()).isEqualTo("FAILED");
            assertThat(failed.path("exit_description").asString()).contains("API key was refused").doesNotContain("wrong-key");
            assertThat(failed.path("counts").path("failed").asLong()).isPositive();
            assertThat(failed.path("counts").path("evaluated").asLong()).isZero();
            assertThat(sandbox.stats().evaluateAccepted()).isZero();

            Map<String, Object> rightKey = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "right-key");
            assertThat(runWith(rightKey, "run", job.toString(), "--wait-for-results", "30s")).isZero();

            JsonNode restarted = summary("restart", 2);
            assertThat(restarted.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(restarted.path("rows_read").asLong()).isEqualTo(15);
            assertThat(restarted.path("counts").path("evaluated").asLong()).as("results found by polling retrieve-call-log").isEqualTo(15);
            assertThat(sandbox.stats().evaluateAccepted()).as("each call accepted exactly once").isEqualTo(15);
            assertThat(csv("restart", 2, "calls.csv")).extracting(c -> c.get("result_via")).containsOnly("POLL");
        }
    }

    @Test
    void aTrialOnTheSandboxLeavesTheRealRunEveryCallToSendAndTheRealRunIsDoneOnlyOnce() throws Exception {
        Path job = jobFile("trial", "calls.csv");
        Files.writeString(job, Files.readString(job).replace("poll-after: 30s", "poll-after: 0s\n  poll-interval: 200ms"));

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "0s")).isZero();
        JsonNode trial = summary("trial", 1);
        assertThat(trial.path("endpoint").asString()).isEqualTo("sandbox");
        assertThat(trial.path("submitted_this_run").asLong()).isEqualTo(15);
        assertThat(csv("trial", 1, "calls.csv")).extracting(c -> c.get("endpoint")).containsOnly("sandbox");

        // another Bluejay endpoint, as if it were the real API: a standalone sandbox on another port, results by polling
        try (SandboxServer real = SandboxServer.start(SandboxConfig.defaults().withApiKey("real-key").withoutWebhook())) {
            String endpoint = real.baseUri().toString().replaceAll("/+$", "");
            Map<String, Object> toReal = Map.of("BLUEJAY_BASE_URL", real.baseUri().toString(), "BLUEJAY_API_KEY", "real-key");

            assertThat(runWith(toReal, "run", job.toString(), "--wait-for-results", "30s")).isZero();

            JsonNode first = summary("trial", 2);
            assertThat(first.path("endpoint").asString()).isEqualTo(endpoint);
            assertThat(first.path("submitted_this_run").asLong()).as("every call is sent to the other endpoint").isEqualTo(15);
            assertThat(first.path("counts").path("already_done").asLong()).as("the sandbox's calls are not done here").isZero();
            assertThat(first.path("counts").path("evaluated").asLong()).isEqualTo(15);
            assertThat(real.stats().evaluateAccepted()).isEqualTo(15);
            assertThat(csv("trial", 2, "calls.csv")).allSatisfy(call -> {
                assertThat(call.get("endpoint")).isEqualTo(endpoint);
                assertThat(call.get("result_via")).isEqualTo("POLL");
            });

            CommandLine.Result reconcile = CommandLine.run(databaseUrl, toReal, "reconcile", job.toString(), "--poll-after", "0s");
            assertThat(reconcile.exitCode()).as("the sandbox's call ids are not polled at the other endpoint").isZero();
            assertThat(reconcile.out()).contains("0 call(s) polled").contains("0 poll(s) failed")
                    .contains("calls of trial to " + endpoint + ": 15 evaluated, 0 incomplete, 0 waiting for a result");

            assertThat(runWith(toReal, "run", job.toString(), "--wait-for-results", "10s")).isZero();

            JsonNode again = summary("trial", 3);
            assertThat(again.path("submitted_this_run").asLong()).isZero();
            assertThat(again.path("counts").path("already_done").asLong()).isEqualTo(15);
            assertThat(real.stats().evaluateAccepted()).as("nothing sent twice").isEqualTo(15);

            CommandLine.Result status = CommandLine.run(databaseUrl, Map.of(), "status", "trial");
            assertThat(status.out())
                    .containsPattern("\\s+1\\s+trial\\s+COMPLETED\\s+.*sent 15, already done 0, rejected 0\\s+\\(endpoint sandbox\\)")
                    .containsPattern("\\s+2\\s+trial\\s+COMPLETED\\s+.*sent 15, already done 0, rejected 0\\s+\\(endpoint "
                            + java.util.regex.Pattern.quote(endpoint) + "\\)")
                    .containsPattern("\\s+3\\s+trial\\s+COMPLETED\\s+.*sent 0, already done 15, rejected 0")
                    .contains("Calls of trial to " + endpoint + ": 15 evaluated")
                    .containsPattern("Calls of trial to sandbox: \\d+ evaluated");
        }
    }

    @Test
    void unknownJobIsAUsageError() {
        assertThat(run("run", "no-such-job", "--sandbox")).isEqualTo(2);
    }

    @Test
    void aRunWhoseThreadIsInterruptedEndsStoppedAndTheNextRunReadsTheRest() throws Exception {
        Path job = jobFile("interrupted", "calls.csv");
        Files.writeString(job, Files.readString(job).replace("  rate-limit: 50\n  max-in-flight: 8\n  chunk-size: 4\n",
                "  rate-limit: 4\n  max-in-flight: 1\n  chunk-size: 2\n"));
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread runner = new Thread(() -> exit.set(run("run", job.toString(), "--sandbox", "--wait-for-results", "0s")), "interrupted-run");
        runner.start();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        while (ledgerRows() < 4) { // the second chunk is claimed
            assertThat(java.time.Instant.now()).as("waiting for the run to get going").isBefore(deadline);
            Thread.sleep(50);
        }
        runner.interrupt(); // as a pool shut down with shutdownNow does to the thread running the job
        runner.join(60_000);
        assertThat(runner.isAlive()).isFalse();

        // never COMPLETED with rows left unread: the chunk step stops (or fails) and the instance can be restarted
        List<String> first = statuses();
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).isIn("STOPPED", "FAILED");
        assertThat(exit.get()).isNotZero();

        assertThat(run("run", job.toString(), "--sandbox", "--wait-for-results", "0s")).isZero();
        assertThat(statuses()).containsExactly(first.get(0), "COMPLETED");
        assertThat(ledgerRows()).isEqualTo(15);
    }

    private long ledgerRows() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(databaseUrl, "sa", "");
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM call_ledger")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the schema is not there yet
        }
    }

    private List<String> statuses() throws Exception {
        List<String> statuses = new java.util.ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(databaseUrl, "sa", "");
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID")) {
            while (rs.next()) {
                statuses.add(rs.getString(1));
            }
        }
        return statuses;
    }
}
