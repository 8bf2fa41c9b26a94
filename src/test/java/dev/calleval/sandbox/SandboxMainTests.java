package dev.calleval.sandbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxMainTests {

    @Test
    void parsesEveryFlagAndReadsSecretsFromTheEnvironment() {
        Map<String, String> env = Map.of("HOOK_SECRET", "s3cret", "SANDBOX_KEY", "k");

        SandboxConfig config = SandboxMain.parse(new String[] {
                "--port", "8099", "--latency-ms", "40", "--evaluation-delay-ms", "10",
                "--webhook-url", "http://127.0.0.1:8080/webhooks/bluejay", "--webhook-secret-env", "HOOK_SECRET",
                "--api-key-env", "SANDBOX_KEY", "--rate-limit", "10", "--error-rate", "0.05", "--retry-after", "3"},
                env::get);

        assertThat(config.port()).isEqualTo(8099);
        assertThat(config.latency()).isEqualTo(Duration.ofMillis(40));
        assertThat(config.evaluationDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.webhookUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/webhooks/bluejay"));
        assertThat(config.webhookSecret()).isEqualTo("s3cret");
        assertThat(config.apiKey()).isEqualTo("k");
        assertThat(config.faults().rateLimitPerSecond()).isEqualTo(10);
        assertThat(config.faults().serverErrorRate()).isEqualTo(0.05);
        assertThat(config.faults().retryAfterSeconds()).isEqualTo(3);
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void parsesTheSimulationAndFaultFlags(@TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("simulations.json");
        Files.writeString(catalog, """
                {"700": {"agent_id": 9, "outbound": true, "digital_humans": [
                  {"id": 1, "name": "Ann", "phone_number": "+15550000001", "goal_success": false,
                   "custom_metrics": [{"name": "Polite", "description": "Was the agent polite?",
                                       "response_type": "pass_fail", "response_value": "pass"}]},
                  {"id": 2, "name": "Bob", "phone_number": "+15550000002"}]}}
                """);

        SandboxConfig config = SandboxMain.parse(new String[] {
                "--conversation-duration-ms", "250", "--simulations", catalog.toString(), "--record-bodies", "true",
                "--accept-then-fail-rate", "0.1", "--accept-then-reset-rate", "0.2", "--reset-rate", "0.3",
                "--scripted-statuses", "429,0", "--webhook-drop-rate", "0.4", "--webhook-duplicate-rate", "0.5",
                "--webhook-jitter-ms", "60", "--webhook-reorder-window-ms", "70", "--seed", "5",
                "--fault-endpoints", "evaluate, update-simulation-result"}, name -> null);

        assertThat(config.conversationDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.recordBodies()).isTrue();
        assertThat(config.simulations()).containsOnlyKeys("700");
        SimulationSpec simulation = config.simulations().get("700");
        assertThat(simulation.agentId()).isEqualTo(9);
        assertThat(simulation.outbound()).isTrue();
        assertThat(simulation.digitalHumans()).extracting(DigitalHumanSpec::goalSuccess).containsExactly(false, null);
        assertThat(simulation.digitalHumans().get(0).customMetrics()).singleElement()
                .satisfies(metric -> assertThat(metric.responseValue()).isEqualTo("pass"));
        SandboxConfig.Faults faults = config.faults();
        assertThat(faults.acceptThenFailRate()).isEqualTo(0.1);
        assertThat(faults.acceptThenResetRate()).isEqualTo(0.2);
        assertThat(faults.connectionResetRate()).isEqualTo(0.3);
        assertThat(faults.scriptedStatuses()).containsExactly(429, 0);
        assertThat(faults.webhookDropRate()).isEqualTo(0.4);
        assertThat(faults.webhookDuplicateRate()).isEqualTo(0.5);
        assertThat(faults.webhookJitter()).isEqualTo(Duration.ofMillis(60));
        assertThat(faults.webhookReorderWindow()).isEqualTo(Duration.ofMillis(70));
        assertThat(faults.seed()).isEqualTo(5);
        assertThat(faults.endpoints()).containsExactlyInAnyOrder(
                SandboxEndpoint.EVALUATE, SandboxEndpoint.UPDATE_SIMULATION_RESULT);
    }

    @Test
    void helpListsEveryFlagTheParserKnows() {
        String usage = SandboxMain.usage();

        for (String flag : List.of("--port", "--latency-ms", "--evaluation-delay-ms", "--conversation-duration-ms",
                "--simulations", "--record-bodies", "--webhook-url", "--webhook-secret-env", "--api-key-env",
                "--fault-endpoints", "--rate-limit", "--error-rate", "--reset-rate", "--scripted-statuses",
                "--retry-after", "--accept-then-fail-rate", "--accept-then-reset-rate", "--webhook-drop-rate",
                "--webhook-duplicate-rate", "--webhook-jitter-ms", "--webhook-reorder-window-ms", "--seed")) {
            assertThat(usage).contains(flag + " ");
            assertThatCode(() -> SandboxMain.parse(new String[] {flag, "x"}, name -> "v"))
                    .as(flag + " is a known flag").satisfiesAnyOf(
                            thrown -> assertThat(thrown).isNull(),
                            thrown -> assertThat(thrown).hasMessageNotContaining("unknown flag"));
        }
        assertThat(usage).contains("--help");
    }

    @Test
    void rejectsMalformedCatalogsAndEndpointNames() {
        assertThatThrownBy(() -> SandboxMain.parseCatalog("{\"abc\": {\"agent_id\": 1, \"digital_humans\": [{\"id\": 1,"
                + " \"name\": \"A\", \"phone_number\": \"+1\"}]}}", "cat.json"))
                .hasMessageContaining("simulation ids must be positive decimal integers");
        assertThatThrownBy(() -> SandboxMain.parseCatalog("{\"5\": {\"agent_id\": 1}}", "cat.json"))
                .hasMessageContaining("cat.json, simulation 5").hasMessageContaining("digital_humans is required");
        assertThatThrownBy(() -> SandboxMain.parseCatalog("[", "cat.json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--fault-endpoints", "evaluate,nope"}, n -> null))
                .hasMessageContaining("unknown endpoint 'nope'");
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--record-bodies", "yes"}, n -> null))
                .hasMessageContaining("true or false");
    }

    @Test
    void rejectsUnknownFlagsMissingValuesAndUnsetVariables() {
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--colour", "blue"}, name -> null))
                .hasMessageContaining("--colour");
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port"}, name -> null))
                .hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port", "x"}, name -> null))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> SandboxMain.parse(
                new String[] {"--webhook-url", "http://127.0.0.1:1/", "--webhook-secret-env", "NOPE"}, name -> null))
                .hasMessageContaining("NOPE");
    }

    @Test
    void helpListsEveryFlagOfThePicocliModel() {
        String usage = SandboxMain.usage();

        assertThat(SandboxFlags.commandSpec().options()).hasSizeGreaterThan(20)
                .allSatisfy(option -> assertThat(usage).contains(option.longestName() + " "));
    }

    @Test
    void takesNegativeStatusesAsValuesAndTheLastOfARepeatedFlag() {
        SandboxConfig config = SandboxMain.parse(new String[] {
                "--scripted-statuses", "-1,429", "--port", "1", "--port", "2"}, name -> null);

        assertThat(config.faults().scriptedStatuses()).containsExactly(-1, 429);
        assertThat(config.port()).isEqualTo(2);
        assertThat(SandboxMain.parse(new String[] {"--scripted-statuses", "-504"}, name -> null)
                .faults().scriptedStatuses()).containsExactly(-504);
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--scripted-statuses", "-h1"}, name -> null))
                .as("the word after a flag is its value, even one that looks like a flag")
                .hasMessage("--scripted-statuses needs an integer, got '-h1'");
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port", "--seed"}, name -> null))
                .hasMessage("--port needs an integer, got '--seed'");
    }

    @Test
    void aBareWordIsAnUnknownFlag() {
        assertThatThrownBy(() -> SandboxMain.parse(new String[] {"--port", "1", "extra"}, name -> null))
                .hasMessage("unknown flag extra");
    }
}
