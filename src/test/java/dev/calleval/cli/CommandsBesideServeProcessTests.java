package dev.calleval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalProcess;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar's commands as cron runs them on a host where {@code serve} holds the configured port ({@code SERVER_PORT}):
 * {@code --version} and {@code --help} answer without starting the application (they work with a database that cannot
 * be reached), {@code status} and a {@code run} that does not wait for results open no port; a {@code run} that waits
 * (here {@code --sandbox}) needs the port and says so in one line. Logs go to stderr (JSON lines with
 * {@code CALLEVAL_LOG_FORMAT=json}), results to stdout. See {@code CommandsBesideServeTests} for the other commands.
 */
class CommandsBesideServeProcessTests {
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private static final String UNREACHABLE_DB = "jdbc:postgresql://127.0.0.1:1/calleval";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private ServerSocket serve;
    private Map<String, String> env;

    @BeforeEach
    void holdThePort() throws Exception {
        serve = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // as serve holds it
        env = new HashMap<>(Map.of("SERVER_PORT", Integer.toString(serve.getLocalPort()), "SERVER_ADDRESS", "127.0.0.1",
                "CALLEVAL_DB_URL", "jdbc:h2:file:" + work.resolve("data/calleval")));
        Files.createDirectories(work.resolve("jobs"));
        Files.writeString(work.resolve("jobs/nightly.yaml"), """
                name: nightly
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                report:
                  directory: %s
                """.formatted(Path.of("sample-data/manifests/calls.csv").toAbsolutePath(), work.resolve("reports")));
    }

    @AfterEach
    void releaseThePort() throws Exception {
        serve.close();
    }

    @Test
    void versionAndHelpAnswerWithoutStartingTheApplication() throws Exception {
        env.put("CALLEVAL_DB_URL", UNREACHABLE_DB); // a command that started Spring would fail on it (exit 2)

        CallevalProcess.Result version = CallevalProcess.run(work, "version", env, COMMAND, "--version");
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("calleval ");
        assertThat(version.err()).isEmpty();
        System.out.printf("--version: %d ms%n", version.elapsed().toMillis());

        CallevalProcess.Result help = CallevalProcess.run(work, "help", env, COMMAND, "run", "--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: calleval run ").contains("--wait-for-results").contains("--fail-on-rejects");
        System.out.printf("run --help: %d ms%n", help.elapsed().toMillis());

        CallevalProcess.Result usage = CallevalProcess.run(work, "usage", env, COMMAND, "run");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).startsWith("Missing required parameter: 'JOB'");
        assertThat(usage.out()).isEmpty();
    }

    @Test
    void statusAndARunThatDoesNotWaitWorkWhileServeHoldsThePort() throws Exception {
        String apiKey = "bj-process-beside-serve-5d2a";
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(apiKey).withoutWebhook())) {
            env.putAll(Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", apiKey, "CALLEVAL_LOG_FORMAT", "json"));

            CallevalProcess.Result run = CallevalProcess.run(work, "run", env, COMMAND, "run", "nightly", "--wait-for-results", "0");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("nightly — execution 1 — COMPLETED").contains("submitted by this run            15")
                    .doesNotContain("{").doesNotContain("INFO");
            assertThat(run.err().lines()).as("stderr: JSON log lines only").isNotEmpty().allSatisfy(line -> {
                try {
                    assertThat(JSON.readTree(line).path("log").path("level").isString()).as(line).isTrue();
                } catch (JacksonException e) {
                    throw new AssertionError("not a JSON log line: " + line, e);
                }
            });
            assertThat(run.err()).doesNotContain(apiKey);
            assertThat(sandbox.stats().evaluateAccepted()).isEqualTo(15);

            CallevalProcess.Result status = CallevalProcess.run(work, "status", env, COMMAND, "status");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("nightly").contains("15 waiting for a result");
            System.out.printf("status: %d ms%n", status.elapsed().toMillis());

            // the control: a run that waits for webhooks needs the port, and says so in one line
            CallevalProcess.Result waiting = CallevalProcess.run(work, "waiting", env, COMMAND, "run", "nightly", "--sandbox");
            assertThat(waiting.exitCode()).isEqualTo(2);
            assertThat(waiting.err().strip()).isEqualTo("calleval: port " + serve.getLocalPort()
                    + " is already in use: stop the process that holds it, or set SERVER_PORT to another port");
        }
    }
}
