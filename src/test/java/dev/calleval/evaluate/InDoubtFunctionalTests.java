package dev.calleval.evaluate;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
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
 * Ambiguous failures of {@code POST /v1/evaluate} against a standalone sandbox that creates each call and then
 * answers 504 or drops the connection: the calls are recorded in doubt, never retried blindly, and settled by
 * looking them up ({@code retrieve-call-logs}); results come by polling.
 */
class InDoubtFunctionalTests {
    private static final Path MANIFEST = Path.of("sample-data/manifests/calls.csv").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeEach
    void freshDatabase() {
        databaseUrl = "jdbc:h2:mem:in-doubt-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private Path jobFile(String name, String agent, int maxPages) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  %s
                submit:
                  rate-limit: 0
                  max-in-flight: 4
                  chunk-size: 5
                  retry:
                    max-attempts: 4
                    initial-backoff: 50ms
                  in-doubt:
                    lookup-delay: 0s
                    max-pages: %d
                results:
                  poll-after: 0s
                  poll-interval: 200ms
                report:
                  directory: %s
                """.formatted(name, MANIFEST, agent, maxPages, work.resolve("reports")));
        return file;
    }

    private int run(SandboxServer sandbox, String... args) {
        return CommandLine.run(databaseUrl, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "test-key"), args)
                .exitCode();
    }

    private JsonNode summary(String job, long execution) throws IOException {
        return JSON.readTree(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve("summary.json").toFile());
    }

    private List<CSVRecord> calls(String job, long execution) throws IOException {
        try (Reader in = Files.newBufferedReader(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve("calls.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    @Test
    void callsCreatedThenAnswered504OrResetAreFoundByLookupAndNeverSentTwice() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withFaults(SandboxConfig.Faults.none()
                .withAcceptThenFailRate(0.4).withAcceptThenResetRate(0.3).withEndpoints(SandboxEndpoint.EVALUATE));
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            assertThat(run(sandbox, "run", jobFile("doubt", "agent-id: \"1234\"", 10).toString(), "--wait-for-results", "30s")).isZero();

            assertThat(sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests()).as("each call sent exactly once").isEqualTo(15);
            long ambiguous = sandbox.stats().acceptedThenFailed() + sandbox.stats().acceptedThenReset();
            assertThat(ambiguous).as("the faults happened").isGreaterThanOrEqualTo(5);
            JsonNode summary = summary("doubt", 1);
            assertThat(summary.path("requests").path("in_doubt").asLong()).isEqualTo(ambiguous);
            assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(15);
            assertThat(summary.path("counts").path("in_doubt").asLong()).isZero();
            assertThat(calls("doubt", 1)).allSatisfy(c -> {
                assertThat(c.get("call_id")).matches("[0-9a-f-]{36}");
                assertThat(c.get("in_doubt")).isEqualTo("false");
                assertThat(c.get("result_via")).isEqualTo("POLL");
            });
        }
    }

    @Test
    void aCallAbsentInTwoLooksAfterAnAmbiguousFailureIsSentAgainOnce() throws Exception {
        // a 504 answered before the sandbox processed the request: ambiguous to the client, but no call exists
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withFaults(SandboxConfig.Faults.none()
                .withScriptedStatuses(504, 502).withEndpoints(SandboxEndpoint.EVALUATE));
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            assertThat(run(sandbox, "run", jobFile("absent", "agent-id: \"1234\"", 10).toString(), "--wait-for-results", "30s")).isZero();

            assertThat(sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests()).as("15 calls + 2 sent again").isEqualTo(17);
            assertThat(sandbox.stats().evaluateAccepted()).as("each call created once").isEqualTo(15);
            assertThat(sandbox.stats().endpoint(SandboxEndpoint.RETRIEVE_CALL_LOGS).requests()).as("two looks each").isEqualTo(4);
            JsonNode summary = summary("absent", 1);
            assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(15);
            assertThat(summary.path("requests").path("in_doubt").asLong()).isEqualTo(2);
        }
    }

    @Test
    void theNextRunLooksForCallsLeftInDoubtBeforeSendingThem() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withFaults(SandboxConfig.Faults.none()
                .withScriptedStatuses(-504, -504, -504).withEndpoints(SandboxEndpoint.EVALUATE)); // created, then 504
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            run(sandbox, "run", jobFile("later", "agent-id: \"1234\"", 0).toString(), "--wait-for-results", "1s");
            assertThat(summary("later", 1).path("counts").path("in_doubt").asLong()).isEqualTo(3);

            assertThat(run(sandbox, "run", jobFile("later", "agent-id: \"1234\"", 10).toString(), "--wait-for-results", "30s")).isZero();

            assertThat(sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests()).as("the 3 found, not sent again").isEqualTo(15);
            assertThat(summary("later", 2).path("counts").path("in_doubt").asLong()).isZero();
            assertThat(calls("later", 2)).filteredOn(c -> c.get("disposition").equals("IN_DOUBT_RESENT")).hasSize(3)
                    .allSatisfy(c -> assertThat(c.get("in_doubt")).isEqualTo("false"));
        }
    }

    @Test
    void withoutALookupAmbiguousCallsStayInDoubtAndTheNextRunResendsThemFlagged() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withFaults(SandboxConfig.Faults.none()
                .withAcceptThenFailRate(1.0).withEndpoints(SandboxEndpoint.EVALUATE));
        Path job = jobFile("no-lookup", "agent-id: \"1234\"", 0);
        int port;
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            port = sandbox.baseUri().getPort();
            run(sandbox, "run", job.toString(), "--wait-for-results", "1s");

            assertThat(sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests()).as("not retried").isEqualTo(15);
            JsonNode summary = summary("no-lookup", 1);
            assertThat(summary.path("counts").path("in_doubt").asLong()).isEqualTo(15);
            assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
            assertThat(calls("no-lookup", 1)).allSatisfy(c -> {
                assertThat(c.get("state")).isEqualTo("PENDING");
                assertThat(c.get("in_doubt")).isEqualTo("true");
                assertThat(c.get("last_error")).contains("504").contains("not retried");
            });
        }
        // the same endpoint (same URL), healthy again: the calls are in doubt there (another endpoint would be sent them
        // afresh, see docs/ledger.md)
        try (SandboxServer healthy = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withPort(port))) {
            assertThat(run(healthy, "run", job.toString(), "--wait-for-results", "30s")).isZero();

            assertThat(calls("no-lookup", 2)).allSatisfy(c -> {
                assertThat(c.get("disposition")).isEqualTo("IN_DOUBT_RESENT");
                assertThat(c.get("state")).isEqualTo("EVALUATED");
            });
            assertThat(summary("no-lookup", 2).path("counts").path("in_doubt_resent").asLong()).isEqualTo(15);
        }
    }
}
