package dev.calleval.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A setting that stops the start, told in one line: a {@code calleval.*} key no setting has
 * ({@link UnknownSettingException}); a value that cannot be converted ({@code CALLEVAL_PROGRESS_INTERVAL=banana}:
 * {@code invalid setting calleval.progress.interval: 'banana' is not a valid duration}); a value outside its
 * constraint ({@code calleval.database.outage-tolerance must be between 0s and 24h, was 25h}) or refused by its
 * record's constructor (whose message names the key). The value is left out when the key may hold a secret.
 *
 * <p>Registered in {@code META-INF/spring.factories}; {@code CallevalApplication.main} prints the same
 * {@link #line(Throwable) line} (through {@code cli/StartupFailures}) and exits 2, while Spring Boot's own report is
 * silenced in {@code application.yaml}.
 */
public class SettingsFailureAnalyzer implements FailureAnalyzer {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|passwd|key|token|credential|alerts\\.url).*");
    private static final String FIX = " (fix it in application.yaml or the environment variable that sets it)";

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        String line = line(failure);
        return line == null ? null : new FailureAnalysis(line, "Fix the setting named, or remove it.", failure);
    }

    /**
     * One line for an operator, or null when {@code failure} is not a setting's (nor caused by one).
     */
    public static @Nullable String line(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownSettingException unknown) {
                return unknown.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException bind) {
                return bind.getCause() instanceof BindValidationException validation ? invalid(validation) : unbound(bind);
            }
        }
        return null;
    }

    /** A value its constraint refuses: {@code <key> <constraint's message>, was <value>}. */
    private static String invalid(BindValidationException validation) {
        var errors = validation.getValidationErrors();
        ObjectError first = errors.getAllErrors().get(0);
        String key = errors.getName().toString();
        String value = "";
        if (first instanceof FieldError field) {
            key = key + "." + DataObjectPropertyName.toDashedForm(field.getField());
            if (!maySecret(key) && field.getRejectedValue() != null) {
                value = ", was " + shown(field.getRejectedValue());
            }
        }
        return key + " " + first.getDefaultMessage() + value + FIX;
    }

    /** A value that cannot be converted, or that its record's constructor refuses (the message names the key). */
    private static String unbound(BindException bind) {
        ConfigurationProperty property = bind.getProperty();
        String name = property != null ? property.getName().toString() : bind.getName().toString();
        String reason = rootMessage(bind);
        if (reason.startsWith("Failed to convert") || reason.startsWith("For input string") || reason.startsWith("No enum constant")) {
            Class<?> type = bind.getTarget().getType().resolve();
            reason = type != null && type.isEnum() ? "must be one of " + constants(type) : "not a valid value for it";
        }
        String value = "";
        if (property != null && !maySecret(name) && !String.valueOf(property.getValue()).contains("${")
                && !reason.contains(String.valueOf(property.getValue()))) {
            value = " = '" + property.getValue() + "'";
        }
        String what = reason.startsWith(name) ? reason : "invalid setting " + name + value + ": " + reason;
        return what + FIX;
    }

    private static String constants(Class<?> type) {
        StringBuilder names = new StringBuilder();
        for (Object constant : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append(constant.toString().toLowerCase(Locale.ROOT));
        }
        return names.toString();
    }

    /** A rejected value as an operator writes it: {@code 25h}, not {@code PT25H}. */
    private static String shown(Object value) {
        if (value instanceof Duration duration) {
            return Durations.shown(duration);
        }
        return String.valueOf(value);
    }

    /** Whether a setting's name says it may hold a secret (its value is then never shown). */
    public static boolean maySecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
