package dev.calleval.cli;

import dev.calleval.config.SettingsFailureAnalyzer;
import dev.calleval.jobfile.JobFileException;
import dev.calleval.secrets.SecretFileException;
import dev.calleval.webhook.WebhookSecretException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.web.server.PortInUseException;

/**
 * Says in one line why calleval could not start — the port is taken, the database cannot be opened, a job file is
 * invalid, a secret file cannot be read, webhooks would be taken unsigned, a setting is unknown or invalid
 * ({@link SettingsFailureAnalyzer}) — instead of Spring's stack trace. The exit code is {@link ExitCodes#USAGE} (bad configuration).
 */
public final class StartupFailures {
    private StartupFailures() {}

    /** The exit code of a failed start. */
    public static int exitCode() {
        return ExitCodes.USAGE;
    }

    /**
     * One line for an operator, or null when the failure is none of the known configuration mistakes (then the caller
     * shows the stack trace: it is a bug).
     *
     * @param databaseUrl the configured JDBC URL, shown with any password masked
     */
    public static @Nullable String describe(Throwable failure, String databaseUrl) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PortInUseException port) {
                return "port " + port.getPort() + " is already in use: stop the process that holds it, or set SERVER_PORT to another port";
            }
            if (t instanceof JobFileException || t instanceof SecretFileException || t instanceof WebhookSecretException) {
                return t.getMessage();
            }
        }
        String setting = SettingsFailureAnalyzer.line(failure);
        if (setting != null) {
            return setting;
        }
        String injected = injectedSetting(failure);
        if (injected != null) {
            return injected;
        }
        if (isDatabase(failure)) {
            String reason = databaseMessage(failure);
            for (String secret : secrets(databaseUrl)) {
                reason = reason.replace(secret, "****");
            }
            return "cannot open the database " + masked(databaseUrl) + " (CALLEVAL_DB_URL): " + reason;
        }
        return null;
    }

    /**
     * A setting that one of calleval's settings classes refused with an {@link IllegalArgumentException} (its message
     * names the setting): one line. Null for anything else.
     */
    private static @Nullable String injectedSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.beans.BeanInstantiationException instantiation
                    && instantiation.getBeanClass().getName().startsWith("dev.calleval.")
                    && instantiation.getCause() instanceof IllegalArgumentException refused && refused.getMessage() != null) {
                return refused.getMessage();
            }
        }
        return null;
    }

    /** Whether {@code failure} (or a cause) is the state store failing: a driver, Spring's data access, Flyway, the data source bean. */
    static boolean isDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof org.springframework.jdbc.support.MetaDataAccessException
                    || t.getClass().getName().startsWith("org.flywaydb.")) {
                return true;
            }
            if (t instanceof BeanCreationException bean && bean.getBeanName() != null
                    && (bean.getBeanName().equals("dataSource") || bean.getBeanName().equals("flyway") || bean.getBeanName().equals("flywayInitializer"))
                    && !(bean.getCause() instanceof BeanCreationException)) {
                return true;
            }
        }
        return false;
    }

    /** The message of the innermost SQL exception (the driver's words), else of the innermost cause. */
    static String databaseMessage(Throwable failure) {
        SQLException deepest = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                deepest = sql;
            }
        }
        return deepest != null ? deepest.getMessage().lines().findFirst().orElse("").strip() : rootMessage(failure);
    }

    /** The message of the innermost cause. */
    static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    /** The passwords written in a JDBC URL ({@code password=...}, {@code //user:password@host}). */
    static java.util.List<String> secrets(String url) {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(?:password|passwd|pwd|secret)[^=;&]*=([^;&]+)").matcher(url);
        while (m.find()) {
            secrets.add(m.group(1));
        }
        m = java.util.regex.Pattern.compile("//[^:/@]+:([^@/]+)@").matcher(url);
        while (m.find()) {
            secrets.add(m.group(1));
        }
        return secrets;
    }

    /** A JDBC URL with the value of any password or secret key replaced by {@code ****}. */
    static String masked(String url) {
        return dev.calleval.database.JdbcSecrets.masked(url);
    }
}
