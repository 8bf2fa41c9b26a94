package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
