package dev.calleval.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link SandboxServer}.
 *
 * @param port TCP port on 127.0.0.1 to listen on, {@code 0} for an ephemeral port
 * @param webhookUrl where webhooks of all four types are POSTed (API reference §3); {@code null} sends none
 * @param webhookSecret HMAC-SHA256 key for the {@code X-Bluejay-Signature} header (§3.2); {@code null} sends
 *     unsigned webhooks without that header
 * @param apiKey the {@code X-API-Key} every {@code /v1} request must carry; {@code null} accepts any non-blank
 *     key. A missing or blank key, or one that differs from this, is answered 401
 * @param latency time added before answering every {@code /v1} request (requests are served concurrently, so
 *     this does not serialise them)
 * @param evaluationDelay time from an accepted evaluate (or re-evaluate) to status {@code COMPLETED} and the
 *     webhook, and from the end of a simulated conversation to its evaluation; the call is {@code QUEUED}
 *     ({@code CONVERSATION_ENDED} for a simulation result) until half of it has passed, then {@code EVALUATING}
 * @param faults injected failures; {@link Faults#none()} for none
 * @param conversationDuration how long a simulated conversation stays {@code RUNNING} before it ends by itself
 *     (§4.2, §4.3); {@code null}: only {@code POST /v1/end-conversations} (or an overlapping run) ends it
 * @param simulations the simulation catalog {@code POST /v1/queue-sms-simulation-run} runs, keyed by simulation id
 *     (a positive integer in decimal, as the webhooks carry it as an integer); see
 *     {@link #defaultSimulations()}
 * @param fetchRecordings whether an accepted evaluate's {@code recording_url} is fetched first (GET, 5 s) as Bluejay
 *     would, the call refused with 422 {@code recording_fetch_failed} when it cannot be; hosts under the domains
 *     reserved for documentation ({@code example.com}, {@code .net}, {@code .org}, {@code *.example},
 *     {@code *.invalid}) are placeholders and are not fetched. Off by default; {@code run --sandbox} turns it on
 * @param recordBodies whether the request log ({@link SandboxServer#requests()}) and the webhook log keep bodies
 *     as text; off by default because evaluate bodies can carry megabytes of base64 audio
 *
 * <p>Why this file is over 400 lines: it is one value type, the configuration with its nested {@link Faults}, and
 * most of it is the Javadoc of their components (the fault model is the sandbox's contract with the tests) and
 * one-line copy-with methods. {@code Faults} stays nested because {@code SandboxConfig.Faults} is the name the
 * tests of a dozen other packages use; moving it out would change them all without making either easier to read.
 */
public record SandboxConfig(
        int port,
        @Nullable URI webhookUrl,
        @Nullable String webhookSecret,
        @Nullable String apiKey,
        Duration latency,
        Duration evaluationDelay,
        Faults faults,
        @Nullable Duration conversationDuration,
        Map<String, SimulationSpec> simulations,
        boolean recordBodies,
        boolean fetchRecordings) {

    /** Default {@link #evaluationDelay()}: 300 ms. */
    public static final Duration DEFAULT_EVALUATION_DELAY = Duration.ofMillis(300);

    private static final Pattern SIMULATION_ID = Pattern.compile("[1-9][0-9]{0,17}");

    /**
     * Checks the invariants and copies the catalog (keeping its order).
     *
     * @throws IllegalArgumentException if the port is outside 0..65535, a duration is negative, the webhook URL
     *     is not an absolute http(s) URL, the secret or API key is blank (use {@code null} instead), or a
     *     simulation id is not a positive decimal integer
     * @throws NullPointerException if a non-nullable component is null
     */
    public SandboxConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (0 = ephemeral), was " + port);
        }
        Objects.requireNonNull(latency, "latency is required (use Duration.ZERO for none)");
        Objects.requireNonNull(evaluationDelay, "evaluationDelay is required (use Duration.ZERO for none)");
        Objects.requireNonNull(faults, "faults is required (use Faults.none())");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        if (evaluationDelay.isNegative()) {
            throw new IllegalArgumentException("evaluationDelay must not be negative, was " + evaluationDelay);
        }
        if (conversationDuration != null && conversationDuration.isNegative()) {
            throw new IllegalArgumentException("conversationDuration must not be negative (null = never ends by"
                    + " itself), was " + conversationDuration);
        }
        if (webhookUrl != null) {
            String scheme = webhookUrl.getScheme();
            if (!webhookUrl.isAbsolute() || webhookUrl.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException(
                        "webhookUrl must be an absolute http(s) URL with a host, was " + webhookUrl);
            }
        }
        if (webhookSecret != null && webhookSecret.isBlank()) {
            throw new IllegalArgumentException("webhookSecret must not be blank (use null for unsigned webhooks)");
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank (use null to accept any non-blank key)");
        }
        Objects.requireNonNull(simulations, "simulations is required (use Map.of() for an empty catalog)");
        Map<String, SimulationSpec> catalog = new LinkedHashMap<>();
        simulations.forEach((id, spec) -> catalog.put(requireSimulationId(id),
                Objects.requireNonNull(spec, "simulation " + id + " has no spec")));
        simulations = Collections.unmodifiableMap(catalog);
    }

    /**
     * Checks a catalog key: simulation ids are positive decimal integers, as the webhooks carry them as integers.
     *
     * @return the id
     * @throws IllegalArgumentException otherwise
     */
    static String requireSimulationId(@Nullable String id) {
        if (id == null || !SIMULATION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "simulation ids must be positive decimal integers, e.g. \"30425\", was " + id);
        }
        return id;
    }

    /**
     * The seven-component form of earlier versions: conversations never end by themselves, the
     * {@linkplain #defaultSimulations() default catalog}, bodies not recorded.
     */
    public SandboxConfig(int port, @Nullable URI webhookUrl, @Nullable String webhookSecret, @Nullable String apiKey,
            Duration latency, Duration evaluationDelay, Faults faults) {
        this(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults, null, defaultSimulations(),
                false, false);
    }

    /**
     * Port 0 (ephemeral), no webhook, no API key check beyond "present", no latency, 300 ms evaluation, no faults,
     * conversations that run until ended, the {@linkplain #defaultSimulations() default catalog}, no bodies kept.
     */
    public static SandboxConfig defaults() {
        return new SandboxConfig(0, null, null, null, Duration.ZERO, DEFAULT_EVALUATION_DELAY, Faults.none());
    }

    /**
     * The default simulation catalog:
     * <ul>
     *   <li>{@code "30425"}: agent 34, inbound SMS; digital humans 456 "Maria Gonzalez" ({@code +15551234567},
     *       passes) and 457 "Ken Adams" ({@code +15551234568}, fails);</li>
     *   <li>{@code "30426"}: agent 34, outbound; digital human 458 "Priya Shah" ({@code +15551234569}, passes).</li>
     * </ul>
     */
    public static Map<String, SimulationSpec> defaultSimulations() {
        Map<String, SimulationSpec> catalog = new LinkedHashMap<>();
        catalog.put("30425", new SimulationSpec(34, false, List.of(
                new DigitalHumanSpec(456, "Maria Gonzalez", "+15551234567", true),
                new DigitalHumanSpec(457, "Ken Adams", "+15551234568", false))));
        catalog.put("30426", new SimulationSpec(34, true, List.of(
                new DigitalHumanSpec(458, "Priya Shah", "+15551234569", true))));
        return Collections.unmodifiableMap(catalog);
    }

    /** A copy listening on {@code port} (0 = ephemeral). */
    public SandboxConfig withPort(int port) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy that POSTs webhooks to {@code url}, signed with {@code secret} (unsigned when {@code null}). */
    public SandboxConfig withWebhook(URI url, @Nullable String secret) {
        Objects.requireNonNull(url, "url is required (use withoutWebhook() to send none)");
        return new SandboxConfig(port, url, secret, apiKey, latency, evaluationDelay, faults, conversationDuration,
                simulations, recordBodies, fetchRecordings);
    }

    /** A copy that sends no webhooks. */
    public SandboxConfig withoutWebhook() {
        return new SandboxConfig(port, null, null, apiKey, latency, evaluationDelay, faults, conversationDuration,
                simulations, recordBodies, fetchRecordings);
    }

    /** A copy that requires exactly {@code apiKey} ({@code null}: any non-blank key). */
    public SandboxConfig withApiKey(@Nullable String apiKey) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy that waits {@code latency} before answering each {@code /v1} request. */
    public SandboxConfig withLatency(Duration latency) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy that completes evaluations {@code evaluationDelay} after acceptance or conversation end. */
    public SandboxConfig withEvaluationDelay(Duration evaluationDelay) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy with the given faults. */
    public SandboxConfig withFaults(Faults faults) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy whose simulated conversations end by themselves after {@code duration} ({@code null}: never). */
    public SandboxConfig withConversationDuration(@Nullable Duration duration) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                duration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy with this simulation catalog, keyed by simulation id. */
    public SandboxConfig withSimulations(Map<String, SimulationSpec> simulations) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** A copy whose catalog also holds (or replaces) simulation {@code simulationId}. */
    public SandboxConfig withSimulation(String simulationId, SimulationSpec simulation) {
        Map<String, SimulationSpec> catalog = new LinkedHashMap<>(simulations);
        catalog.put(simulationId, simulation);
        return withSimulations(catalog);
    }

    /** A copy that keeps (or not) request and webhook bodies in its logs. */
    public SandboxConfig withRecordBodies(boolean recordBodies) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /**
     * The ten-component form of earlier versions: {@code recording_url}s are not fetched.
     */
    public SandboxConfig(int port, @Nullable URI webhookUrl, @Nullable String webhookSecret, @Nullable String apiKey,
            Duration latency, Duration evaluationDelay, Faults faults, @Nullable Duration conversationDuration,
            Map<String, SimulationSpec> simulations, boolean recordBodies) {
        this(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults, conversationDuration, simulations,
                recordBodies, false);
    }

    /** A copy that fetches (or not) each accepted evaluate's {@code recording_url} first, as Bluejay would. */
    public SandboxConfig withFetchRecordings(boolean fetchRecordings) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults,
                conversationDuration, simulations, recordBodies, fetchRecordings);
    }

    /** Like the generated one, but never shows the webhook secret or the API key. */
    @Override
    public String toString() {
        return "SandboxConfig[port=" + port + ", webhookUrl=" + webhookUrl
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", apiKey=" + (apiKey == null ? "any" : "***")
                + ", latency=" + latency + ", evaluationDelay=" + evaluationDelay + ", faults=" + faults
                + ", conversationDuration=" + conversationDuration + ", simulations=" + simulations.keySet()
                + ", recordBodies=" + recordBodies + ", fetchRecordings=" + fetchRecordings + "]";
    }

    /**
     * Failures the sandbox injects. All rates are fractions in {@code 0..1}, drawn from one {@link java.util.Random}
     * seeded with {@link #seed()}, so a sequential client sees the same sequence on every run.
     *
     * <p>The request faults apply to every {@code /v1} endpoint in {@link #endpoints()} (all of them by default;
     * the latency of {@link SandboxConfig} applies to every {@code /v1} request whatever this set holds). Order of
     * checks for a request: scripted statuses, rate limit, connection reset, server error rate, then
     * authentication, validation and processing; then, for a request that was processed (a call created, a result
     * updated, a run queued, conversations ended) by one of the {@linkplain SandboxEndpoint#inDoubtFaults()
     * in-doubt endpoints}, accept-then-fail and accept-then-reset.
     *
     * @param rateLimitPerSecond requests admitted per rolling 1-second window, counted per endpoint (so polling
     *     one endpoint never takes capacity from another); above it the answer is 429 with {@code Retry-After}
     *     and a FastAPI {@code {"detail": "..."}} body. A request is counted when it arrives (its headers read,
     *     before its body: the instant the request log records); its 429 is answered after the latency like every
     *     answer. Rejected requests do not count against the window.
     *     {@code 0} = no limit
     * @param serverErrorRate fraction of requests answered 503 (with {@code Retry-After})
     * @param scriptedStatuses statuses answered, in order, to the first N requests to the faulted endpoints
     *     (whichever endpoint they address) before normal behaviour, e.g. {@code [429, 503]}; 429 and 503 carry
     *     {@code Retry-After}. Three values are not statuses: {@link #RESET} ({@code 0}) closes the connection
     *     without an answer (a reset, as a client sees it); {@link #PASS} ({@code -1}) scripts nothing for that
     *     request, which meets the other faults and is answered as usual; {@link #ACCEPT_THEN_FAIL}
     *     ({@code -504}) lets the request be processed as usual and, if it took effect at an
     *     {@linkplain SandboxEndpoint#inDoubtFaults() in-doubt endpoint}, answers it 504 as
     *     {@link #acceptThenFailRate()} does (else it is answered as usual). So {@code [-1, -1, 401]} refuses the
     *     third request only, and {@code [-1, -504]} applies the second one but answers it 504
     * @param retryAfterSeconds the {@code Retry-After} value in seconds (at least 0)
     * @param connectionResetRate fraction of requests whose connection is closed without an answer, before
     *     processing
     * @param webhookDropRate fraction of webhooks never sent
     * @param webhookDuplicateRate fraction of webhooks delivered twice (each delivery with its own
     *     {@code X-Bluejay-Delivery})
     * @param webhookJitter upper bound of a random extra delay before each webhook is sent, which may reorder
     *     webhooks relative to the order they were produced in; {@link Duration#ZERO} for none. Ignored while
     *     {@link #webhookReorderWindow()} is set
     * @param seed seed of the random source behind the rates
     * @param acceptThenFailRate fraction of processed requests to the in-doubt endpoints answered 504
     *     {@code {"detail": "Gateway Timeout"}} although their effect took place, as when a gateway gives up on a
     *     slow backend
     * @param acceptThenResetRate fraction of processed requests to the in-doubt endpoints whose connection is then
     *     closed without an answer (drawn after {@link #acceptThenFailRate()})
     * @param webhookReorderWindow when positive, webhooks are held: the first one produced opens a window of this
     *     length, and when it closes every webhook held is delivered one after the other (each after the first
     *     attempt of the previous one finished) in a seeded random order that always differs from production order
     *     when two or more are held. {@link Duration#ZERO} delivers each webhook as soon as it is produced
     * @param endpoints the endpoints the request faults (scripted statuses, rate limit, resets, 5xx,
     *     accept-then-fail/reset) apply to; {@link SandboxEndpoint} values, all of them by default
     */
    public record Faults(
            int rateLimitPerSecond,
            double serverErrorRate,
            List<Integer> scriptedStatuses,
            int retryAfterSeconds,
            double connectionResetRate,
            double webhookDropRate,
            double webhookDuplicateRate,
            Duration webhookJitter,
            long seed,
            double acceptThenFailRate,
            double acceptThenResetRate,
            Duration webhookReorderWindow,
            Set<SandboxEndpoint> endpoints) {

        /** The seed used unless one is given. */
        public static final long DEFAULT_SEED = 20260801L;

        /** In {@link #scriptedStatuses()}: close the connection without an answer, before processing. */
        public static final int RESET = 0;

        /** In {@link #scriptedStatuses()}: no scripted answer; the request is served as without a script. */
        public static final int PASS = -1;

        /**
         * In {@link #scriptedStatuses()}: process the request as usual, then answer 504 if it took effect at an
         * in-doubt endpoint (the scripted form of {@link #acceptThenFailRate()}).
         */
        public static final int ACCEPT_THEN_FAIL = -504;

        /**
         * Checks the invariants and copies the collections.
         *
         * @throws IllegalArgumentException if a rate is outside 0..1, the rate limit or {@code Retry-After} is
         *     negative, the jitter or reorder window is negative, or a scripted status is none of 200..599,
         *     {@link #RESET}, {@link #PASS} and {@link #ACCEPT_THEN_FAIL}
         */
        public Faults {
            if (rateLimitPerSecond < 0) {
                throw new IllegalArgumentException(
                        "rateLimitPerSecond must be >= 0 (0 = no limit), was " + rateLimitPerSecond);
            }
            requireRate("serverErrorRate", serverErrorRate);
            requireRate("connectionResetRate", connectionResetRate);
            requireRate("webhookDropRate", webhookDropRate);
            requireRate("webhookDuplicateRate", webhookDuplicateRate);
            requireRate("acceptThenFailRate", acceptThenFailRate);
            requireRate("acceptThenResetRate", acceptThenResetRate);
            scriptedStatuses = List.copyOf(Objects.requireNonNull(scriptedStatuses,
                    "scriptedStatuses is required (use an empty list)"));
            for (int status : scriptedStatuses) {
                if (status != RESET && status != PASS && status != ACCEPT_THEN_FAIL && (status < 200 || status > 599)) {
                    throw new IllegalArgumentException("scriptedStatuses must be HTTP statuses 200..599, 0 (reset),"
                            + " -1 (pass) or -504 (accept then fail), found " + status);
                }
            }
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0, was " + retryAfterSeconds);
            }
            Objects.requireNonNull(webhookJitter, "webhookJitter is required (use Duration.ZERO)");
            if (webhookJitter.isNegative()) {
                throw new IllegalArgumentException("webhookJitter must not be negative, was " + webhookJitter);
            }
            Objects.requireNonNull(webhookReorderWindow, "webhookReorderWindow is required (use Duration.ZERO)");
            if (webhookReorderWindow.isNegative()) {
                throw new IllegalArgumentException(
                        "webhookReorderWindow must not be negative, was " + webhookReorderWindow);
            }
            Objects.requireNonNull(endpoints, "endpoints is required (use an empty set for none)");
            endpoints = endpoints.isEmpty() ? Set.of()
                    : Collections.unmodifiableSet(EnumSet.copyOf(endpoints));
        }

        /** The nine-knob form of earlier versions: no in-doubt faults, no reordering, every endpoint faulted. */
        public Faults(int rateLimitPerSecond, double serverErrorRate, List<Integer> scriptedStatuses,
                int retryAfterSeconds, double connectionResetRate, double webhookDropRate,
                double webhookDuplicateRate, Duration webhookJitter, long seed) {
            this(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds, connectionResetRate,
                    webhookDropRate, webhookDuplicateRate, webhookJitter, seed, 0, 0, Duration.ZERO,
                    EnumSet.allOf(SandboxEndpoint.class));
        }

        /** The four-knob form: no resets, no webhook faults, default seed. */
        public Faults(int rateLimitPerSecond, double serverErrorRate, List<Integer> scriptedStatuses,
                int retryAfterSeconds) {
            this(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds, 0, 0, 0, Duration.ZERO,
                    DEFAULT_SEED);
        }

        /** No faults at all; {@code Retry-After} 1 s when a fault is later switched on. */
        public static Faults none() {
            return new Faults(0, 0, List.of(), 1);
        }

        /** A copy with the given per-endpoint rate limit (0 = off). */
        public Faults withRateLimitPerSecond(int rateLimitPerSecond) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy answering this fraction of requests with 503. */
        public Faults withServerErrorRate(double serverErrorRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy answering the first requests with these statuses, in order; see {@link #scriptedStatuses()}. */
        public Faults withScriptedStatuses(List<Integer> scriptedStatuses) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy answering the first requests with these statuses, in order; see {@link #scriptedStatuses()}. */
        public Faults withScriptedStatuses(Integer... scriptedStatuses) {
            return withScriptedStatuses(Arrays.asList(scriptedStatuses));
        }

        /** A copy with this {@code Retry-After} value in seconds. */
        public Faults withRetryAfterSeconds(int retryAfterSeconds) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy resetting this fraction of connections before processing. */
        public Faults withConnectionResetRate(double connectionResetRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy dropping this fraction of webhooks. */
        public Faults withWebhookDropRate(double webhookDropRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy delivering this fraction of webhooks twice. */
        public Faults withWebhookDuplicateRate(double webhookDuplicateRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy delaying each webhook by a random time up to {@code webhookJitter}. */
        public Faults withWebhookJitter(Duration webhookJitter) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy drawing its rates from a random source seeded with {@code seed}. */
        public Faults withSeed(long seed) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy answering this fraction of processed in-doubt requests with 504. */
        public Faults withAcceptThenFailRate(double acceptThenFailRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy closing the connection of this fraction of processed in-doubt requests without an answer. */
        public Faults withAcceptThenResetRate(double acceptThenResetRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy holding webhooks for {@code window} and delivering them shuffled ({@code ZERO}: off). */
        public Faults withWebhookReorderWindow(Duration window) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, window, endpoints);
        }

        /** A copy whose request faults apply only to these endpoints. */
        public Faults withEndpoints(Set<SandboxEndpoint> endpoints) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed,
                    acceptThenFailRate, acceptThenResetRate, webhookReorderWindow, endpoints);
        }

        /** A copy whose request faults apply only to these endpoints. */
        public Faults withEndpoints(SandboxEndpoint first, SandboxEndpoint... rest) {
            return withEndpoints(EnumSet.of(first, rest));
        }

        /** Whether the request faults apply to {@code endpoint}. */
        public boolean appliesTo(SandboxEndpoint endpoint) {
            return endpoints.contains(endpoint);
        }

        private static void requireRate(String name, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(name + " must be a fraction between 0 and 1, was " + rate);
            }
        }
    }
}
