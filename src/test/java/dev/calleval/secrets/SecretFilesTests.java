package dev.calleval.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.CommandLine;
import dev.calleval.cli.StartupFailures;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** Secrets from files: {@code NAME_FILE} makes the file's content the value of {@code NAME}. */
class SecretFilesTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();

    @TempDir
    Path work;

    private static ConfigurableEnvironment environment(Map<String, Object> properties) {
        MockEnvironment environment = new MockEnvironment();
        properties.forEach((k, v) -> environment.setProperty(k, v.toString()));
        new SecretFilesEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void readsTheFileWithoutItsTrailingLineBreak() throws Exception {
        Path key = Files.writeString(work.resolve("key"), "bj-live-1234\n");
        Path crlf = Files.writeString(work.resolve("token"), "tok en\r\n");
        Path inner = Files.writeString(work.resolve("password"), "line1\nline2\n\n");

        ConfigurableEnvironment environment = environment(Map.of("BLUEJAY_API_KEY_FILE", key, "CALLEVAL_API_TOKEN_FILE", crlf,
                "CALLEVAL_DB_PASSWORD_FILE", inner));

        assertThat(environment.getProperty("BLUEJAY_API_KEY")).isEqualTo("bj-live-1234");
        assertThat(environment.getProperty("CALLEVAL_API_TOKEN")).isEqualTo("tok en");
        assertThatThrownBy(() -> environment.getProperty("CALLEVAL_DB_PASSWORD")).as("only one line break is stripped: a second line is refused")
                .isInstanceOf(SecretFileException.class).hasMessage("CALLEVAL_DB_PASSWORD_FILE " + inner + " holds more than one line: write the secret alone on one line");
        assertThat(environment.getPropertySources().get(SecretFilesEnvironmentPostProcessor.SOURCE).toString())
                .doesNotContain("bj-live-1234").contains("BLUEJAY_API_KEY");
    }

    @Test
    void bothTheVariableAndItsFileIsAnErrorNamingBoth() throws Exception {
        Path key = Files.writeString(work.resolve("key"), "from-file");
        ConfigurableEnvironment environment = environment(Map.of("BLUEJAY_API_KEY", "from-env", "BLUEJAY_API_KEY_FILE", key));

        assertThatThrownBy(() -> environment.getProperty("BLUEJAY_API_KEY")).isInstanceOf(SecretFileException.class)
                .hasMessage("BLUEJAY_API_KEY and BLUEJAY_API_KEY_FILE are both set: keep one (BLUEJAY_API_KEY_FILE names the file that holds the secret)");
    }

    @Test
    void anUnreadableOrEmptyFileIsNamedWithItsVariable() throws Exception {
        Path missing = work.resolve("no-such-secret");
        Path empty = Files.writeString(work.resolve("empty"), "\n");
        ConfigurableEnvironment environment = environment(Map.of("BLUEJAY_WEBHOOK_SECRET_FILE", missing, "CALLEVAL_DB_PASSWORD_FILE", empty));

        assertThatThrownBy(() -> environment.getProperty("BLUEJAY_WEBHOOK_SECRET")).isInstanceOf(SecretFileException.class)
                .hasMessage("cannot read BLUEJAY_WEBHOOK_SECRET_FILE " + missing + " (no such file): mount the secret there or fix BLUEJAY_WEBHOOK_SECRET_FILE");
        assertThatThrownBy(() -> environment.getProperty("CALLEVAL_DB_PASSWORD")).hasMessage("CALLEVAL_DB_PASSWORD_FILE " + empty + " is empty: write the secret into it");
    }

    @Test
    void aCommandWithAnUnreadableSecretFileFailsToStartInOneLine() {
        Path missing = work.resolve("gone");
        SpringApplication app = dev.calleval.CallevalApplication.application("status");
        app.setDefaultProperties(Map.of("CALLEVAL_DB_URL", "jdbc:h2:mem:secrets-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "CALLEVAL_API_TOKEN_FILE", missing.toString()));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> SpringApplication.exit(app.run("status")));

        assertThat(StartupFailures.describe(failure, "jdbc:h2:mem:x"))
                .isEqualTo("cannot read CALLEVAL_API_TOKEN_FILE " + missing + " (no such file): mount the secret there or fix CALLEVAL_API_TOKEN_FILE");
    }

    @Test
    void anApiKeyFromAFileIsTheOneSentToBluejay() throws Exception {
        Path job = Files.writeString(work.resolve("keyfile.yaml"), """
                name: keyfile
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(SAMPLE_DATA.resolve("manifests").resolve("calls.csv"), work.resolve("reports")));
        Path key = Files.writeString(work.resolve("api-key"), "bj-from-file-77\n");
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("bj-from-file-77").withoutWebhook())) {
            CommandLine.Result run = CommandLine.run("jdbc:h2:mem:keyfile-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY_FILE", key.toString()),
                    "run", job.toString(), "--wait-for-results", "0");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(sandbox.stats().evaluateAccepted()).as("the sandbox refuses any other key with 401").isEqualTo(15);
        }
    }
}
