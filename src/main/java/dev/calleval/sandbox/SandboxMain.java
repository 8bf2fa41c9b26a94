package dev.calleval.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link SandboxServer} standalone (no Spring), e.g. for benchmarks:
 * <pre>
 * java -cp target/classes:... dev.calleval.sandbox.SandboxMain --port 8099 --latency-ms 40 \
 *     --webhook-url http://127.0.0.1:8080/webhooks/bluejay --webhook-secret-env BLUEJAY_WEBHOOK_SECRET \
 *     --rate-limit 10 --error-rate 0.05
 * </pre>
 * Prints the base URI (one line on stdout, e.g. {@code http://127.0.0.1:8099}) once listening, and runs until
 * the process is killed. Flags:
 * <ul>
 *   <li>{@code --port N}: port on 127.0.0.1, default 0 (ephemeral);</li>
 *   <li>{@code --latency-ms N}: added before every {@code /v1} answer, default 0;</li>
 *   <li>{@code --evaluation-delay-ms N}: acceptance to COMPLETED + webhook, default 300;</li>
 *   <li>{@code --webhook-url URL}: where to send webhooks, default none;</li>
 *   <li>{@code --webhook-secret-env NAME}: environment variable holding the signing secret, default unsigned;</li>
 *   <li>{@code --api-key-env NAME}: environment variable holding the one accepted API key, default any key;</li>
 *   <li>{@code --rate-limit N}: evaluate requests per rolling second before 429, default 0 (off);</li>
 *   <li>{@code --error-rate X}: fraction of evaluate requests answered 503, default 0;</li>
 *   <li>{@code --retry-after N}: {@code Retry-After} seconds on 429/503, default 1.</li>
 * </ul>
 * Exit status 2 with a message on stderr for a bad flag, 1 if the port cannot be bound.
 */
public final class SandboxMain {

    private SandboxMain() {}

    /** Entry point; see the class documentation for the flags. */
    public static void main(String[] args) {
        SandboxConfig config;
        try {
            config = parse(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("sandbox: " + e.getMessage());
            System.err.println("usage: SandboxMain [--port N] [--latency-ms N] [--evaluation-delay-ms N]"
                    + " [--webhook-url URL] [--webhook-secret-env NAME] [--api-key-env NAME] [--rate-limit N]"
                    + " [--error-rate X] [--retry-after N]");
            System.exit(2);
            return;
        }
        SandboxServer sandbox;
        try {
            sandbox = SandboxServer.start(config);
        } catch (IOException e) {
            System.err.println("sandbox: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        PrintStream out = System.out;
        out.println(sandbox.baseUri()); // the one line scripts read
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Turns the flags into a configuration.
     *
     * @param env looks up environment variables (the secret and the API key are read from there, never from
     *     the command line, so they stay out of process listings)
     * @throws IllegalArgumentException naming the flag for an unknown flag, a missing or malformed value, or an
     *     environment variable that is not set
     */
    static SandboxConfig parse(String[] args, Function<String, @Nullable String> env) {
        SandboxConfig config = SandboxConfig.defaults();
        SandboxConfig.Faults faults = config.faults();
        @Nullable URI webhookUrl = null;
        @Nullable String webhookSecret = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> config = config.withPort(integer(flag, value));
                case "--latency-ms" -> config = config.withLatency(Duration.ofMillis(integer(flag, value)));
                case "--evaluation-delay-ms" ->
                        config = config.withEvaluationDelay(Duration.ofMillis(integer(flag, value)));
                case "--webhook-url" -> {
                    try {
                        webhookUrl = URI.create(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--webhook-url is not a URL: " + value, e);
                    }
                }
                case "--webhook-secret-env" -> webhookSecret = fromEnv(flag, value, env);
                case "--api-key-env" -> config = config.withApiKey(fromEnv(flag, value, env));
                case "--rate-limit" -> faults = faults.withRateLimitPerSecond(integer(flag, value));
                case "--error-rate" -> faults = faults.withServerErrorRate(decimal(flag, value));
                case "--retry-after" -> faults = faults.withRetryAfterSeconds(integer(flag, value));
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (webhookSecret != null && webhookUrl == null) {
            throw new IllegalArgumentException("--webhook-secret-env needs --webhook-url");
        }
        if (webhookUrl != null) {
            config = config.withWebhook(webhookUrl, webhookSecret);
        }
        return config.withFaults(faults);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'", e);
        }
    }

    private static double decimal(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
        }
    }

    private static String fromEnv(String flag, String name, Function<String, @Nullable String> env) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + ": environment variable " + name + " is not set");
        }
        return value;
    }
}
