package dev.calleval.launch;

import dev.calleval.CommandLine;
import dev.calleval.TestDatabases;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Overlapping launches against PostgreSQL, with calleval in separate processes ({@code java -cp <the test classpath>
 * dev.calleval.CallevalApplication run JOB}) and the sandbox in this JVM: two runs over the same manifest started at the
 * same moment send each call once; a second launch of a running job is refused (exit 4); and after {@code kill -9},
 * the next run marks the dead execution FAILED, restarts its job instance and sends what is left, each call still once.
 */
@EnabledIfEnvironmentVariable(named = "CALLEVAL_TEST_POSTGRES_URL", matches = ".+", disabledReason = TestDatabases.POSTGRES_SKIPPED)
class OverlappingLaunchesTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;
    private Path manifest;

    @BeforeEach
    void freshDatabaseAndManifest() throws IOException {
        databaseUrl = TestDatabases.Kind.POSTGRES.freshUrl("overlap");
        Files.writeString(work.resolve("transcript.json"), """
                [{"start_offset_ms": 300, "end_offset_ms": 3600, "speaker": "AGENT", "utterance": "Thanks for calling, this is Nora."},
                 {"start_offset_ms": 4400, "end_offset_ms": 7900, "speaker": "USER", "utterance": "Where is my order?"},
                 {"start_offset_ms": 9000, "end_offset_ms": 11200, "speaker": "AGENT", "utterance": "It arrives tomorrow."}]""");
        StringBuilder csv = new StringBuilder("call_id,agent_id,start_time_utc,recording,transcript,agent_name,customer_name\n");
        for (int i = 1; i <= 120; i++) {
            csv.append("overlap-%03d,1234,2026-11-19T08:%02d:00Z,https://recordings.example.com/%03d.wav,transcript.json,Nora,Customer %d\n"
                    .formatted(i, i % 60, i, i));
        }
        manifest = work.resolve("calls.csv");
        Files.writeString(manifest, csv);
    }

    private Path jobFile(String name, int rateLimit) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                submit:
                  rate-limit: %d
                  max-in-flight: 4
                  chunk-size: 10
                report:
                  directory: %s
                """.formatted(name, manifest, rateLimit, work.resolve("reports")));
        return file;
    }

    /** calleval in a process of its own, as cron or an operator would start it. */
    /** What a process started by {@link #start} has printed so far. */
    private String logOf(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private Process start(SandboxServer sandbox, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.calleval.CallevalApplication"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().putAll(Map.of("CALLEVAL_DB_URL", databaseUrl, "BLUEJAY_BASE_URL", sandbox.baseUri().toString(),
                "BLUEJAY_API_KEY", "test-key", "SERVER_PORT", "0", "CALLEVAL_WEBHOOK_ALLOW_UNSIGNED", "true"));
        return builder.start();
    }

    private int waitFor(Process process, String name) throws Exception {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end in 3 minutes; its output:\n" + Files.readString(work.resolve(name + ".log")));
        }
        System.out.println("---- " + name + " ----\n" + Files.readString(work.resolve(name + ".log")));
        return process.exitValue();
    }

    private JsonNode summary(String job) throws IOException {
        try (Stream<Path> runs = Files.list(work.resolve("reports").resolve(job))) {
            List<Path> dirs = runs.sorted().toList();
            assertThat(dirs).as("one report of " + job).hasSize(1);
            return JSON.readTree(dirs.get(0).resolve("summary.json").toFile());
        }
    }

    /** Evaluate requests the sandbox received, by the source id (trace_id) they carried. */
    private static Map<String, Long> evaluatesBySource(SandboxServer sandbox) {
        return sandbox.requests().stream().filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE).map(LoggedRequest::body)
                .map(body -> JSON.readTree(body).path("trace_id").asString())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void twoRunsOfTheSameManifestStartedAtTheSameMomentSendEachCallOnce() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withRecordBodies(true).withLatency(Duration.ofMillis(50));
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            Path nightly = jobFile("nightly", 20);
            Path adhoc = jobFile("adhoc", 20);

            Process cron = start(sandbox, "nightly", "run", nightly.toString());
            Process onDemand = start(sandbox, "adhoc", "run", adhoc.toString());

            assertThat(waitFor(cron, "nightly")).isZero();
            assertThat(waitFor(onDemand, "adhoc")).isZero();
            Map<String, Long> sent = evaluatesBySource(sandbox);
            assertThat(sent).as("every call sent").hasSize(120);
            assertThat(sent.values()).as("and each exactly once").containsOnly(1L);
            assertThat(sandbox.stats().evaluateAccepted()).isEqualTo(120);

            JsonNode a = summary("nightly");
            JsonNode b = summary("adhoc");
            for (JsonNode s : List.of(a, b)) {
                assertThat(s.path("status").asString()).isEqualTo("COMPLETED");
                assertThat(s.path("rows_read").asLong()).isEqualTo(120);
                assertThat(s.path("counts_add_up").asBoolean()).as("every row in exactly one state: " + s).isTrue();
                assertThat(s.path("counts").path("in_doubt").asLong()).isZero();
            }
            assertThat(a.path("submitted_this_run").asLong() + b.path("submitted_this_run").asLong()).as("between them, each call once")
                    .isEqualTo(120);
            long leftToTheOther = a.path("counts").path("already_done").asLong() + a.path("counts").path("running_elsewhere").asLong()
                    + b.path("counts").path("already_done").asLong() + b.path("counts").path("running_elsewhere").asLong();
            assertThat(leftToTheOther).as("what one sent, the other did not").isEqualTo(120);
            boolean overlapped = Instant.parse(a.path("start_time").asString()).isBefore(Instant.parse(b.path("end_time").asString()))
                    && Instant.parse(b.path("start_time").asString()).isBefore(Instant.parse(a.path("end_time").asString()));
            System.out.printf("runs overlapped: %s; nightly sent %d, left %d running elsewhere; adhoc sent %d, left %d running elsewhere%n",
                    overlapped, a.path("submitted_this_run").asLong(), a.path("counts").path("running_elsewhere").asLong(),
                    b.path("submitted_this_run").asLong(), b.path("counts").path("running_elsewhere").asLong());
        }
    }

    @Test
    void aLaunchOfARunningJobIsRefusedAndKillNineThenRunAgainResumesTheSameRun() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withRecordBodies(true).withLatency(Duration.ofMillis(100));
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            Path job = jobFile("nightly", 4); // 120 calls at 4/s: half a minute, time enough to overlap and to kill it
            Process first = start(sandbox, "first", "run", job.toString());
            awaitDatabase("the first run has sent some calls", 120,
                    "SELECT COUNT(*) FROM call_ledger WHERE state = 'SUBMITTED'", n -> n >= 8);
            long firstExecution = queryLong("SELECT MAX(job_execution_id) FROM execution_heartbeat");

            CommandLine.Result second = CommandLine.run(databaseUrl, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(),
                    "BLUEJAY_API_KEY", "test-key"), "run", job.toString());
            assertThat(second.exitCode()).as(() -> "refused: nightly over the same manifest is running; the second run said:\n"
                    + second.err() + "\nthe first run's output:\n" + logOf("first")).isEqualTo(4);
            assertThat(queryLong("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).as("the refused launch created nothing").isEqualTo(1);

            first.destroyForcibly(); // SIGKILL: no shutdown hook, no afterJob, the execution stays STARTED
            assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(queryString("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + firstExecution)).isEqualTo("STARTED");
            long sentBeforeKill = evaluatesBySource(sandbox).size();

            Files.writeString(job, Files.readString(job).replace("rate-limit: 4", "rate-limit: 50"));
            CommandLine.Result again = CommandLine.run(databaseUrl, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(),
                    "BLUEJAY_API_KEY", "test-key"), "run", job.toString());

            assertThat(again.exitCode()).isZero();
            assertThat(queryString("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + firstExecution)).isEqualTo("FAILED");
            assertThat(queryString("SELECT EXIT_MESSAGE FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + firstExecution))
                    .contains("abandoned", "stopped without ending it");
            assertThat(queryLong("SELECT COUNT(DISTINCT JOB_INSTANCE_ID) FROM BATCH_JOB_EXECUTION")).as("the same run, restarted").isEqualTo(1);
            assertThat(queryLong("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(2);
            Map<String, Long> sent = evaluatesBySource(sandbox);
            assertThat(sent).hasSize(120);
            assertThat(sent.values()).as("each call sent once, across the kill").containsOnly(1L);
            assertThat(sentBeforeKill).isBetween(8L, 119L);
            JsonNode resumed = summary("nightly");
            assertThat(resumed.path("counts_add_up").asBoolean()).isTrue();
            assertThat(resumed.path("counts").path("in_doubt").asLong()).isZero();
            assertThat(resumed.path("counts").path("already_done").asLong() + resumed.path("submitted_this_run").asLong()).isEqualTo(120);
        }
    }

    private interface Check {
        boolean test(long value);
    }

    private void awaitDatabase(String what, int seconds, String sql, Check check) throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (check.test(queryLong(sql))) {
                    return;
                }
            } catch (SQLException notYet) {
                // the tables do not exist before the process has migrated the schema
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + seconds + "s for: " + what);
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String queryString(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
