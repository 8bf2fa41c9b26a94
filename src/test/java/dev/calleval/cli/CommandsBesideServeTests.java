package dev.calleval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalApplication;
import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;

/**
 * Every command a cron job runs works while another process ({@code serve}) holds the configured {@code SERVER_PORT}:
 * only a command that waits for webhooks starts the web server. Through the real command line, in this JVM, against
 * the sandbox over loopback (no webhooks: results come by polling, as beside a serve whose receiver takes them). The
 * jar itself is tested the same way by {@code CommandsBesideServeProcessTests}.
 */
class CommandsBesideServeTests {
    private static final String API_KEY = "bj-beside-serve-7e0c";

    @TempDir
    Path work;

    private Path job(String name, String manifest) throws Exception {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(name, Path.of("sample-data/manifests", manifest).toAbsolutePath(), work.resolve("reports")));
        return file;
    }

    @Test
    void everyCommandThatDoesNotWaitForWebhooksRunsWhileThePortIsTaken() throws Exception {
        String db = "jdbc:h2:mem:beside-serve-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String nightly = job("nightly", "calls.csv").toString();
        try (ServerSocket serve = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withoutWebhook())) {
            Map<String, Object> env = new HashMap<>(Map.of("SERVER_PORT", serve.getLocalPort(), "server.address", "127.0.0.1",
                    "BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", API_KEY));

            CommandLine.Result help = CommandLine.run(db, env, "run", "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).startsWith("Usage: calleval run ");

            CommandLine.Result validate = CommandLine.run(db, env, "validate", nightly);
            assertThat(validate.exitCode()).as(validate.err()).isZero();
            assertThat(validate.out()).contains("15 row(s), 15 valid, 0 invalid");

            CommandLine.Result run = CommandLine.run(db, env, "run", nightly, "--wait-for-results", "0");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("nightly — execution 1 — COMPLETED").contains("waiting for result             15");

            CommandLine.Result status = CommandLine.run(db, env, "status");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("15 waiting for a result");

            CommandLine.Result reconcile = CommandLine.run(db, env, "reconcile", "--poll-after", "0s");
            assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();
            assertThat(reconcile.out()).contains("15 result(s) found").contains(": 15 evaluated");

            // docs/deployment.md: a run that waits beside serve without a port of its own (SERVER_PORT=-1) needs no
            // webhook secret (nothing to verify: serve receives the webhooks), and polls what serve has not matched
            Map<String, Object> noPort = new HashMap<>(env);
            noPort.put("SERVER_PORT", "-1");
            noPort.put("calleval.webhook.allow-unsigned", "false");
            CommandLine.Result waiting = CommandLine.run(db, noPort, "run", job("waiting", "calls.csv").toString(), "--wait-for-results", "1s");
            assertThat(waiting.exitCode()).as(waiting.err()).isZero();
            assertThat(waiting.err()).doesNotContain("no webhook signing secret");

            CommandLine.Result report = CommandLine.run(db, env, "report", "--job", "nightly");
            assertThat(report.exitCode()).as(report.err()).isZero();
            assertThat(report.out()).startsWith("{").contains("\"evaluated\" : 15");
        }
    }

    @Test
    void failOnRejectsMakesACompletedRunWithRejectedRowsExitOne() throws Exception {
        String db = "jdbc:h2:mem:fail-on-rejects-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String errors = job("errors", "calls-with-errors.csv").toString();
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withoutWebhook())) {
            Map<String, Object> api = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", API_KEY);

            CommandLine.Result strict = CommandLine.run(db, api, "run", errors, "--fail-on-rejects");
            assertThat(strict.exitCode()).isEqualTo(1);
            assertThat(strict.out()).contains("errors — execution 1 — COMPLETED").contains("rejected                       10");
            assertThat(strict.err()).contains("calleval: errors: 10 row(s) rejected (listed in " + work.resolve("reports")
                    + "/errors/1/rejects.csv): exit 1 (--fail-on-rejects)");

            CommandLine.Result lenient = CommandLine.run(db, api, "run", errors);
            assertThat(lenient.exitCode()).as("rejected rows are reported, not a failure, by default").isZero();
            assertThat(lenient.out()).contains("rejected                       10");
        }
    }

    @Test
    void onlyCommandsThatWaitForWebhooksGetAWebServer() {
        assertThat(webType("serve")).isEqualTo(WebApplicationType.SERVLET);
        assertThat(webType("run", "nightly", "--sandbox")).isEqualTo(WebApplicationType.SERVLET);
        assertThat(webType("run", "nightly", "--wait-for-results", "2m")).isEqualTo(WebApplicationType.SERVLET);
        assertThat(webType("drop-folder", "poll-once", "inbox", "--wait-for-results", "1m")).isEqualTo(WebApplicationType.SERVLET);
        assertThat(webType("enrich", "logs", "--sandbox")).isEqualTo(WebApplicationType.SERVLET);

        assertThat(webType("run", "nightly")).isEqualTo(WebApplicationType.NONE);
        assertThat(webType("run", "nightly", "--wait-for-results", "0")).isEqualTo(WebApplicationType.NONE);
        assertThat(webType("drop-folder", "poll-once", "inbox")).isEqualTo(WebApplicationType.NONE);
        assertThat(webType("enrich", "logs")).isEqualTo(WebApplicationType.NONE);
        for (String command : new String[] {"status", "validate", "report", "reconcile", "sandbox"}) {
            assertThat(webType(command)).as(command).isEqualTo(WebApplicationType.NONE);
        }
        assertThat(webType("run", "--no-such-option")).as("unparseable: picocli reports it, no server").isEqualTo(WebApplicationType.NONE);
    }

    private static WebApplicationType webType(String... args) {
        return CallevalApplication.application(args).getWebApplicationType();
    }
}
