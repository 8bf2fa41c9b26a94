package dev.calleval.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a {@link SandboxServer} standalone (no Spring), e.g. for benchmarks:
 * <pre>
 * java -cp target/classes:... dev.calleval.sandbox.SandboxMain --port 8099 --latency-ms 40 \
 *     --webhook-url http://127.0.0.1:8080/webhooks/bluejay --webhook-secret-env BLUEJAY_WEBHOOK_SECRET \
 *     --rate-limit 10 --error-rate 0.05 --accept-then-fail-rate 0.01
 * </pre>
 * Prints the base URI (one line on stdout, e.g. {@code http://127.0.0.1:8099}) once listening, and runs until
 * the process is killed. The flags are listed by {@code --help} (see {@link #usage()}); every flag takes a value.
 * Exit status 0 after {@code --help}, 2 with a message on stderr for a bad flag, 1 if the port cannot be bound.
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
              --rate-limit N                 requests per rolling second per endpoint before 429 (default 0: off)
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

    /** Entry point; see the class documentation for the flags. */
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
            System.err.println("sandbox: " + e.getMessage());
            System.err.print(USAGE);
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
                case "--conversation-duration-ms" ->
                        config = config.withConversationDuration(Duration.ofMillis(integer(flag, value)));
                case "--simulations" -> config = config.withSimulations(catalog(flag, value));
                case "--record-bodies" -> config = config.withRecordBodies(bool(flag, value));
                case "--fetch-recordings" -> config = config.withFetchRecordings(bool(flag, value));
                case "--webhook-url" -> {
                    try {
                        webhookUrl = URI.create(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--webhook-url is not a URL: " + value, e);
                    }
                }
                case "--webhook-secret-env" -> webhookSecret = fromEnv(flag, value, env);
                case "--api-key-env" -> config = config.withApiKey(fromEnv(flag, value, env));
                case "--fault-endpoints" -> faults = faults.withEndpoints(endpoints(flag, value));
                case "--rate-limit" -> faults = faults.withRateLimitPerSecond(integer(flag, value));
                case "--error-rate" -> faults = faults.withServerErrorRate(decimal(flag, value));
                case "--reset-rate" -> faults = faults.withConnectionResetRate(decimal(flag, value));
                case "--scripted-statuses" -> faults = faults.withScriptedStatuses(statuses(flag, value));
                case "--retry-after" -> faults = faults.withRetryAfterSeconds(integer(flag, value));
                case "--accept-then-fail-rate" -> faults = faults.withAcceptThenFailRate(decimal(flag, value));
                case "--accept-then-reset-rate" -> faults = faults.withAcceptThenResetRate(decimal(flag, value));
                case "--webhook-drop-rate" -> faults = faults.withWebhookDropRate(decimal(flag, value));
                case "--webhook-duplicate-rate" -> faults = faults.withWebhookDuplicateRate(decimal(flag, value));
                case "--webhook-jitter-ms" ->
                        faults = faults.withWebhookJitter(Duration.ofMillis(integer(flag, value)));
                case "--webhook-reorder-window-ms" ->
                        faults = faults.withWebhookReorderWindow(Duration.ofMillis(integer(flag, value)));
                case "--seed" -> faults = faults.withSeed(longInteger(flag, value));
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

    /**
     * Reads a simulation catalog: a JSON object keyed by simulation id, each value {@code {"agent_id": int,
     * "outbound": bool (default false), "digital_humans": [{"id": int, "name", "phone_number", "goal_success": bool
     * or null, "custom_metrics": [{"name", "description", "response_type", "response_value", "reasoning"?}]?}]}}.
     *
     * @param source names the input in error messages
     * @throws IllegalArgumentException naming the source and the offending simulation for malformed input
     */
    static Map<String, SimulationSpec> parseCatalog(String json, String source) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object keyed by simulation id");
        }
        Map<String, SimulationSpec> catalog = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String where = source + ", simulation " + entry.getKey();
            try {
                SandboxConfig.requireSimulationId(entry.getKey());
                JsonNode spec = entry.getValue();
                List<DigitalHumanSpec> humans = new ArrayList<>();
                for (JsonNode human : required(spec, "digital_humans", where)) {
                    List<DigitalHumanSpec.ScriptedMetric> metrics = new ArrayList<>();
                    for (JsonNode metric : human.path("custom_metrics")) {
                        metrics.add(new DigitalHumanSpec.ScriptedMetric(
                                required(metric, "name", where).asString(),
                                required(metric, "description", where).asString(),
                                required(metric, "response_type", where).asString(),
                                required(metric, "response_value", where).asString(),
                                metric.path("reasoning").isString() ? metric.path("reasoning").asString() : null));
                    }
                    JsonNode goal = human.path("goal_success");
                    humans.add(new DigitalHumanSpec(required(human, "id", where).asInt(),
                            required(human, "name", where).asString(),
                            required(human, "phone_number", where).asString(),
                            goal.isBoolean() ? goal.booleanValue() : null, metrics));
                }
                catalog.put(entry.getKey(), new SimulationSpec(required(spec, "agent_id", where).asInt(),
                        spec.path("outbound").asBoolean(false), humans));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return catalog;
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + ": " + field + " is required");
        }
        return value;
    }

    private static Map<String, SimulationSpec> catalog(String flag, String path) {
        String json;
        try {
            json = Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + path + ": " + e.getMessage(), e);
        }
        return parseCatalog(json, path);
    }

    private static Set<SandboxEndpoint> endpoints(String flag, String value) {
        Set<SandboxEndpoint> endpoints = EnumSet.noneOf(SandboxEndpoint.class);
        for (String id : value.split(",")) {
            if (id.isBlank()) {
                continue;
            }
            endpoints.add(Arrays.stream(SandboxEndpoint.values()).filter(e -> e.id().equals(id.strip()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(flag + ": unknown endpoint '"
                            + id.strip() + "', expected some of " + Arrays.stream(SandboxEndpoint.values())
                            .map(SandboxEndpoint::id).toList())));
        }
        return endpoints;
    }

    private static List<Integer> statuses(String flag, String value) {
        List<Integer> statuses = new ArrayList<>();
        for (String status : value.split(",")) {
            if (!status.isBlank()) {
                statuses.add(integer(flag, status.strip()));
            }
        }
        return statuses;
    }

    private static boolean bool(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(flag + " needs true or false, got '" + value + "'");
        };
    }

    private static long longInteger(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'", e);
        }
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
