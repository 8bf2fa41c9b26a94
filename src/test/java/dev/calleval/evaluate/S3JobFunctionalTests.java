package dev.calleval.evaluate;

import dev.calleval.CommandLine;
import dev.calleval.s3.S3TestServer;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluate jobs over a manifest in S3 (s3proxy on loopback, through the AWS SDK) run as a user runs them, against a
 * sandbox that fetches every {@code recording_url}: presigned URLs that resolve, rejects with S3 provenance, a
 * recording the sandbox cannot fetch refused by it, and reports uploaded to S3.
 */
class S3JobFunctionalTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-jobs");

    private static final Path SAMPLES = Path.of("sample-data");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeAll
    static void uploadTheSampleData() throws IOException {
        for (String folder : List.of("manifests", "recordings", "transcripts", "sidecars")) {
            try (Stream<Path> files = Files.list(SAMPLES.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    s3.put("northwind/" + folder + "/" + file.getFileName(), file);
                }
            }
        }
    }

    @BeforeEach
    void freshDatabase() {
        databaseUrl = "jdbc:h2:mem:s3-functional-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private Path jobFile(String name, String manifest, String reports) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                  recording-url-ttl: 10m
                submit:
                  rate-limit: 0
                  max-in-flight: 4
                  chunk-size: 5
                results:
                  poll-after: 0s
                  poll-interval: 200ms
                report:
                  directory: %s
                  local-directory: %s
                """.formatted(name, manifest, reports, work.resolve("reports")));
        return file;
    }

    private CommandLine.Result run(SandboxServer sandbox, String... args) {
        Map<String, Object> properties = new HashMap<>(s3.properties());
        properties.put("BLUEJAY_BASE_URL", sandbox.baseUri().toString());
        properties.put("BLUEJAY_API_KEY", "test-key");
        return CommandLine.run(databaseUrl, properties, args);
    }

    private static SandboxServer fetchingSandbox() throws IOException {
        return SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true).withFetchRecordings(true)
                .withEvaluationDelay(Duration.ofMillis(50)));
    }

    @Test
    void evaluatesTheSampleManifestFromS3WithPresignedUrlsTheSandboxFetchesAndUploadsTheReport() throws Exception {
        Path job = jobFile("s3-sample", "s3://calleval-jobs/northwind/manifests/calls.csv", "s3://calleval-jobs/reports");
        try (SandboxServer sandbox = fetchingSandbox()) {
            CommandLine.Result result = run(sandbox, "run", job.toString(), "--wait-for-results", "30s");
            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(result.out()).contains("uploaded: s3://calleval-jobs/reports/s3-sample/1/ (4 file(s))");

            List<LoggedRequest> evaluates = sandbox.requests().stream().filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE).toList();
            assertThat(evaluates).hasSize(15).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.path("recording_url").asString())
                        .startsWith(s3.endpoint() + "/calleval-jobs/northwind/recordings/nw-2026-11-19-").contains("X-Amz-Signature=");
                assertThat(body.has("recording_base64")).isFalse();
            });
            assertThat(s3.keys("reports/s3-sample/1/")).containsExactly("reports/s3-sample/1/calls.csv",
                    "reports/s3-sample/1/rejects.csv", "reports/s3-sample/1/report.html", "reports/s3-sample/1/summary.json");
            JsonNode summary = JSON.readTree(s3.getText("reports/s3-sample/1/summary.json"));
            assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(15);
            assertThat(summary.path("source").asString()).isEqualTo("s3://calleval-jobs/northwind/manifests/calls.csv");
            assertThat(Files.readString(work.resolve("reports/s3-sample/1/summary.json"))).as("the local copy").contains("\"evaluated\" : 15");

            CommandLine.Result again = run(sandbox, "run", job.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).containsPattern("already done \\(not sent\\) +15");
            assertThat(sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests()).isEqualTo(15);
        }
        CommandLine.Result validate = CommandLine.run(databaseUrl, s3.properties(), "validate", job.toString());
        assertThat(validate.exitCode()).isZero();
        assertThat(validate.out()).contains("s3://calleval-jobs/northwind/manifests/calls.csv: 15 row(s), 15 valid, 0 invalid");
    }

    @Test
    void rejectsNameTheS3ManifestLineAndTheSandboxRefusesARecordingItCannotFetch() throws Exception {
        String missingUrl = s3.storage().presignGet(s3.location("northwind/recordings/deleted.wav"), Duration.ofMinutes(10)).toString();
        s3.put("bad/calls.csv", """
                call_id,start_time_utc,recording,transcript,agent_name,customer_name
                bad-missing,2026-11-19T08:00:00Z,../northwind/recordings/missing.wav,../northwind/transcripts/nw-2026-11-19-0001.json,Nora,Maria
                bad-unfetchable,2026-11-19T08:00:00Z,%s,../northwind/transcripts/nw-2026-11-19-0001.json,Nora,Maria
                good-absolute,2026-11-19T08:00:00Z,s3://calleval-jobs/northwind/recordings/nw-2026-11-19-0001.wav,../northwind/transcripts/nw-2026-11-19-0001.json,Nora,Maria
                """.formatted(missingUrl));
        Path job = jobFile("s3-bad", "s3://calleval-jobs/bad/calls.csv", work.resolve("reports").toString());
        try (SandboxServer sandbox = fetchingSandbox()) {
            CommandLine.Result result = run(sandbox, "run", job.toString(), "--wait-for-results", "30s");
            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode summary = JSON.readTree(work.resolve("reports/s3-bad/1/summary.json").toFile());
            assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(1);
            assertThat(summary.path("counts").path("rejected").asLong()).isEqualTo(2);
            String rejects = Files.readString(work.resolve("reports/s3-bad/1/rejects.csv"));
            assertThat(rejects).contains("2,s3://calleval-jobs/bad/calls.csv:2,bad-missing,recording,"
                    + "recording: object not found: ../northwind/recordings/missing.wav (s3://calleval-jobs/northwind/recordings/missing.wav),LOCAL");
            assertThat(rejects).contains("3,s3://calleval-jobs/bad/calls.csv:3,bad-unfetchable").contains("recording_url could not be fetched: GET answered HTTP 404")
                    .contains(",API");
        }
    }

    @Test
    void aReportUploadThatFailsExitsOneAndKeepsTheLocalCopy() throws Exception {
        Path job = jobFile("s3-nobucket", "s3://calleval-jobs/northwind/manifests/calls.csv", "s3://no-such-bucket-here/reports");
        try (SandboxServer sandbox = fetchingSandbox()) {
            CommandLine.Result result = run(sandbox, "run", job.toString());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("report upload FAILED: cannot upload").contains("no such bucket 'no-such-bucket-here'");
            assertThat(work.resolve("reports/s3-nobucket/1/summary.json")).exists();
        }
    }
}
