package dev.calleval.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Reads each secret of {@link #SECRETS} from a file when {@code <NAME>_FILE} names one, as Docker secrets
 * ({@code /run/secrets/...}) and Kubernetes secret volumes provide them: {@code BLUEJAY_API_KEY_FILE=/run/secrets/bluejay-api-key}
 * makes the file's content the value of {@code BLUEJAY_API_KEY}, for everything that reads that variable (the
 * placeholders of {@code application.yaml} included). One trailing line break ({@code \n} or {@code \r\n}) is stripped,
 * as {@code echo secret > file} and {@code kubectl create secret --from-file} leave one.
 *
 * <p>Refused with {@link SecretFileException} (one line, exit 2): both {@code NAME} and {@code NAME_FILE} set (which one
 * was meant?), a file that cannot be read (the line names the variable and the path), an empty file. The files are read
 * here, at start; a failure is thrown when the secret is first looked up (see {@link SecretFiles}): this runs before
 * logging is configured, and a failure thrown now would be logged by Spring with its stack trace. The secret itself
 * never appears in a message; the property source holding the values is named {@value #SOURCE} and shows no value in
 * its {@code toString}.
 */
public class SecretFilesEnvironmentPostProcessor implements EnvironmentPostProcessor {
    /** The variables that may come from a file, each as {@code NAME_FILE}. */
    public static final List<String> SECRETS = List.of("BLUEJAY_API_KEY", "BLUEJAY_WEBHOOK_SECRET", "BLUEJAY_WEBHOOK_SECRET_PREVIOUS",
            "CALLEVAL_API_TOKEN", "CALLEVAL_DB_PASSWORD", "CALLEVAL_S3_ACCESS_KEY_ID", "CALLEVAL_S3_SECRET_ACCESS_KEY",
            "CALLEVAL_ALERTS_URL");

    /** The name of the property source that holds the secrets read from files. */
    static final String SOURCE = "calleval-secret-files";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : SECRETS) {
            String file = environment.getProperty(name + "_FILE", "");
            if (file.isBlank()) {
                continue;
            }
            try {
                if (!environment.getProperty(name, "").isEmpty()) {
                    throw new SecretFileException(name + " and " + name + "_FILE are both set: keep one (" + name + "_FILE names the file "
                            + "that holds the secret)");
                }
                values.put(name, read(name + "_FILE", Path.of(file.strip())));
            } catch (SecretFileException e) {
                values.put(name, e);
            }
        }
        if (!values.isEmpty()) {
            environment.getPropertySources().addFirst(new SecretFiles(values));
        }
    }

    /**
     * The secrets read from files, by variable name. A secret whose file could not be read is held as its
     * {@link SecretFileException}, thrown when the secret is looked up: the start then fails once logging is configured
     * (one line, exit 2, no stack trace), and, since every secret is looked up while the context starts (the API key,
     * the webhook secrets, the database password), it fails before any work begins. Not enumerable: only the exact
     * variable names are answered.
     */
    static final class SecretFiles extends PropertySource<Map<String, Object>> {
        SecretFiles(Map<String, Object> values) {
            super(SOURCE, Map.copyOf(values));
        }

        @Override
        public @Nullable Object getProperty(String name) {
            Object value = getSource().get(name);
            if (value instanceof SecretFileException failure) {
                throw new SecretFileException(failure.getMessage());
            }
            return value;
        }

        @Override
        public String toString() {
            return "SecretFiles " + new java.util.TreeSet<>(getSource().keySet());
        }
    }

    /**
     * The secret in {@code file}: its content (UTF-8) without one trailing line break.
     *
     * @param variable the variable that named the file, for the message
     * @throws SecretFileException when the file cannot be read or holds nothing
     */
    static String read(String variable, Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new SecretFileException("cannot read " + variable + " " + file + " (" + reason + "): mount the secret there or fix "
                    + variable);
        }
        if (content.endsWith("\r\n")) {
            content = content.substring(0, content.length() - 2);
        } else if (content.endsWith("\n")) {
            content = content.substring(0, content.length() - 1);
        }
        if (content.isBlank()) {
            throw new SecretFileException(variable + " " + file + " is empty: write the secret into it");
        }
        if (content.indexOf('\n') >= 0 || content.indexOf('\r') >= 0) {
            // a line break inside would break the API key's header or make every webhook signature differ, silently
            throw new SecretFileException(variable + " " + file + " holds more than one line: write the secret alone on one line");
        }
        return content;
    }
}
