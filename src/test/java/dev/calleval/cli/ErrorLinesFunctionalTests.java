package dev.calleval.cli;

import dev.calleval.CallevalApplication;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected failures of every kind — configuration, input, network, API refusals — told in one line on stderr
 * ({@code calleval: ...}) with the documented exit code, and no stack trace or exception class name anywhere; the
 * stack trace only with {@code --debug}. A table of cases through the real command line in this JVM, and a few as
 * processes started as an operator does.
 */
class ErrorLinesFunctionalTests {
    private static final Path MANIFEST = Path.of("sample-data/manifests/calls.csv").toAbsolutePath();

    @TempDir
    Path work;

    /** What one command printed and its exit code. */
    record Outcome(int exitCode, String out, String err) {
        /** The lines on stderr that calleval wrote itself (not log lines). */
        List<String> lines() {
            return err.lines().filter(l -> l.startsWith("calleval: ")).toList();
        }
    }

    private Outcome cli(Map<String, Object> properties, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        int code;
        try {
            SpringApplication app = CallevalApplication.application(args);
            Map<String, Object> defaults = new HashMap<>(Map.of("SERVER_PORT", "0",
                    "CALLEVAL_DB_URL", "jdbc:h2:mem:errors-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "logging.level.dev.calleval", "WARN"));
            defaults.putAll(properties);
            app.setDefaultProperties(defaults);
            try {
                code = CallevalApplication.run(app, args);
            } catch (RuntimeException startFailed) { // as CallevalApplication.main tells it
                String line = StartupFailures.describe(startFailed, "jdbc:h2:mem:errors");
                System.err.println("calleval: " + (line == null ? "could not start: " + startFailed : line));
                code = StartupFailures.exitCode();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Outcome(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private Path job(String name) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  retry:
                    max-attempts: 2
                    initial-backoff: 10ms
                report:
                  directory: %s
                """.formatted(name, MANIFEST, work.resolve("reports")));
        return file;
    }

    private static void assertOneLine(Outcome outcome, int exitCode, String says) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(exitCode);
        assertThat(outcome.lines()).as(outcome.err()).hasSize(1);
        assertThat(outcome.lines().get(0)).contains(says).doesNotContain("Exception");
        assertThat(outcome.err() + outcome.out()).doesNotContain("\tat ").doesNotContainPattern("[a-z]\\.[A-Za-z]+Exception");
    }

    @Test
    void expectedFailuresAreOneLineWithTheirExitCode() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withApiKey("right-key"))) {
            String sandboxUrl = sandbox.baseUri().toString();
            Path job = job("errors");
            record Case(String name, Map<String, Object> properties, List<String> args, int exitCode, String says) {}
            List<Case> cases = List.of(
                    new Case("Bluejay refuses connections", Map.of("BLUEJAY_BASE_URL", "http://127.0.0.1:1", "BLUEJAY_API_KEY", "k"),
                            List.of("run", job.toString()), 1, "15 call(s) could not be sent"),
                    new Case("Bluejay's host does not resolve", Map.of("BLUEJAY_BASE_URL", "http://no-such-host.invalid", "BLUEJAY_API_KEY", "k"),
                            List.of("run", job.toString()), 1, "run the job again to send them"),
                    new Case("401: the API key refused", Map.of("BLUEJAY_BASE_URL", sandboxUrl, "BLUEJAY_API_KEY", "wrong"),
                            List.of("run", job.toString()), 1, "the API key was refused; check BLUEJAY_API_KEY"),
                    new Case("401 for end-conversations", Map.of("BLUEJAY_BASE_URL", sandboxUrl, "BLUEJAY_API_KEY", "wrong"),
                            List.of("end-conversations", "--ids=1"), 1, "the API key was refused"),
                    new Case("no such job", Map.of(), List.of("run", "no-such-job"), 2, "no job named 'no-such-job'"),
                    new Case("no such execution", Map.of(), List.of("report", "999"), 3, "no job execution 999"),
                    new Case("a setting out of range", Map.of("CALLEVAL_DB_OUTAGE_TOLERANCE", "-1s"), List.of("status"), 2,
                            "calleval.database.outage-tolerance must be between 0s and 24h"),
                    new Case("a setting of the wrong type", Map.of("CALLEVAL_DB_OUTAGE_TOLERANCE", "banana"), List.of("status"), 2,
                            "invalid setting calleval.database.outage-tolerance: 'banana' is not a valid duration"),
                    new Case("an injected setting of the wrong type", Map.of("calleval.webhook.allow-unsigned", "maybe"),
                            List.of("run", job.toString(), "--sandbox"), 2, "invalid setting calleval.webhook.allow-unsigned: Invalid boolean value 'maybe'"),
                    new Case("a setting its class refuses", Map.of("calleval.webhook.max-body-size", "0"),
                            List.of("run", job.toString(), "--sandbox"), 2, "calleval.webhook.max-body-size must be between"),
                    new Case("a misspelt key", Map.of("calleval.bluejay.base-ulr", sandboxUrl), List.of("status"), 2,
                            "unknown setting calleval.bluejay.base-ulr (default properties): did you mean calleval.bluejay.base-url?"),
                    new Case("a duration that cannot be read", Map.of("calleval.progress.interval", "banana"),
                            List.of("run", job.toString(), "--sandbox"), 2, "invalid setting calleval.progress.interval: 'banana' is not a valid duration"),
                    new Case("a duration out of its range", Map.of("calleval.progress.interval", "0s"), List.of("run", job.toString(), "--sandbox"), 2,
                            "calleval.progress.interval must be between 1ms and 24h (e.g. 30s or 1m), was 0s"),
                    // every settings record is checked at every start, also by commands that do not use it
                    new Case("a progress setting, for status", Map.of("calleval.progress.mode", "quiet"), List.of("status"), 2,
                            "invalid setting calleval.progress.mode = 'quiet': must be one of auto, terminal, log, off"),
                    new Case("a heartbeat timeout not longer than its interval, for validate", Map.of("calleval.heartbeat.timeout", "3s"),
                            List.of("validate", job.toString()), 2,
                            "calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were 3s and 5s"));
            for (Case c : cases) {
                List<String> args = new java.util.ArrayList<>(c.args());
                Outcome outcome = cli(c.properties(), args.toArray(String[]::new));
                assertOneLine(outcome, c.exitCode(), c.says());
            }
        }
    }

    @Test
    void aCommandBuildsOnlyItsOwnCollaborators() {
        // the previous webhook secret without the current one stops what receives webhooks, not a status that reads the ledger
        Outcome status = cli(Map.of("BLUEJAY_WEBHOOK_SECRET_PREVIOUS", "old-secret"), "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("Job executions");
        assertThat(status.err() + status.out()).doesNotContain("old-secret");
    }

    @Test
    void debugShowsTheStackTraceOfAnExpectedFailure() {
        Outcome quiet = cli(Map.of(), "run", "no-such-job");
        assertOneLine(quiet, 2, "no job named 'no-such-job'");

        Outcome debug = cli(Map.of(), "run", "no-such-job", "--debug");
        assertThat(debug.exitCode()).isEqualTo(2);
        assertThat(debug.lines()).hasSize(1);
        assertThat(debug.err()).contains("\tat ").contains("JobFileException");
    }

    @Test
    void asProcessesAnUnreachableBluejayAndABadSettingAreOneLineEach() throws Exception {
        Path job = job("process");
        Outcome unreachable = process(Map.of("BLUEJAY_BASE_URL", "http://127.0.0.1:1", "BLUEJAY_API_KEY", "k"), "run", job.toString());
        assertOneLine(unreachable, 1, "could not be sent");
        Outcome badSetting = process(Map.of("CALLEVAL_DB_OUTAGE_TOLERANCE", "25h"), "status");
        assertOneLine(badSetting, 2, "calleval.database.outage-tolerance must be between 0s and 24h, was 25h");
        Outcome misspelt = process(Map.of("CALLEVAL_PROGRESS_INTERVALL", "10s"), "status");
        assertOneLine(misspelt, 2, "unknown setting CALLEVAL_PROGRESS_INTERVALL (environment variable): did you mean CALLEVAL_PROGRESS_INTERVAL?");
        Outcome unreadable = process(Map.of("CALLEVAL_PROGRESS_INTERVAL", "banana"), "run", job.toString(), "--sandbox");
        assertOneLine(unreadable, 2, "invalid setting calleval.progress.interval: 'banana' is not a valid duration");
        Outcome heartbeat = process(Map.of("CALLEVAL_HEARTBEAT_TIMEOUT", "3s"), "status");
        assertOneLine(heartbeat, 2, "calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were 3s and 5s");
        Outcome kubernetes = process(Map.of("CALLEVAL_SERVICE_HOST", "10.0.0.1", "CALLEVAL_SERVICE_PORT_HTTP", "80",
                "CALLEVAL_PORT_80_TCP_ADDR", "10.0.0.1"), "status");
        assertThat(kubernetes.exitCode()).as("a pod beside a Service named calleval: " + kubernetes.err()).isZero();
        Outcome noDatabase = process(Map.of("CALLEVAL_DB_URL", "jdbc:postgresql://127.0.0.1:1/calleval"), "status");
        assertOneLine(noDatabase, 2, "cannot open the database jdbc:postgresql://127.0.0.1:1/calleval");
    }

    private Outcome process(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CallevalApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile());
        builder.environment().remove("CALLEVAL_DB_URL");
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Outcome(process.exitValue(), Files.readString(work.resolve("out.txt")), Files.readString(work.resolve("err.txt")));
    }
}
