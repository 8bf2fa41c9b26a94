package dev.calleval.monitoring;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progress and logs of {@code calleval run} as a user sees them (real command line, sandbox over loopback): in log
 * mode a progress line every {@code calleval.progress.interval} and one when the submit step ends; with
 * {@code CALLEVAL_LOG_FORMAT=json} every log line is a JSON object (progress figures as fields) and neither the API
 * key nor the webhook secret appears, even at DEBUG. Contents are asserted, not timing: the sandbox answers slowly
 * enough that a 100 ms interval always yields lines while calls are in flight.
 */
class ProgressAndLogsFunctionalTests {
    private static final String API_KEY = "bj-live-obs-logs-8f3a61c0d2e9";
    private static final String WEBHOOK_SECRET = "whsec-obs-logs-47b1e9c3a5d0";
    private static final Path MANIFESTS = Path.of("sample-data/manifests").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TEXT_LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) ");

    @TempDir
    Path work;

    private Path job(String name, String manifest) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 10
                  max-in-flight: 4
                  chunk-size: 4
                results:
                  poll-after: 30s
                report:
                  directory: %s
                """.formatted(name, MANIFESTS.resolve(manifest), work.resolve("reports")));
        return file;
    }

    private static String database() {
        return "jdbc:h2:mem:progress-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void logModeWritesAProgressLineEveryIntervalAndOneWhenTheStepEnds() throws Exception {
        Path job = job("errors", "calls-with-errors.csv");
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withLatency(Duration.ofMillis(150)).withoutWebhook())) {
            CommandLine.Result result = CommandLine.run(database(), Map.of(
                    "BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", API_KEY,
                    "calleval.progress.mode", "log", "calleval.progress.interval", "100ms",
                    "logging.level.dev.calleval.monitoring.progress", "INFO"), "run", job.toString());

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).as("logs are on stderr").doesNotContain(" progress - ").contains("errors — execution 1 — COMPLETED");
            List<String> progress = result.err().lines().filter(l -> l.contains(" progress - errors: ")).toList();
            assertThat(progress).as(result.err()).last().asString()
                    .endsWith("progress - errors: read 17 of 17 rows (100 %), submitted 7, rejected 10, "
                            + progress.get(progress.size() - 1).replaceAll(".*rejected 10, ", ""))
                    .contains("submitted 7, rejected 10, ")
                    .containsPattern(" calls/s, budget [0-9.]+ of 20/s \\(1 execution, own limit 10/s\\) \\(submit step ended\\)$");
            assertThat(progress.subList(0, progress.size() - 1)).as("lines while the step ran").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).matches(".*INFO +progress - errors: read \\d+ (of ~?\\d+ rows \\(\\d+ %\\)|rows), "
                            + "submitted \\d+, rejected \\d+, \\d+\\.\\d calls/s(, ETA \\d+[smh][0-9sm]*)?, budget [0-9.]+ of 20/s \\(1 execution, own limit 10/s\\)"));
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithTheProgressFiguresAndNoSecret() throws Exception {
        Path job = job("json", "calls.csv");
        int receiverPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            receiverPort = socket.getLocalPort();
        }
        SandboxConfig config = SandboxConfig.defaults().withApiKey(API_KEY).withLatency(Duration.ofMillis(150))
                .withWebhook(URI.create("http://127.0.0.1:" + receiverPort + "/webhooks/bluejay"), WEBHOOK_SECRET);
        // a system property, as -D on the command line: above application.yaml's level (CommandLine's properties are below it)
        System.setProperty("logging.level.dev.calleval", "DEBUG");
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            CommandLine.Result result = CommandLine.run(database(), Map.of(
                    "BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", API_KEY, "BLUEJAY_WEBHOOK_SECRET", WEBHOOK_SECRET,
                    "SERVER_PORT", Integer.toString(receiverPort), "CALLEVAL_LOG_FORMAT", "json",
                    "calleval.progress.mode", "log", "calleval.progress.interval", "100ms"), "run", job.toString(), "--wait-for-results", "30s");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("json — execution 1 — COMPLETED").doesNotContain(API_KEY).doesNotContain(WEBHOOK_SECRET);
            assertThat(result.out().lines()).as("stdout: the summary only, no log line").noneMatch(l -> l.startsWith("{"))
                    .noneMatch(l -> TEXT_LOG_LINE.matcher(l).find());
            assertThat(result.err()).doesNotContain(API_KEY).doesNotContain(WEBHOOK_SECRET);
            List<JsonNode> events = new ArrayList<>();
            for (String line : result.err().lines().toList()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (JacksonException e) {
                    throw new AssertionError("stderr: not a JSON object: " + line, e);
                }
            }
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("@timestamp").isString()).isTrue();
                assertThat(e.path("log").path("level").isString()).isTrue();
                assertThat(e.path("message").isString()).isTrue();
            });
            assertThat(events).as("DEBUG lines of the submitter and the webhook receiver")
                    .anySatisfy(e -> assertThat(e.path("log").path("logger").asString()).isEqualTo("dev.calleval.evaluate.Submitter"))
                    .anySatisfy(e -> assertThat(e.path("log").path("logger").asString()).isEqualTo("dev.calleval.webhook.WebhookController"));
            List<JsonNode> progress = events.stream()
                    .filter(e -> e.path("log").path("logger").asString().equals("dev.calleval.monitoring.progress")).toList();
            assertThat(progress).hasSizeGreaterThan(1);
            JsonNode last = progress.get(progress.size() - 1);
            assertThat(last.path("message").asString()).startsWith("json: read 15 of 15 rows (100 %), submitted 15, rejected 0, ")
                    .endsWith("(submit step ended)");
            assertThat(last.path("job").asString()).isEqualTo("json");
            assertThat(last.path("rows_read").asLong()).isEqualTo(15);
            assertThat(last.path("submitted").asLong()).isEqualTo(15);
            assertThat(last.path("rejected").asLong()).isZero();
        } finally {
            System.clearProperty("logging.level.dev.calleval");
            // Spring Boot's logging system leaves the structured format in a JVM-wide system property: later runs in this
            // test JVM would log JSON too
            System.clearProperty("CONSOLE_STRUCTURED_FORMAT");
            System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT"); // the name logback-spring.xml reads
            System.clearProperty("FILE_STRUCTURED_FORMAT");
        }
    }
}
