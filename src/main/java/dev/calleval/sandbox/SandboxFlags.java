package dev.calleval.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * The sandbox's flags as a picocli command: picocli knows the flags and their grammar (every flag takes the next
 * word as its value, even one that looks like a flag; a repeated flag's last value wins), each option setter turns its value into the {@link SandboxConfig} being built,
 * in command-line order. The text of {@code --help} is {@link SandboxMain#usage()}.
 */
@Command(name = "sandbox")
final class SandboxFlags {

    private final Function<String, @Nullable String> env;

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    private SandboxConfig config = SandboxConfig.defaults();
    private SandboxConfig.Faults faults = config.faults();
    private @Nullable URI webhookUrl;
    private @Nullable String webhookSecret;

    @Option(names = {"--help", "-h"}, usageHelp = true)
    boolean help;

    private SandboxFlags(Function<String, @Nullable String> env) {
        this.env = env;
    }

    /**
     * Turns the flags into a configuration.
     *
     * @throws IllegalArgumentException naming the flag, see {@link SandboxMain#parse}
     */
    static SandboxConfig parse(String[] args, Function<String, @Nullable String> env) {
        SandboxFlags flags = new SandboxFlags(env);
        CommandLine commandLine = new CommandLine(flags);
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setAllowOptionsAsOptionParameters(true); // the word after a flag is its value, as it always was
        try {
            commandLine.parseArgs(args);
        } catch (MissingParameterException e) {
            String flag = e.getMissing().stream().filter(CommandLine.Model.OptionSpec.class::isInstance)
                    .map(spec -> ((CommandLine.Model.OptionSpec) spec).longestName()).findFirst()
                    .orElse(String.valueOf(e.getMessage()));
            throw new IllegalArgumentException(flag + " needs a value", e);
        } catch (UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown flag " + e.getUnmatched().get(0), e);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getCause() instanceof IllegalArgumentException cause
                    ? cause.getMessage() : e.getMessage(), e);
        }
        return flags.build();
    }

    /** The picocli model of the flags (for checking {@link SandboxMain#usage()} against it). */
    static CommandSpec commandSpec() {
        return new CommandLine(new SandboxFlags(name -> null)).getCommandSpec();
    }

    private SandboxConfig build() {
        if (webhookSecret != null && webhookUrl == null) {
            throw new IllegalArgumentException("--webhook-secret-env needs --webhook-url");
        }
        SandboxConfig built = config;
        if (webhookUrl != null) {
            built = built.withWebhook(webhookUrl, webhookSecret);
        }
        return built.withFaults(faults);
    }

    /** Applies one flag's value; a refused value becomes picocli's parameter error carrying the message. */
    private void apply(String value, Runnable change) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, value);
        }
    }

    @Option(names = "--port", paramLabel = "N")
    void port(String v) {
        apply(v, () -> config = config.withPort(integer("--port", v)));
    }

    @Option(names = "--latency-ms", paramLabel = "N")
    void latency(String v) {
        apply(v, () -> config = config.withLatency(Duration.ofMillis(integer("--latency-ms", v))));
    }

    @Option(names = "--evaluation-delay-ms", paramLabel = "N")
    void evaluationDelay(String v) {
        apply(v, () -> config = config.withEvaluationDelay(Duration.ofMillis(integer("--evaluation-delay-ms", v))));
    }

    @Option(names = "--conversation-duration-ms", paramLabel = "N")
    void conversationDuration(String v) {
        apply(v, () -> config = config.withConversationDuration(
                Duration.ofMillis(integer("--conversation-duration-ms", v))));
    }

    @Option(names = "--simulations", paramLabel = "FILE")
    void simulations(String v) {
        apply(v, () -> config = config.withSimulations(SimulationCatalog.read("--simulations", v)));
    }

    @Option(names = "--record-bodies", paramLabel = "true|false")
    void recordBodies(String v) {
        apply(v, () -> config = config.withRecordBodies(bool("--record-bodies", v)));
    }

    @Option(names = "--fetch-recordings", paramLabel = "true|false")
    void fetchRecordings(String v) {
        apply(v, () -> config = config.withFetchRecordings(bool("--fetch-recordings", v)));
    }

    @Option(names = "--webhook-url", paramLabel = "URL")
    void webhookUrl(String v) {
        apply(v, () -> {
            try {
                webhookUrl = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-url is not a URL: " + v, e);
            }
        });
    }

    @Option(names = "--webhook-secret-env", paramLabel = "NAME")
    void webhookSecretEnv(String v) {
        apply(v, () -> webhookSecret = fromEnv("--webhook-secret-env", v));
    }

    @Option(names = "--api-key-env", paramLabel = "NAME")
    void apiKeyEnv(String v) {
        apply(v, () -> config = config.withApiKey(fromEnv("--api-key-env", v)));
    }

    @Option(names = "--fault-endpoints", paramLabel = "LIST")
    void faultEndpoints(String v) {
        apply(v, () -> faults = faults.withEndpoints(endpoints("--fault-endpoints", v)));
    }

    @Option(names = "--rate-limit", paramLabel = "N")
    void rateLimit(String v) {
        apply(v, () -> faults = faults.withRateLimitPerSecond(integer("--rate-limit", v)));
    }

    @Option(names = "--error-rate", paramLabel = "X")
    void errorRate(String v) {
        apply(v, () -> faults = faults.withServerErrorRate(decimal("--error-rate", v)));
    }

    @Option(names = "--reset-rate", paramLabel = "X")
    void resetRate(String v) {
        apply(v, () -> faults = faults.withConnectionResetRate(decimal("--reset-rate", v)));
    }

    @Option(names = "--scripted-statuses", paramLabel = "LIST")
    void scriptedStatuses(String v) {
        apply(v, () -> faults = faults.withScriptedStatuses(statuses("--scripted-statuses", v)));
    }

    @Option(names = "--retry-after", paramLabel = "N")
    void retryAfter(String v) {
        apply(v, () -> faults = faults.withRetryAfterSeconds(integer("--retry-after", v)));
    }

    @Option(names = "--accept-then-fail-rate", paramLabel = "X")
    void acceptThenFailRate(String v) {
        apply(v, () -> faults = faults.withAcceptThenFailRate(decimal("--accept-then-fail-rate", v)));
    }

    @Option(names = "--accept-then-reset-rate", paramLabel = "X")
    void acceptThenResetRate(String v) {
        apply(v, () -> faults = faults.withAcceptThenResetRate(decimal("--accept-then-reset-rate", v)));
    }

    @Option(names = "--webhook-drop-rate", paramLabel = "X")
    void webhookDropRate(String v) {
        apply(v, () -> faults = faults.withWebhookDropRate(decimal("--webhook-drop-rate", v)));
    }

    @Option(names = "--webhook-duplicate-rate", paramLabel = "X")
    void webhookDuplicateRate(String v) {
        apply(v, () -> faults = faults.withWebhookDuplicateRate(decimal("--webhook-duplicate-rate", v)));
    }

    @Option(names = "--webhook-jitter-ms", paramLabel = "N")
    void webhookJitter(String v) {
        apply(v, () -> faults = faults.withWebhookJitter(Duration.ofMillis(integer("--webhook-jitter-ms", v))));
    }

    @Option(names = "--webhook-reorder-window-ms", paramLabel = "N")
    void webhookReorderWindow(String v) {
        apply(v, () -> faults = faults.withWebhookReorderWindow(
                Duration.ofMillis(integer("--webhook-reorder-window-ms", v))));
    }

    @Option(names = "--seed", paramLabel = "N")
    void seed(String v) {
        apply(v, () -> faults = faults.withSeed(longInteger("--seed", v)));
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

    private String fromEnv(String flag, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + ": environment variable " + name + " is not set");
        }
        return value;
    }
}
