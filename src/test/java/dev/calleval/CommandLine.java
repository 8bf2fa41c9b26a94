package dev.calleval;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;

/**
 * Runs calleval as a user does — {@code calleval ARGS} through the real command line, Spring context, web server on an
 * ephemeral port when the command needs one — against the given database, and returns its exit code and what it
 * printed. For functional tests.
 */
public final class CommandLine {
    private CommandLine() {}

    /** Exit code and standard output of one command. */
    public record Result(int exitCode, String out) {}

    /**
     * @param databaseUrl the JDBC URL of the state store (an H2 in-memory database per test)
     * @param properties more properties or environment variables, e.g. {@code BLUEJAY_BASE_URL}; unsigned webhooks are
     *     allowed ({@code calleval.webhook.allow-unsigned}: the test sandboxes started apart sign nothing) unless a test
     *     sets it to false
     */
    public static Result run(String databaseUrl, Map<String, Object> properties, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SpringApplication app = CallevalApplication.application(args);
            Map<String, Object> defaults = new HashMap<>(Map.of("SERVER_PORT", "0", "CALLEVAL_DB_URL", databaseUrl,
                    "logging.level.dev.calleval", "WARN", "calleval.webhook.allow-unsigned", "true"));
            defaults.putAll(properties);
            app.setDefaultProperties(defaults);
            int code = SpringApplication.exit(app.run(args));
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.out.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
