package dev.calleval.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconcile} as cron runs it when Bluejay's webhooks cannot reach calleval: {@code run JOB} submits without
 * waiting, then {@code reconcile} polls retrieve-call-log for the calls still without a result — through the real
 * command line, against the sandbox over loopback (which sends no webhook here).
 */
class ReconcileCommandFunctionalTests {
    @TempDir
    Path work;

    @Test
    void reconcileAfterARunWithoutWaitingPollsTheCallsToTheirResults() throws Exception {
        Path job = work.resolve("nightly.yaml");
        Files.writeString(job, """
                name: nightly
                source:
                  location: %s
                submit:
                  rate-limit: 50
                results:
                  poll-after: 1h
                report:
                  directory: %s
                """.formatted(Path.of("sample-data/manifests/calls.csv").toAbsolutePath(), work.resolve("reports")));
        String db = "jdbc:h2:mem:reconcile-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("right-key").withoutWebhook())) {
            Map<String, Object> api = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "right-key");
            String endpoint = sandbox.baseUri().toString().replaceAll("/+$", "");

            assertThat(CommandLine.run(db, api, "run", job.toString()).exitCode()).isZero();
            // no API key needed for the inbox alone; nothing is in it
            CommandLine.Result inboxOnly = CommandLine.run(db, Map.of(), "reconcile", job.toString(), "--inbox-only");
            assertThat(inboxOnly.exitCode()).isZero();
            assertThat(inboxOnly.out()).contains("reconcile (job nightly): 0 result(s) from the webhook inbox; no polling (--inbox-only)")
                    .contains("calls of nightly to " + endpoint + ": 0 evaluated, 0 incomplete, 15 waiting for a result");

            // a refused key: polling stops at the first refusal, the calls stay waiting, exit 1
            CommandLine.Result refused = CommandLine.run(db, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "wrong"),
                    "reconcile", job.toString(), "--poll-after", "0s");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("polling stopped: GET /v1/retrieve-call-log answered HTTP 401: the API key was refused");
            assertThat(refused.out()).contains("1 call(s) polled after 0s, 0 result(s) found, 1 poll(s) failed")
                    .contains("calls of nightly to " + endpoint + ": 0 evaluated, 0 incomplete, 15 waiting for a result");

            CommandLine.Result polled = CommandLine.run(db, api, "reconcile", "--poll-after", "0s");
            assertThat(polled.exitCode()).isZero();
            assertThat(polled.out()).contains("reconcile (all jobs): 0 result(s) from the webhook inbox; 15 call(s) polled after 0s, 15 result(s) found, 0 poll(s) failed")
                    .contains("calls to " + endpoint + ": 15 evaluated, 0 incomplete, 0 waiting for a result");
            assertThat(sandbox.requests().stream().filter(r -> r.path().startsWith("/v1/retrieve-call-log/")).count()).isEqualTo(1 + 15);
        }
    }
}
