package dev.calleval.enrich;

import dev.calleval.CommandLine;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.SimulationResult;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig.Faults;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrich jobs end to end as a user runs them — {@code enrich ...} and {@code run JOB} through the real command
 * line, the Spring Batch job, H2, the real client over loopback HTTP — against the Bluejay sandbox
 * ({@link SandboxServer}), which counts the updates it applied per simulation result. Each test first queues the
 * sandbox's sample simulations 30425 and 30426, as {@code --sandbox} runs do, so that results 716977–716979 (those of
 * {@code sample-data/simulation-logs}) exist; faults are scripted for update-simulation-result only.
 */
class EnrichJobFunctionalTests {
    private static final Path SAMPLE = Path.of("sample-data/simulation-logs");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private String databaseUrl;
    private @Nullable SandboxServer bluejay;

    @BeforeEach
    void start() throws IOException {
        databaseUrl = "jdbc:h2:mem:enrich-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        useSandbox(Faults.none());
    }

    @AfterEach
    void stop() {
        if (bluejay != null) {
            bluejay.close();
        }
    }

    /**
     * (Re)starts the sandbox with these faults on update-simulation-result and queues the sample simulations, so that
     * results 716977, 716978 (simulation 30425) and 716979 (30426) exist.
     */
    private void useSandbox(Faults faults) throws IOException {
        stop();
        bluejay = SandboxServer.start(SandboxConfig.defaults().withRecordBodies(true)
                .withFaults(faults.withEndpoints(SandboxEndpoint.UPDATE_SIMULATION_RESULT)));
        assertThat(queue("30425", null)).containsExactly("716977", "716978");
        assertThat(queue("30426", null)).containsExactly("716979");
    }

    /** Queues a run of a sandbox simulation the way the app does; its result ids. */
    private List<String> queue(String simulationId, @Nullable Integer runsPerDigitalHuman) {
        return client().queueSmsSimulationRun(new SmsSimulationRunRequest(simulationId, null, null, null, null, runsPerDigitalHuman))
                .simulationResultIds();
    }

    private BluejayClient client() {
        return new BluejayClient(new BluejayClientSettings(bluejay.baseUri(), ApiKey.of("test-key"), 0, Duration.ofSeconds(2),
                Duration.ofSeconds(5), new BluejayClientSettings.RetrySettings(1, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1))));
    }

    /** Requests that reached update-simulation-result, whatever their answer. */
    private long updateRequests() {
        return bluejay.stats().endpoint(SandboxEndpoint.UPDATE_SIMULATION_RESULT).requests();
    }

    /** How many updates of this result the sandbox applied (each one adds its tool calls again, as Bluejay does). */
    private int posts(String id) {
        return bluejay.updateSimulationResultPosts().getOrDefault(id, 0);
    }

    /** The body of the last update of {@code id} the sandbox applied, from its request log. */
    private JsonNode postedBody(String id) {
        return bluejay.requests().stream()
                .filter(r -> r.endpoint() == SandboxEndpoint.UPDATE_SIMULATION_RESULT && r.status() == 200)
                .map(LoggedRequest::body)
                .map(JSON::readTree)
                .filter(body -> body.path("simulation_result_id").asString().equals(id))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no update of " + id + " was applied"));
    }

    private int run(String... args) {
        return CommandLine.run(databaseUrl, Map.of("BLUEJAY_BASE_URL", bluejay.baseUri().toString(), "BLUEJAY_API_KEY", "test-key"), args)
                .exitCode();
    }

    /** {@code enrich --dir DIR} with reports in the test's folder. */
    private int enrichDir(Path dir, String... more) {
        return run(Stream.concat(Stream.of("enrich", "--dir", dir.toString(), "--report-dir", reports().toString()), Stream.of(more))
                .toArray(String[]::new));
    }

    private Path reports() {
        return work.resolve("reports");
    }

    private JsonNode summary(String job, long execution) throws IOException {
        return JSON.readTree(reports().resolve(job).resolve(Long.toString(execution)).resolve("summary.json").toFile());
    }

    private List<CSVRecord> csv(String job, long execution, String file) throws IOException {
        try (Reader in = Files.newBufferedReader(reports().resolve(job).resolve(Long.toString(execution)).resolve(file))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private static List<String> texts(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private Path copyOfSampleLogs() throws IOException {
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        for (String id : List.of("716977", "716978", "716979")) {
            Files.copy(SAMPLE.resolve(id + ".json"), logs.resolve(id + ".json"));
        }
        return logs;
    }

    private static void assertCountsAddUp(JsonNode summary) {
        JsonNode c = summary.path("counts");
        assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        assertThat(c.path("posted").asLong() + c.path("already_posted").asLong() + c.path("rejected").asLong() + c.path("failed").asLong()
                + c.path("in_doubt").asLong()).isEqualTo(summary.path("logs_read").asLong());
    }

    @Test
    void postsEachSampleLogOnceAndASecondRunPostsNothing() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = enrichDir(SAMPLE);
        } finally {
            System.setOut(stdout);
        }

        assertThat(exit).isZero();
        assertThat(bluejay.updateSimulationResultPosts()).containsExactlyInAnyOrderEntriesOf(Map.of("716977", 1, "716978", 1, "716979", 1));
        JsonNode first = summary("enrich-simulation-logs", 1);
        assertThat(first.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(first.path("logs_read").asLong()).isEqualTo(3);
        assertThat(first.path("counts").path("posted").asLong()).isEqualTo(3);
        assertThat(texts(first.path("posted_ids"))).containsExactly("716977", "716978", "716979");
        assertCountsAddUp(first);
        assertThat(csv("enrich-simulation-logs", 1, "updates.csv")).extracting(r -> r.get("simulation_result_id") + " " + r.get("file")
                + " " + r.get("action") + " " + r.get("state") + " " + r.get("attempts")).containsExactly(
                "716977 sample-data/simulation-logs/716977.json CLAIMED POSTED 1",
                "716978 sample-data/simulation-logs/716978.json CLAIMED POSTED 1",
                "716979 sample-data/simulation-logs/716979.json CLAIMED POSTED 1");
        assertThat(csv("enrich-simulation-logs", 1, "rejects.csv")).isEmpty();
        JsonNode body = postedBody("716978");
        assertThat(body.path("simulation_result_id").asString()).isEqualTo("716978");
        assertThat(body.path("tool_calls").path(1).path("start_offset_ms").asLong()).as("10:40:41.125+01:00 - 09:40:10.500Z").isEqualTo(30625);
        assertThat(body.path("events").path(0).path("start_offset_ms").asLong()).as("epoch ms").isEqualTo(11500);
        assertThat(postedBody("716977").path("tool_calls").path(0).path("start_offset_ms").asLong()).isEqualTo(12480);
        assertThat(postedBody("716979").path("trace_ids").path(0).asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("enrich-simulation-logs — execution 1 — COMPLETED")
                .contains("posted:   716977, 716978, 716979")
                .contains("report: " + reports().resolve("enrich-simulation-logs").resolve("1"));

        assertThat(enrichDir(SAMPLE)).isZero();

        JsonNode second = summary("enrich-simulation-logs", 2);
        assertThat(second.path("counts").path("already_posted").asLong()).isEqualTo(3);
        assertThat(second.path("counts").path("posted").asLong()).isZero();
        assertThat(second.path("requests").path("attempts").asLong()).as("nothing was sent").isZero();
        assertCountsAddUp(second);
        assertThat(updateRequests()).isEqualTo(3);
        assertThat(csv("enrich-simulation-logs", 2, "updates.csv")).extracting(r -> r.get("action")).containsOnly("ALREADY_POSTED");
    }

    @Test
    void aBrokenLogIsRejectedNamingFileAndFieldAndIsNeverPosted() throws Exception {
        assertThat(enrichDir(SAMPLE.resolve("broken"))).isEqualTo(1);

        assertThat(updateRequests()).isZero();
        JsonNode summary = summary("enrich-broken", 1);
        assertThat(summary.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.path("counts").path("rejected").asLong()).isEqualTo(1);
        assertCountsAddUp(summary);
        assertThat(texts(summary.path("rejections"))).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("sample-data/simulation-logs/broken/716980.json: tool_calls[1].start_offset_ms: must be >= 0, got -120; "
                        + "recorded_transcript[0].speaker: must be AGENT or USER, got 'BOT'");
        assertThat(csv("enrich-broken", 1, "rejects.csv")).singleElement().satisfies(r -> {
            assertThat(r.get("file")).isEqualTo("sample-data/simulation-logs/broken/716980.json");
            assertThat(r.get("simulation_result_id")).isEqualTo("716980");
            assertThat(r.get("fields")).isEqualTo("tool_calls[1].start_offset_ms;recorded_transcript[0].speaker");
            assertThat(r.get("origin")).isEqualTo("LOCAL");
        });
        assertThat(csv("enrich-broken", 1, "updates.csv")).singleElement().satisfies(r -> {
            assertThat(r.get("action")).isEqualTo("INVALID");
            assertThat(r.get("state")).isEqualTo("REJECTED");
        });
    }

    @Test
    void aRunThatFailsAfterSomePostsIsRestartedAndPostsTheRemainingOnesOnce() throws Exception {
        // one post at a time: three are applied, the fourth is refused 401 (which stops the run), then all is normal
        useSandbox(Faults.none().withScriptedStatuses(Faults.PASS, Faults.PASS, Faults.PASS, 401));
        List<String> ids = queue("30426", 7);
        assertThat(ids).hasSize(7);
        Path logs = work.resolve("many");
        Files.createDirectories(logs);
        for (int i = 1; i <= 7; i++) {
            Files.writeString(logs.resolve(ids.get(i - 1) + ".json"), """
                    {"tool_calls": [{"name": "step_%d", "start_offset_s": %d.5}]}""".formatted(i, i));
        }
        Path job = work.resolve("enrich-many.yaml");
        Files.writeString(job, """
                name: enrich-many
                enrich:
                  location: many
                submit:
                  max-in-flight: 1
                  chunk-size: 2
                  retry:
                    max-attempts: 1
                report:
                  directory: %s
                """.formatted(reports()));

        assertThat(run("run", job.toString())).isEqualTo(1);

        JsonNode failed = summary("enrich-many", 1);
        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.path("exit_description").asString()).contains("API key").doesNotContain("test-key");
        assertThat(failed.path("counts").path("posted").asLong()).isEqualTo(3);
        assertThat(failed.path("counts").path("failed").asLong()).isEqualTo(4);
        assertThat(texts(failed.path("failed_ids"))).containsExactlyElementsOf(ids.subList(3, 7));
        assertCountsAddUp(failed);
        assertThat(updateRequests()).as("after the refusal, nothing more is sent").isEqualTo(4);
        assertThat(bluejay.updateSimulationResultPosts()).containsOnlyKeys(ids.subList(0, 3));

        assertThat(run("run", job.toString())).isZero();

        JsonNode restarted = summary("enrich-many", 2);
        assertThat(restarted.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(restarted.path("counts").path("posted").asLong()).isEqualTo(4);
        assertThat(restarted.path("counts").path("already_posted").asLong()).isEqualTo(3);
        assertCountsAddUp(restarted);
        assertThat(bluejay.updateSimulationResultPosts()).containsOnlyKeys(ids).allSatisfy((id, posts) -> assertThat(posts).as(id).isEqualTo(1));
        SimulationResult fourth = client().retrieveSimulationResult(ids.get(3));
        assertThat(fourth.toolCalls()).singleElement().satisfies(group -> {
            assertThat(group.name()).isEqualTo("step_4");
            assertThat(group.actual()).as("Bluejay holds the tool call once").singleElement()
                    .satisfies(call -> assertThat(((Number) call.get("start_offset_ms")).longValue()).isEqualTo(4500));
        });

        assertThat(run("run", job.toString())).isZero();
        assertThat(summary("enrich-many", 3).path("counts").path("already_posted").asLong()).isEqualTo(7);
        assertThat(bluejay.updateSimulationResultPosts().values()).containsOnly(1);
    }

    @Test
    void anUpdateAcceptedThenAnswered504IsInDoubtAndPostedAgainOnlyWhenAsked() throws Exception {
        // one post at a time, in file order: 716977 as usual, 716978 applied but answered 504, then all as usual
        useSandbox(Faults.none().withScriptedStatuses(Faults.PASS, Faults.ACCEPT_THEN_FAIL));
        Path job = work.resolve("enrich-simulation-logs.yaml");
        Files.writeString(job, """
                name: enrich-simulation-logs
                enrich:
                  location: %s
                submit:
                  max-in-flight: 1
                report:
                  directory: %s
                """.formatted(SAMPLE.toAbsolutePath(), reports()));

        assertThat(run("enrich", job.toString())).isEqualTo(1);

        JsonNode first = summary("enrich-simulation-logs", 1);
        assertThat(first.path("counts").path("posted").asLong()).isEqualTo(2);
        assertThat(first.path("counts").path("in_doubt").asLong()).isEqualTo(1);
        assertThat(texts(first.path("in_doubt_ids"))).containsExactly("716978");
        assertThat(first.path("requests").path("in_doubt").asLong()).isEqualTo(1);
        assertCountsAddUp(first);
        CSVRecord inDoubt = csv("enrich-simulation-logs", 1, "updates.csv").get(1);
        assertThat(inDoubt.get("state")).isEqualTo("IN_DOUBT");
        assertThat(inDoubt.get("attempts")).as("an ambiguous failure is never retried").isEqualTo("1");
        assertThat(inDoubt.get("error")).contains("504");
        assertThat(posts("716978")).as("applied, although answered 504").isEqualTo(1);

        assertThat(run("enrich", job.toString())).as("still in doubt").isEqualTo(1);

        JsonNode second = summary("enrich-simulation-logs", 2);
        assertThat(second.path("counts").path("in_doubt").asLong()).isEqualTo(1);
        assertThat(second.path("counts").path("already_posted").asLong()).isEqualTo(2);
        assertThat(second.path("requests").path("attempts").asLong()).isZero();
        assertThat(csv("enrich-simulation-logs", 2, "updates.csv").get(1).get("action")).isEqualTo("LEFT_IN_DOUBT");
        assertThat(posts("716978")).as("not re-posted without --resend-in-doubt").isEqualTo(1);

        assertThat(run("enrich", job.toString(), "--resend-in-doubt")).isZero();

        JsonNode third = summary("enrich-simulation-logs", 3);
        assertThat(third.path("resend_in_doubt").asBoolean()).isTrue();
        assertThat(third.path("counts").path("posted").asLong()).isEqualTo(1);
        assertThat(third.path("counts").path("resent_in_doubt").asLong()).isEqualTo(1);
        assertThat(third.path("counts").path("already_posted").asLong()).isEqualTo(2);
        assertCountsAddUp(third);
        assertThat(posts("716978")).as("posted again because the operator asked").isEqualTo(2);
        assertThat(posts("716977")).isEqualTo(1);
        assertThat(posts("716979")).isEqualTo(1);

        assertThat(run("enrich", job.toString(), "--resend-in-doubt")).isZero();
        assertThat(posts("716978")).as("once POSTED, never again").isEqualTo(2);
        assertThat(updateRequests()).as("three posts, then one resent").isEqualTo(4);
    }

    @Test
    void aResultLeftPendingByARunThatDiedMidPostIsInDoubtAndNotPosted() throws Exception {
        assertThat(enrichDir(SAMPLE)).isZero();
        try (Connection db = DriverManager.getConnection(databaseUrl, "sa", "")) {
            // what a run killed between claiming and recording the outcome leaves behind
            db.createStatement().executeUpdate("UPDATE simulation_update SET state = 'PENDING', job_execution_id = 999 "
                    + "WHERE simulation_result_id = '716977'");
        }

        assertThat(enrichDir(SAMPLE, "--resend-in-doubt")).isEqualTo(1);

        JsonNode summary = summary("enrich-simulation-logs", 2);
        assertThat(texts(summary.path("in_doubt_ids"))).containsExactly("716977");
        assertCountsAddUp(summary);
        CSVRecord row = csv("enrich-simulation-logs", 2, "updates.csv").get(0);
        assertThat(row.get("action")).isEqualTo("FOUND_PENDING");
        assertThat(row.get("state")).isEqualTo("IN_DOUBT");
        assertThat(row.get("error")).contains("left PENDING by job execution 999");
        assertThat(posts("716977")).isEqualTo(1);

        assertThat(enrichDir(SAMPLE)).as("still in doubt without the flag").isEqualTo(1);
        assertThat(posts("716977")).isEqualTo(1);
    }

    @Test
    void aChangedLogOfAnAlreadyPostedResultIsReportedAndNotPostedAgain() throws Exception {
        Path logs = copyOfSampleLogs();
        assertThat(enrichDir(logs)).isZero();
        Files.writeString(logs.resolve("716977.json"), "{\"tool_calls\": [{\"name\": \"lookup_order\", \"start_offset_ms\": 1}]}");
        Files.writeString(logs.resolve("716979.json"), "{\"tool_calls\": [{\"name\": \"lookup_order\", \"start_offset_ms\": -1}]}");

        assertThat(enrichDir(logs)).isZero();

        JsonNode summary = summary("enrich-logs", 2);
        assertThat(summary.path("counts").path("already_posted").asLong()).isEqualTo(3);
        assertThat(summary.path("counts").path("changed_input_ignored").asLong()).isEqualTo(2);
        assertCountsAddUp(summary);
        List<CSVRecord> updates = csv("enrich-logs", 2, "updates.csv");
        assertThat(updates).extracting(r -> r.get("action")).containsExactly("CHANGED_AFTER_POST", "ALREADY_POSTED", "CHANGED_AFTER_POST");
        assertThat(updates.get(0).get("error")).isEqualTo("already posted; changed input ignored");
        assertThat(updates.get(2).get("error")).startsWith("already posted; changed input ignored (the log is now invalid: "
                + "tool_calls[0].start_offset_ms: must be >= 0");
        assertThat(bluejay.updateSimulationResultPosts().values()).containsOnly(1);
    }

    @Test
    void anUnknownResultIsRejectedAndPostedAgainOnlyOnceItsLogChanges() throws Exception {
        Path logs = copyOfSampleLogs();
        String unknown = "716980"; // the next id the sandbox hands out: no such result yet
        Files.copy(SAMPLE.resolve("716977.json"), logs.resolve(unknown + ".json"));

        assertThat(enrichDir(logs)).isEqualTo(1);

        JsonNode first = summary("enrich-logs", 1);
        assertThat(first.path("counts").path("rejected").asLong()).isEqualTo(1);
        assertThat(texts(first.path("rejections"))).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(logs.resolve(unknown + ".json") + ": simulation_result_id: Bluejay does not know simulation result " + unknown + " (404)");
        assertThat(csv("enrich-logs", 1, "rejects.csv")).singleElement().satisfies(r -> assertThat(r.get("origin")).isEqualTo("API"));

        assertThat(enrichDir(logs)).isEqualTo(1);
        assertThat(csv("enrich-logs", 2, "rejects.csv")).singleElement().satisfies(r -> assertThat(r.get("origin")).isEqualTo("API_EARLIER"));
        assertThat(summary("enrich-logs", 2).path("requests").path("attempts").asLong()).as("an unchanged rejected log is not sent").isZero();

        assertThat(queue("30426", null)).as("the result now exists").containsExactly(unknown);
        Files.writeString(logs.resolve(unknown + ".json"), "{\"tags\": [\"fixed\"]}");
        assertThat(enrichDir(logs)).isZero();
        assertThat(posts(unknown)).isEqualTo(1);
        assertCountsAddUp(summary("enrich-logs", 3));
    }

    @Test
    void aManifestListsTheLogsToPost() throws Exception {
        assertThat(run("enrich", "--manifest", SAMPLE.resolve("manifest.csv").toString(), "--report-dir", reports().toString())).isZero();

        assertThat(bluejay.updateSimulationResultPosts()).containsOnlyKeys("716977", "716978", "716979");
        assertThat(csv("enrich-manifest", 1, "updates.csv")).extracting(r -> r.get("line")).containsExactly("2", "3", "4");
        assertCountsAddUp(summary("enrich-manifest", 1));
    }

    @Test
    void theSampleJobFileIsAnEnrichJobThatValidates() throws Exception {
        assertThat(run("validate", "jobs/enrich-sample.yaml")).isZero();
        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, "name: broken\nenrich:\n  location: " + SAMPLE.resolve("broken").toAbsolutePath() + "\n");
        assertThat(run("validate", broken.toString())).isEqualTo(1);
        assertThat(updateRequests()).isZero();
    }

    @Test
    void badUsageIsExitCode2() throws Exception {
        assertThat(run("enrich")).isEqualTo(2);
        assertThat(run("enrich", "--dir", SAMPLE.toString(), "--manifest", SAMPLE.resolve("manifest.csv").toString())).isEqualTo(2);
        assertThat(run("enrich", "--dir", work.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(run("enrich", "sample")).as("an evaluate job").isEqualTo(2);
        assertThat(updateRequests()).isZero();
    }
}
