package dev.calleval;

import dev.calleval.cli.CliRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;

/**
 * Runs calleval as a user does — {@code calleval ARGS} through the real command line, Spring context, web server on an
 * ephemeral port when the command needs one — against the given database, and returns its exit code and what it
 * printed on stdout (the command's results) and stderr (logs, error lines). For functional tests. Help, version and
 * usage errors are answered before Spring starts, as {@code CallevalApplication.main} does.
 */
public final class CommandLine {
    private CommandLine() {}

    /** Exit code, standard output and standard error of one command. */
    public record Result(int exitCode, String out, String err) {}

    /**
     * @param databaseUrl the JDBC URL of the state store (an H2 in-memory database per test)
     * @param properties more properties or environment variables, e.g. {@code BLUEJAY_BASE_URL}; unsigned webhooks are
     *     allowed ({@code calleval.webhook.allow-unsigned}: the test sandboxes started apart sign nothing) unless a test
     *     sets it to false
     */
    public static Result run(String databaseUrl, Map<String, Object> properties, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Integer answered = CliRunner.answerWithoutContext(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
            if (answered != null) {
                return new Result(answered, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
            SpringApplication app = CallevalApplication.application(args);
            Map<String, Object> defaults = new HashMap<>(Map.of("SERVER_PORT", "0", "CALLEVAL_DB_URL", databaseUrl,
                    "logging.level.dev.calleval", "WARN", "calleval.webhook.allow-unsigned", "true"));
            defaults.putAll(properties);
            app.setDefaultProperties(defaults);
            int code = CallevalApplication.run(app, args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            System.out.print(out.toString(StandardCharsets.UTF_8));
            System.err.print(err.toString(StandardCharsets.UTF_8));
        }
    }
}
