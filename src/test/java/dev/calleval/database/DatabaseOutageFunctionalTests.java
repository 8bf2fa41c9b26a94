package dev.calleval.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database outage in the middle of a run: PostgreSQL (a server of the test's own) is stopped and started again
 * while {@code calleval run} sends 1,500 calls to the sandbox; the run rides it through and completes by itself,
 * its counts add up, and no call is lost or sent twice. An outage longer than the tolerance ends the run FAILED with
 * one line and counts that add up; the next run completes it, again with nothing lost or sent twice.
 */
class DatabaseOutageFunctionalTests {
    private static final Path TRANSCRIPT = Path.of("sample-data/transcripts/nw-2026-11-19-0001.json").toAbsolutePath();
    private static final Pattern SOURCE_ID = Pattern.compile("\"calleval_source_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CALLS = 1500;

    @TempDir
    Path work;

    @Test
    void aPostgresRestartInTheMiddleOfARunIsRiddenThroughWithNothingLostOrSentTwice() throws Exception {
        try (PostgresRestart postgres = PostgresRestart.start();
                SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true)
                        .withLatency(Duration.ofMillis(20)))) {
            Path job = jobFile(manifest(CALLS));
            CompletableFuture<CommandLine.Result> run = CompletableFuture.supplyAsync(() -> CommandLine.run(postgres.url(),
                    Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "test-key",
                            "calleval.database.outage-tolerance", "2m", "logging.level.dev.calleval", "INFO",
                            // the job sends unpaced (rate-limit: 0): no account budget either, this test is about the outage
                            "calleval.bluejay.rate-limit.per-second", "0"),
                    "run", job.toString()));

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (sandbox.stats().evaluateAccepted() < CALLS / 3 && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run).as("the run is still going at a third of its calls").isNotDone();
            long acceptedBefore = sandbox.stats().evaluateAccepted();
            postgres.restart(Duration.ofSeconds(2));
            assertThat(run).as("the restart happened while the run was going").isNotDone();

            CommandLine.Result result = run.get(5, TimeUnit.MINUTES);

            assertThat(result.exitCode()).as(result.out()).isZero();
            assertThat(acceptedBefore).isLessThan(CALLS);
            JsonNode summary = JSON.readTree(work.resolve("reports/outage/1/summary.json").toFile());
            assertThat(summary.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(summary.path("rows_read").asLong()).isEqualTo(CALLS);
            assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
            assertThat(summary.path("submitted_this_run").asLong()).as("every call sent by this one execution").isEqualTo(CALLS);
            Map<String, Long> accepted = sandbox.requests().stream()
                    .filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE && r.status() == 200)
                    .map(DatabaseOutageFunctionalTests::sourceId)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(accepted).as("every call accepted once: none lost").hasSize(CALLS);
            assertThat(accepted.values()).as("none sent twice").containsOnly(1L);
            assertThat(sandbox.stats().evaluateAccepted()).isEqualTo(CALLS);
        }
    }

    @Test
    void pastTheToleranceTheRunEndsFailedInOneLineWithCountsThatAddUpAndTheNextRunCompletesIt() throws Exception {
        try (PostgresRestart postgres = PostgresRestart.start();
                SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true)
                        .withLatency(Duration.ofMillis(20)))) {
            Path job = jobFile(manifest(600));
            Map<String, Object> settings = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "test-key",
                    "CALLEVAL_DB_OUTAGE_TOLERANCE", "2s", "calleval.bluejay.rate-limit.per-second", "0");
            CompletableFuture<CommandLine.Result> run = CompletableFuture.supplyAsync(() -> CommandLine.run(postgres.url(), settings,
                    "run", job.toString()));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (sandbox.stats().evaluateAccepted() < 100 && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run).isNotDone();
            postgres.restart(Duration.ofSeconds(10)); // longer than the tolerance

            CommandLine.Result first = run.get(5, TimeUnit.MINUTES);
            assertThat(first.exitCode()).isEqualTo(1);
            JsonNode failed = JSON.readTree(work.resolve("reports/outage/1/summary.json").toFile());
            assertThat(failed.path("status").asString()).isEqualTo("FAILED");
            assertThat(failed.path("exit_description").asString()).startsWith("the database stayed unreachable for 2s while");
            assertThat(failed.path("counts_add_up").asBoolean()).as(failed.toString()).isTrue();
            assertThat(failed.path("rows_read").asLong()).isLessThan(600);

            CommandLine.Result second = CommandLine.run(postgres.url(), settings, "run", job.toString());
            assertThat(second.exitCode()).as(second.out()).isZero();
            JsonNode completed = JSON.readTree(work.resolve("reports/outage/2/summary.json").toFile());
            assertThat(completed.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(completed.path("counts_add_up").asBoolean()).isTrue();
            Map<String, Long> accepted = sandbox.requests().stream()
                    .filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE && r.status() == 200)
                    .map(DatabaseOutageFunctionalTests::sourceId)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(accepted).as("every call accepted: none lost").hasSize(600);
            assertThat(accepted.values()).as("none sent twice").containsOnly(1L);
        }
    }

    private static String sourceId(LoggedRequest request) {
        Matcher m = SOURCE_ID.matcher(request.body() == null ? "" : request.body());
        return m.find() ? m.group(1) : "?";
    }

    private Path manifest(int calls) throws IOException {
        StringBuilder csv = new StringBuilder("call_id,agent_id,start_time_utc,transcript\n");
        for (int i = 1; i <= calls; i++) {
            csv.append("outage-%05d,1234,2026-11-19T%02d:%02d:%02dZ,%s\n".formatted(i, i / 3600, i / 60 % 60, i % 60, TRANSCRIPT));
        }
        Path manifest = work.resolve("calls.csv");
        Files.writeString(manifest, csv);
        return manifest;
    }

    private Path jobFile(Path manifest) throws IOException {
        Path file = work.resolve("outage.yaml");
        Files.writeString(file, """
                name: outage
                source:
                  location: %s
                submit:
                  rate-limit: 0
                  max-in-flight: 4
                  chunk-size: 50
                report:
                  directory: %s
                """.formatted(manifest, work.resolve("reports")));
        return file;
    }
}
