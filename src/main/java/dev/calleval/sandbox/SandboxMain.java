package dev.calleval.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link SandboxServer} standalone (no Spring), e.g. for benchmarks:
 * <pre>
 * java -jar target/calleval.jar sandbox --port 8099 --latency-ms 40 \
 *     --webhook-url http://127.0.0.1:8080/webhooks/bluejay --webhook-secret-env BLUEJAY_WEBHOOK_SECRET \
 *     --rate-limit 10 --error-rate 0.05 --accept-then-fail-rate 0.01
 * </pre>
 * Prints the base URI (one line on stdout, e.g. {@code http://127.0.0.1:8099}) once listening, and runs until
 * the process is killed. The flags are listed by {@code --help} (see {@link #usage()}) and parsed with picocli;
 * every flag takes a value. Exit status 0 after {@code --help}, 2 with one line on stderr for a bad flag, 1 if the
 * port cannot be bound.
 */
public final class SandboxMain {

    private static final String USAGE = """
            usage: SandboxMain [flags]
              --port N                       port on 127.0.0.1 (default 0: ephemeral)
              --latency-ms N                 added before every /v1 answer (default 0)
              --evaluation-delay-ms N        acceptance / conversation end to COMPLETED + webhook (default 300)
              --conversation-duration-ms N   simulated conversations end by themselves after N ms
                                             (default: only end-conversations ends them)
              --simulations FILE             simulation catalog as JSON, replacing the default one:
                                             {"30425": {"agent_id": 34, "outbound": false, "digital_humans":
                                               [{"id": 456, "name": "Maria", "phone_number": "+15551234567",
                                                 "goal_success": true, "custom_metrics": [{"name": "...",
                                                 "description": "...", "response_type": "pass_fail",
                                                 "response_value": "pass", "reasoning": null}]}]}}
              --record-bodies true|false     keep request and webhook bodies in the logs (default false)
              --fetch-recordings true|false  GET each evaluate's recording_url (5 s) and answer 422
                                             recording_fetch_failed when it fails; example.com/.invalid hosts
                                             are placeholders, not fetched (default false)
              --webhook-url URL              where to send webhooks (default none)
              --webhook-secret-env NAME      environment variable holding the signing secret (default unsigned)
              --api-key-env NAME             environment variable holding the one accepted API key (default any)
            faults (request faults apply to every /v1 endpoint unless --fault-endpoints narrows them):
              --fault-endpoints LIST         comma-separated endpoint ids, e.g. evaluate,update-simulation-result
              --rate-limit N                 requests per rolling second per endpoint before 429, counted on
                                             arrival (headers read, before the body), answered after the
                                             latency (default 0: off)
              --error-rate X                 fraction answered 503 before processing (default 0)
              --reset-rate X                 fraction of connections closed before processing (default 0)
              --scripted-statuses LIST       statuses answered to the first requests, e.g. 429,503,0 (0 = reset,
                                             -1 = answer as usual, -504 = process, then answer 504)
              --retry-after N                Retry-After seconds on 429/503 (default 1)
              --accept-then-fail-rate X      fraction of processed evaluate / update-simulation-result /
                                             queue-sms-simulation-run / end-conversations requests answered 504
              --accept-then-reset-rate X     fraction of those whose connection is closed after processing
              --webhook-drop-rate X          fraction of webhooks never sent
              --webhook-duplicate-rate X     fraction of webhooks sent twice
              --webhook-jitter-ms N          random extra delay before each webhook, up to N ms
              --webhook-reorder-window-ms N  hold webhooks for N ms, then deliver them in another order
              --seed N                       seed of the random source behind the rates (default 20260801)
              --help                         print this and exit
            """;

    private SandboxMain() {}

    /** The text {@code --help} prints: every flag with its meaning and default. */
    static String usage() {
        return USAGE;
    }

    /**
     * Entry point; see the class documentation for the flags. Does not return while the sandbox runs; exits the JVM
     * with status 2 for a bad flag and 1 when the port cannot be bound.
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            System.out.flush();
            return;
        }
        SandboxConfig config;
        try {
            config = parse(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("sandbox: " + e.getMessage() + " ('sandbox --help' lists the flags)");
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
     * @throws IllegalArgumentException naming the flag for an unknown flag, a missing or malformed value, an
     *     environment variable that is not set, or an unreadable or malformed catalog file
     */
    static SandboxConfig parse(String[] args, Function<String, @Nullable String> env) {
        return SandboxFlags.parse(args, env);
    }

    /**
     * Reads a simulation catalog: a JSON object keyed by simulation id, each value {@code {"agent_id": int,
     * "outbound": bool (default false), "digital_humans": [{"id": int, "name", "phone_number", "goal_success": bool
     * or null, "custom_metrics": [{"name", "description", "response_type", "response_value", "reasoning"?}]?}]}}.
     *
     * @param source names the input in error messages
     * @throws IllegalArgumentException naming the source and the offending simulation for malformed input
     */
    static Map<String, SimulationSpec> parseCatalog(String json, String source) {
        return SimulationCatalog.parse(json, source);
    }
}
