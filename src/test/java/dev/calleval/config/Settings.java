package dev.calleval.config;

import dev.calleval.CallevalApplication;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Binds calleval's settings records as the application does — every record of {@code dev.calleval} scanned,
 * {@code @Validated} with Bean Validation, the documented variables mapped ({@link EnvironmentVariables}), unknown keys
 * refused ({@link SettingsCheck}) — from the given properties only, for the settings records' tests.
 */
public final class Settings {
    private Settings() {}

    /** What one binding gave: the record, or the one line an operator would read (then the record is null). */
    public record Outcome<T>(@Nullable T settings, @Nullable String failure) {
        /** The record; fails the test when binding failed. */
        public T get() {
            return Objects.requireNonNull(settings, () -> "binding failed: " + failure);
        }
    }

    /**
     * @param properties {@code key=value}, as in {@code application.yaml} or a system property; a documented variable's
     *     name ({@code BLUEJAY_BASE_URL=...}) is looked up as the application looks it up
     */
    public static <T> Outcome<T> bind(Class<T> type, String... properties) {
        @SuppressWarnings("unchecked")
        Outcome<T>[] outcome = new Outcome[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withInitializer(context -> new EnvironmentVariables().postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
                .withPropertyValues(properties)
                .withUserConfiguration(Records.class)
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    outcome[0] = failure == null ? new Outcome<>(context.getBean(type), null)
                            : new Outcome<>(null, String.valueOf(SettingsFailureAnalyzer.line(failure)));
                });
        return outcome[0];
    }

    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan(basePackageClasses = CallevalApplication.class)
    @Import(SettingsCheck.class)
    static class Records {}
}
