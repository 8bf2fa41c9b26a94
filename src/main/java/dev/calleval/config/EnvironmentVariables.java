package dev.calleval.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.PropertySource;

/**
 * The documented environment variables whose names are not the relaxed form of their key ({@code BLUEJAY_BASE_URL}
 * sets {@code calleval.bluejay.base-url}; {@code CALLEVAL_PROGRESS_INTERVAL} needs no entry, Spring Boot maps it to
 * {@code calleval.progress.interval} by itself). Each is looked up like any property, so it may also come from a system
 * property, the default properties or a secret file ({@code BLUEJAY_API_KEY_FILE}, see {@code dev.calleval.secrets}).
 *
 * <p>The variables sit just above the default properties: a key set explicitly anywhere else (a system property, an
 * {@code application.yaml} beside the jar, the relaxed environment form) wins over its variable, as it did when
 * {@code application.yaml} held {@code ${BLUEJAY_BASE_URL:...}} placeholders; an unset variable answers nothing, so the
 * key falls to the record's {@code @DefaultValue}: every default is written there, once.
 */
class EnvironmentVariables implements EnvironmentPostProcessor {
    /** The name of the property source. */
    static final String SOURCE = "calleval-environment-variables";

    /** Key → the variable that sets it. */
    static final Map<String, String> VARIABLES;

    static {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("calleval.bluejay.base-url", "BLUEJAY_BASE_URL");
        variables.put("calleval.bluejay.api-key", "BLUEJAY_API_KEY");
        variables.put("calleval.webhook.secret", "BLUEJAY_WEBHOOK_SECRET");
        variables.put("calleval.webhook.previous-secret", "BLUEJAY_WEBHOOK_SECRET_PREVIOUS");
        variables.put("calleval.serve.api-token", "CALLEVAL_API_TOKEN");
        variables.put("calleval.database.outage-tolerance", "CALLEVAL_DB_OUTAGE_TOLERANCE");
        variables.put("calleval.s3.region", "AWS_REGION");
        variables.put("calleval.s3.endpoint", "CALLEVAL_S3_ENDPOINT");
        variables.put("calleval.s3.path-style", "CALLEVAL_S3_PATH_STYLE");
        variables.put("calleval.s3.presign-ttl", "CALLEVAL_S3_PRESIGN_TTL");
        variables.put("calleval.s3.access-key-id", "CALLEVAL_S3_ACCESS_KEY_ID");
        variables.put("calleval.s3.secret-access-key", "CALLEVAL_S3_SECRET_ACCESS_KEY");
        variables.put("calleval.alerts.url", "CALLEVAL_ALERTS_URL");
        VARIABLES = Map.copyOf(variables);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Variables variables = new Variables(environment);
        if (environment.getPropertySources().contains("defaultProperties")) {
            environment.getPropertySources().addBefore("defaultProperties", variables);
        } else {
            environment.getPropertySources().addLast(variables);
        }
    }

    /** The variable of {@code key}, or null when the key has none of its own. */
    static @Nullable String variableOf(String key) {
        return VARIABLES.get(key);
    }

    /**
     * Answers a key with its variable's value, looked up in the whole environment when asked (so secret files read
     * later, and the default properties, count). Not enumerable: it holds no name of its own.
     */
    private static final class Variables extends PropertySource<Map<String, String>> {
        /** Not the source object: Spring Boot descends into a source that is an environment, and this one is inside it. */
        private final PropertyResolver environment;

        Variables(PropertyResolver environment) {
            super(SOURCE, VARIABLES);
            this.environment = environment;
        }

        @Override
        public @Nullable Object getProperty(String name) {
            String variable = VARIABLES.get(name);
            return variable == null ? null : environment.getProperty(variable);
        }

        @Override
        public String toString() {
            return "EnvironmentVariables " + VARIABLES.values(); // names only: some values are secrets
        }
    }
}
