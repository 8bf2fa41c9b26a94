package dev.calleval.dropfolder;

import dev.calleval.CommandLine;
import dev.calleval.s3.S3TestServer;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.serve.ServeUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code calleval drop-folder poll-once JOB --sandbox} as a user runs it: the real command line and Spring context,
 * the sandbox over loopback HTTP, H2, and an S3-compatible server (s3proxy) on loopback through the real AWS SDK.
 */
class DropFolderFunctionalTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-drop");

    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;
    private String prefix;
    private Path jobFile;

    @BeforeEach
    void setUp() throws IOException {
        databaseUrl = "jdbc:h2:mem:drop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        prefix = "drop-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        jobFile = work.resolve("nightly-drop.yaml");
        Files.writeString(jobFile, """
                name: nightly-drop
                drop-folder:
                  inbox: s3://calleval-drop/%sinbox/
                defaults:
                  agent-id: "1234"
                  recording-url-ttl: 10m
                submit:
                  rate-limit: 50
                  chunk-size: 4
                results:
                  poll-after: 0s
                  poll-interval: 200ms
                report:
                  directory: %s
                """.formatted(prefix, work.resolve("reports")));
    }

    /** The sample manifest as is: its relative paths ({@code ../recordings/...}) resolve against the drop prefix. */
    private static String sampleManifest() throws IOException {
        return Files.readString(SAMPLE_DATA.resolve("manifests/calls.csv"));
    }

    /** Uploads the sample recordings, transcripts and sidecars beside the drop folder: {@code <prefix>recordings/...}. */
    private void uploadSampleData() throws IOException {
        for (String folder : List.of("recordings", "transcripts", "sidecars")) {
            try (Stream<Path> files = Files.list(SAMPLE_DATA.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    s3.put(prefix + folder + "/" + file.getFileName(), file);
                }
            }
        }
    }

    /** The keys in the drop folder's inbox, processing/, done/ and failed/ (not the sample data beside them). */
    private List<String> dropFolderKeys() {
        return s3.keys(prefix).stream().filter(k -> k.matches(java.util.regex.Pattern.quote(prefix) + "(inbox|processing|done|failed)/.*"))
                .toList();
    }

    private static final int SAMPLE_CALLS = 15;

    private CommandLine.Result pollOnce(SandboxServer sandbox) {
        Map<String, Object> properties = new HashMap<>(s3.properties());
        properties.put("BLUEJAY_BASE_URL", sandbox.baseUri().toString());
        properties.put("BLUEJAY_API_KEY", "test-key");
        return CommandLine.run(databaseUrl, properties, "drop-folder", "poll-once", jobFile.toString(), "--wait-for-results", "30s");
    }

    private CommandLine.Result pollOnce() {
        return CommandLine.run(databaseUrl, s3.properties(), "drop-folder", "poll-once", jobFile.toString(), "--sandbox",
                "--wait-for-results", "0s");
    }

    private List<String> claims() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT inbox_key, state FROM drop_folder_claim ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    private long ledgerRows() throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl, "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM call_ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDroppedManifestIsProcessedOnceAndFiledInDoneWithItsReports() throws Exception {
        uploadSampleData();
        s3.put(prefix + "inbox/calls.csv", sampleManifest()); // as is: ../recordings/... is <prefix>recordings/...

        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true)
                .withFetchRecordings(true))) {
            CommandLine.Result first = pollOnce(sandbox);
            assertThat(first.exitCode()).as(first.out()).isZero();
            assertThat(first.out()).contains(prefix + "inbox/calls.csv: DONE -> s3://calleval-drop/" + prefix + "done/calls.csv")
                    .contains("manifest s3://calleval-drop/" + prefix + "processing/calls.csv:")
                    .containsPattern("evaluated +" + SAMPLE_CALLS);
            List<LoggedRequest> evaluates = sandbox.requests().stream().filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE).toList();
            assertThat(evaluates).hasSize(SAMPLE_CALLS).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.path("recording_url").asString())
                        .startsWith(s3.endpoint() + "/calleval-drop/" + prefix + "recordings/nw-2026-11-19-").contains("X-Amz-Signature=");
                assertThat(body.has("recording_base64")).isFalse();
            });
        }
        assertThat(dropFolderKeys()).containsExactlyInAnyOrder(prefix + "done/calls.csv", prefix + "done/calls.csv.report/summary.json",
                prefix + "done/calls.csv.report/calls.csv", prefix + "done/calls.csv.report/rejects.csv", prefix + "done/calls.csv.report/report.html");
        JsonNode summary = JSON.readTree(s3.getText(prefix + "done/calls.csv.report/summary.json"));
        assertThat(summary.toString()).contains("\"COMPLETED\"");
        assertThat(summary.path("counts").path("evaluated").asLong()).as(summary.toString()).isEqualTo(SAMPLE_CALLS);
        assertThat(summary.path("source").asString()).isEqualTo("s3://calleval-drop/" + prefix + "processing/calls.csv");
        assertThat(s3.getText(prefix + "done/calls.csv.report/calls.csv").lines().count()).isEqualTo(SAMPLE_CALLS + 1);
        assertThat(claims()).containsExactly(prefix + "inbox/calls.csv DONE");

        // the same content dropped again is the same bucket/key/ETag: already processed, left in the inbox, not sent again
        s3.put(prefix + "inbox/calls.csv", sampleManifest());
        CommandLine.Result second = pollOnce();
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(second.out()).contains("0 manifest(s) processed");
        assertThat(second.err()).as("the warning is logged, on stderr").contains("already processed (claim 1, DONE): left in the inbox");
        assertThat(s3.keys(prefix + "inbox/")).containsExactly(prefix + "inbox/calls.csv");
        assertThat(ledgerRows()).isEqualTo(SAMPLE_CALLS);
    }

    @Test
    void aManifestThatCannotBeParsedEndsInFailedWithAReadableReason() throws Exception {
        s3.put(prefix + "inbox/notes.csv", "hello, this is not a manifest\njust some text\n");

        CommandLine.Result result = pollOnce();
        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(dropFolderKeys()).containsExactlyInAnyOrder(prefix + "failed/notes.csv", prefix + "failed/notes.csv.error.txt");
        assertThat(s3.getText(prefix + "failed/notes.csv")).isEqualTo("hello, this is not a manifest\njust some text\n");
        assertThat(s3.getText(prefix + "failed/notes.csv.error.txt"))
                .contains("s3://calleval-drop/" + prefix + "inbox/notes.csv")
                .contains("s3://calleval-drop/" + prefix + "processing/notes.csv:1: the header row has no 'call_id' column");
        assertThat(claims()).containsExactly(prefix + "inbox/notes.csv FAILED");
        assertThat(ledgerRows()).isZero();
    }

    @Test
    void twoPollersRacingForTheSameDropProcessItOnce() throws Exception {
        pollOnce(); // creates the schema, as a running deployment has it
        s3.put(prefix + "inbox/calls.csv", sampleManifest());
        org.springframework.jdbc.datasource.DriverManagerDataSource db =
                new org.springframework.jdbc.datasource.DriverManagerDataSource(databaseUrl, "sa", "");
        dev.calleval.jobfile.JobDefinition.DropFolder job = (dev.calleval.jobfile.JobDefinition.DropFolder) new dev.calleval.jobfile.JobDefinitions(work)
                .load(jobFile.toString());
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<CompletableFuture<List<DropFolderPoller.Outcome>>> pollers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DropFolderPoller poller = new DropFolderPoller(s3.storage(), new DropFolderClaims(db));
            pollers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return poller.pollOnce(job, evaluate -> {
                    runs.incrementAndGet();
                    return true;
                });
            }));
        }
        List<DropFolderPoller.Outcome> outcomes = new ArrayList<>();
        for (CompletableFuture<List<DropFolderPoller.Outcome>> p : pollers) {
            outcomes.addAll(p.get());
        }
        assertThat(runs).hasValue(1);
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.state()).isEqualTo(DropFolderClaims.State.DONE));
        assertThat(claims()).containsExactly(prefix + "inbox/calls.csv DONE");
        assertThat(dropFolderKeys()).containsExactly(prefix + "done/calls.csv");
    }

    @Test
    void aDropLeftRunningByADeadPollerIsResumedWithoutSubmittingItsCallsAgain() throws Exception {
        // a first drop submits the sample calls
        uploadSampleData();
        s3.put(prefix + "inbox/calls.csv", sampleManifest());
        assertThat(pollOnce().exitCode()).isZero();
        assertThat(ledgerRows()).isEqualTo(SAMPLE_CALLS);

        // then a poller claims retry.csv (same calls), moves it to processing/ and is killed: its pid is gone
        s3.put(prefix + "processing/retry.csv", sampleManifest());
        try (Connection c = DriverManager.getConnection(databaseUrl, "sa", "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO drop_folder_claim (job_name, bucket, inbox_key, etag, state, owner, "
                        + "claimed_at, updated_at) VALUES ('nightly-drop', 'calleval-drop', ?, 'dead-etag', 'RUNNING', ?, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setString(1, prefix + "inbox/retry.csv");
            insert.setString(2, java.net.InetAddress.getLocalHost().getHostName() + ":" + Integer.MAX_VALUE + ":killed");
            insert.setTimestamp(3, now);
            insert.setTimestamp(4, now);
            insert.executeUpdate();
        }

        CommandLine.Result resumed = pollOnce();
        assertThat(resumed.exitCode()).as(resumed.out()).isZero();
        assertThat(resumed.out()).contains(prefix + "inbox/retry.csv: DONE -> s3://calleval-drop/" + prefix + "done/retry.csv")
                .contains("0 evaluate accepted");
        assertThat(s3.keys(prefix + "processing/")).isEmpty();
        assertThat(s3.keys(prefix + "done/")).contains(prefix + "done/retry.csv", prefix + "done/retry.csv.report/summary.json");
        assertThat(claims()).containsExactly(prefix + "inbox/calls.csv DONE", prefix + "inbox/retry.csv DONE");
        assertThat(ledgerRows()).isEqualTo(SAMPLE_CALLS);
    }

    @Test
    void serveStoppedInTheMiddleOfADroppedManifestLeavesItInProcessingAndALaterPollFinishesIt() throws Exception {
        uploadSampleData();
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        String slow = Files.readString(jobFile).replace("  rate-limit: 50\n  chunk-size: 4\n", "  rate-limit: 2\n  max-in-flight: 1\n  chunk-size: 2\n")
                .replace("  inbox: s3://", "  poll-interval: 200ms\n  inbox: s3://");
        Files.writeString(jobs.resolve("nightly-drop.yaml"), slow);
        s3.put(prefix + "inbox/calls.csv", sampleManifest());

        Map<String, Object> properties = new HashMap<>(s3.properties());
        properties.putAll(Map.of("CALLEVAL_DB_URL", databaseUrl, "calleval.jobs-dir", jobs.toString()));
        ServeUnderTest serve = ServeUnderTest.start(properties, "serve", "--sandbox",
                "--reconcile-every", "300ms");
        try {
            Instant deadline = Instant.now().plusSeconds(60);
            while (ledgerRows() < 2) { // the first chunk is claimed: the manifest runs from processing/
                assertThat(Instant.now()).as("waiting for serve to start the dropped manifest").isBefore(deadline);
                Thread.sleep(100);
            }
        } finally {
            serve.close(); // as SIGTERM does
        }
        assertThat(serve.exitCode()).isZero();
        assertThat(executionStatuses()).as("the dropped manifest's execution, stopped with serve").containsExactly("STOPPED");
        assertThat(claims()).containsExactly(prefix + "inbox/calls.csv RUNNING");
        assertThat(dropFolderKeys()).as("neither done nor failed: it waits in processing/").containsExactly(prefix + "processing/calls.csv");
        assertThat(ledgerRows()).isLessThan(SAMPLE_CALLS);

        // the next poller, once the claim is stale (here: a claim-timeout of 1s), resumes it and restarts the execution
        Thread.sleep(1_100);
        Files.writeString(jobFile, Files.readString(jobFile).replace("  inbox: s3://", "  claim-timeout: 1s\n  inbox: s3://"));
        CommandLine.Result resumed = pollOnce();
        assertThat(resumed.exitCode()).as(resumed.out()).isZero();
        assertThat(resumed.out()).contains(prefix + "inbox/calls.csv: DONE -> s3://calleval-drop/" + prefix + "done/calls.csv");
        assertThat(executionStatuses()).containsExactly("STOPPED", "COMPLETED");
        assertThat(claims()).containsExactly(prefix + "inbox/calls.csv DONE");
        assertThat(ledgerRows()).isEqualTo(SAMPLE_CALLS);
    }

    private List<String> executionStatuses() throws Exception {
        List<String> statuses = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID")) {
            while (rs.next()) {
                statuses.add(rs.getString(1));
            }
        }
        return statuses;
    }
}
