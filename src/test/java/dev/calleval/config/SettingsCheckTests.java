package dev.calleval.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuration is strict: a {@code calleval.*} key no settings record has stops the start, named with where it was set
 * and the key meant; names of the tools around calleval ({@code CALLEVAL_TEST_POSTGRES_URL}, {@code calleval.openapi})
 * and the documented variables pass.
 */
class SettingsCheckTests {
    private static final Set<String> KEYS = Set.of("calleval.jobs-dir", "calleval.log-format", "calleval.bluejay.base-url",
            "calleval.bluejay.api-key", "calleval.progress.interval", "calleval.progress.mode", "calleval.s3.path-style",
            "calleval.s3.secret-access-key", "calleval.webhook.allow-unsigned", "calleval.health.bluejay.cache", "calleval.database.outage-tolerance");

    private static StandardEnvironment environment(Map<String, Object> properties, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new MapPropertySource("systemProperties", properties));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("systemEnvironment", variables));
        return environment;
    }

    @Test
    void refusesAMisspeltKeyNamingItWhereItWasSetAndTheKeyMeant() {
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.bluejay.base-ulr", "http://x"), Map.of()), KEYS))
                .isInstanceOf(UnknownSettingException.class)
                .hasMessage("unknown setting calleval.bluejay.base-ulr (system property): did you mean calleval.bluejay.base-url? Fix or remove "
                        + "it: calleval accepts only its own calleval.* keys (docs/operations.md, \"Environment\")");
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.bluejy.base-url", "http://x"), Map.of()), KEYS))
                .hasMessageContaining("did you mean calleval.bluejay.base-url?");
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.jobs-dirr", "x"), Map.of()), KEYS))
                .hasMessageContaining("did you mean calleval.jobs-dir?");
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.progress.colour", "x"), Map.of()), KEYS))
                .hasMessageStartingWith("unknown setting calleval.progress.colour (system property)");
    }

    @Test
    void refusesAMisspeltVariableOfACallevalGroup() {
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of(), Map.of("CALLEVAL_PROGRESS_INTERVALL", "10s")), KEYS))
                .hasMessageStartingWith("unknown setting CALLEVAL_PROGRESS_INTERVALL (environment variable): did you mean CALLEVAL_PROGRESS_INTERVAL?");
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of(), Map.of("CALLEVAL_BLUEJAY_TIMEOUT", "10s")), KEYS))
                .hasMessageStartingWith("unknown setting CALLEVAL_BLUEJAY_TIMEOUT (environment variable)");
    }

    @Test
    void acceptsKnownKeysTheirRelaxedFormsTheDocumentedVariablesAndOthersNames() {
        Map<String, Object> properties = Map.of("calleval.bluejay.baseUrl", "http://x", "calleval.progress.interval", "1s",
                "calleval.openapi", "/x.json", "calleval.cli.enabled", "false", "calleval.jar", "x.jar", "calleval.database", "");
        Map<String, Object> variables = Map.of("CALLEVAL_PROGRESS_INTERVAL", "1s", "CALLEVAL_S3_PATH_STYLE", "true",
                "CALLEVAL_S3_PATHSTYLE", "true", "CALLEVAL_S3_SECRET_ACCESS_KEY_FILE", "/run/secrets/s3", "CALLEVAL_DB_URL", "jdbc:h2:mem:x",
                "CALLEVAL_DB_PASSWORD_FILE", "/run/secrets/db", "CALLEVAL_API_TOKEN", "t", "CALLEVAL_TEST_POSTGRES_URL", "jdbc:postgresql://x",
                "CALLEVAL_PG_PORT", "55432", "CALLEVAL_DB_OUTAGE_TOLERANCE", "1m");
        assertThatNoException().isThrownBy(() -> SettingsCheck.check(environment(properties, variables), KEYS));
    }

    @Test
    void leavesAloneTheVariablesKubernetesGivesAPodForAServiceNamedCallevalAndTheTestTools() {
        Map<String, Object> variables = Map.ofEntries(Map.entry("CALLEVAL_SERVICE_HOST", "10.0.0.1"), Map.entry("CALLEVAL_SERVICE_PORT", "80"),
                Map.entry("CALLEVAL_SERVICE_PORT_HTTP", "80"), Map.entry("CALLEVAL_PORT", "tcp://10.0.0.1:80"),
                Map.entry("CALLEVAL_PORT_80_TCP", "tcp://10.0.0.1:80"), Map.entry("CALLEVAL_PORT_80_TCP_ADDR", "10.0.0.1"),
                Map.entry("CALLEVAL_PORT_80_TCP_PORT", "80"), Map.entry("CALLEVAL_PORT_80_TCP_PROTO", "tcp"),
                Map.entry("CALLEVAL_PG_USER", "calleval"), Map.entry("CALLEVAL_PG_PASSWORD", "calleval"), Map.entry("CALLEVAL_PG_DIR", "/tmp/pg"),
                Map.entry("CALLEVAL_TEST_POSTGRES_PASSWORD", "calleval"));
        assertThatNoException().isThrownBy(() -> SettingsCheck.check(environment(Map.of(), variables), KEYS));
        // still refused: a misspelling inside one of calleval's groups
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of(), Map.of("CALLEVAL_PROGRES_MODE", "log")), KEYS))
                .isInstanceOf(UnknownSettingException.class);
    }

    @Test
    void theKeysAreTheRecordsComponentsDashedUnderTheirPrefix() {
        Set<String> keys = new TreeSet<>();
        SettingsCheck.addKeys(keys, "calleval", CallevalSettings.class);
        assertThat(keys).containsExactly("calleval.jobs-dir");
    }

    @Test
    void callevalSettingsBindTheJobsDirectory() {
        assertThat(Settings.bind(CallevalSettings.class).get().jobsDir()).isEqualTo(Path.of("jobs"));
        assertThat(Settings.bind(CallevalSettings.class, "calleval.jobs-dir=/etc/calleval/jobs").get().jobsDir()).isEqualTo(Path.of("/etc/calleval/jobs"));
        assertThat(Settings.bind(CallevalSettings.class, "calleval.jobs-dirr=/etc/calleval/jobs").failure())
                .startsWith("unknown setting calleval.jobs-dirr (").contains("did you mean calleval.jobs-dir?");
    }
}
