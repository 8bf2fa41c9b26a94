package dev.calleval.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.CommandLine.Result;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation commands as a user runs them — {@code simulate-sms}, {@code end-conversations}, {@code status},
 * {@code run} of a simulate-sms job file — through the real command line, against the sandbox over loopback HTTP
 * (embedded with {@code --sandbox}, or standalone via {@code BLUEJAY_BASE_URL}), with H2.
 */
class SimulationCommandsFunctionalTests {
    @TempDir
    Path work;

    private String databaseUrl;

    @BeforeEach
    void freshDatabase() {
        databaseUrl = "jdbc:h2:mem:simulation-commands-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private Result run(Map<String, Object> properties, String... args) {
        return CommandLine.run(databaseUrl, properties, args);
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    private static Map<String, Object> against(SandboxServer sandbox) {
        return Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "test-key");
    }

    @Test
    void simulateSmsQueuesWaitsForTheWebhooksAndReportsPassAndFailPerResult() {
        Result result = run("simulate-sms", "--sandbox", "--simulation-id", "30425", "--wait-for", "1m", "--poll-interval", "30s");

        assertThat(result.exitCode()).as("digital human 457 is scripted to fail").isEqualTo(1);
        assertThat(result.out()).contains("simulation 30425: queued run 227413 with 2 result(s): 716977, 716978")
                .containsPattern("716977\\s+456\\s+COMPLETED\\s+PASS\\s+webhook")
                .containsPattern("716978\\s+457\\s+COMPLETED\\s+FAIL\\s+webhook")
                .contains("run 227413 (simulation 30425): COMPLETED — 1 passed, 1 failed, 2 result(s)");

        Result status = run("status");

        assertThat(status.exitCode()).isZero();
        assertThat(status.out())
                .containsPattern("simulation_ended\\s+2\\s+\\(applied 2\\)")
                .containsPattern("simulation_result_evaluated\\s+2\\s+\\(applied 2\\)")
                .containsPattern("run 227413\\s+simulation 30425\\s+COMPLETED\\s+2 result\\(s\\): COMPLETED 2; 1 passed, 1 failed");
    }

    @Test
    void aSimulateSmsJobFileRunsWithRunAndAnOutboundRunShowsItsWebhookInStatus() throws Exception {
        Path job = work.resolve("sms.yaml");
        Files.writeString(job, """
                name: sms
                simulate-sms:
                  runs:
                    - simulation-id: "30426"
                  wait-for: 1m
                  poll-interval: 30s
                """);

        Result result = run("run", job.toString(), "--sandbox");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("716977\\s+458\\s+COMPLETED\\s+PASS");
        Result status = run("status", "--run", "227413");
        assertThat(status.out()).contains("(outbound)").containsPattern("716977\\s+458\\s+COMPLETED\\s+PASS\\s+webhook");
        assertThat(run("status").out()).containsPattern("outbound_simulation_started\\s+1\\s+\\(applied 1\\)");
    }

    @Test
    void endConversationsSendsOnlyRunningResults() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withRecordBodies(true); // conversations never end by themselves
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            Result queued = run(against(sandbox), "simulate-sms", "--simulation-id", "30425");
            assertThat(queued.exitCode()).isZero();
            assertThat(queued.out()).contains("716977, 716978");

            Result first = run(against(sandbox), "end-conversations", "--ids", "716977,999999");

            assertThat(first.exitCode()).isZero();
            assertThat(first.out()).contains("sent 1 RUNNING result(s): [716977]").contains("ended_count: 1")
                    .contains("skipped 999999: unknown test result");
            assertThat(endConversationBodies(sandbox)).containsExactly("{\"test_result_ids\":[716977]}");

            Result second = run(against(sandbox), "end-conversations", "--ids", "716977,716978");

            assertThat(second.out()).contains("sent 1 RUNNING result(s): [716978]").contains("skipped 716977: status ");
            assertThat(endConversationBodies(sandbox)).containsExactly("{\"test_result_ids\":[716977]}", "{\"test_result_ids\":[716978]}");

            Result none = run(against(sandbox), "end-conversations", "--run", "227413");

            assertThat(none.exitCode()).isZero();
            assertThat(none.out()).contains("sent 0 RUNNING result(s): []");
            assertThat(endConversationBodies(sandbox)).as("nothing RUNNING: no request").hasSize(2);
        }
    }

    @Test
    void endConversationsOfARunSendsItsRunningResults() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true))) {
            run(against(sandbox), "simulate-sms", "--simulation-id", "30425");

            Result ended = run(against(sandbox), "end-conversations", "--run", "227413", "--older-than", "0s");

            assertThat(ended.exitCode()).isZero();
            assertThat(ended.out()).contains("sent 2 RUNNING result(s): [716977, 716978]").contains("ended_count: 2")
                    .contains("failed_ids: []");
            assertThat(endConversationBodies(sandbox)).containsExactly("{\"test_result_ids\":[716977,716978]}");
        }
    }

    @Test
    void aQueueRequestThatFailsAmbiguouslyIsInDoubtAndNotRetried() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withFaults(SandboxConfig.Faults.none()
                .withAcceptThenFailRate(1.0).withEndpoints(SandboxEndpoint.QUEUE_SMS_SIMULATION_RUN));
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            Result result = run(against(sandbox), "simulate-sms", "--simulation-id", "30425");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("simulation 30425: IN_DOUBT").contains("504").contains("not retried");
            assertThat(sandbox.stats().endpoint(SandboxEndpoint.QUEUE_SMS_SIMULATION_RUN).requests()).as("sent once").isEqualTo(1);
            assertThat(sandbox.stats().acceptedThenFailed()).as("the run was queued at Bluejay").isEqualTo(1);
            assertThat(run("status").out()).contains("Simulation queue requests in doubt").contains("simulation 30425 at");
        }
    }

    private static List<String> endConversationBodies(SandboxServer sandbox) {
        return sandbox.requests().stream().filter(r -> r.endpoint() == SandboxEndpoint.END_CONVERSATIONS)
                .map(LoggedRequest::body).toList();
    }
}
