package dev.calleval.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link SandboxServer}.
 *
 * @param port TCP port on 127.0.0.1 to listen on, {@code 0} for an ephemeral port
 * @param webhookUrl where {@code observability_call_evaluated} webhooks are POSTed (API reference §3); {@code null}
 *     sends none
 * @param webhookSecret HMAC-SHA256 key for the {@code X-Bluejay-Signature} header (§3.2); {@code null} sends
 *     unsigned webhooks without that header
 * @param apiKey the {@code X-API-Key} every {@code /v1} request must carry; {@code null} accepts any non-blank
 *     key. A missing or blank key, or one that differs from this, is answered 401
 * @param latency time added before answering every {@code /v1} request (requests are served concurrently, so
 *     this does not serialise them)
 * @param evaluationDelay time from an accepted evaluate to status {@code COMPLETED} and the webhook; the call is
 *     {@code QUEUED} until half of it has passed, then {@code EVALUATING}
 * @param faults injected failures; {@link Faults#none()} for none
 */
public record SandboxConfig(
        int port,
        @Nullable URI webhookUrl,
        @Nullable String webhookSecret,
        @Nullable String apiKey,
        Duration latency,
        Duration evaluationDelay,
        Faults faults) {

    /** Default {@link #evaluationDelay()}: 300 ms. */
    public static final Duration DEFAULT_EVALUATION_DELAY = Duration.ofMillis(300);

    /**
     * Checks the invariants.
     *
     * @throws IllegalArgumentException if the port is outside 0..65535, a duration is negative, the webhook URL
     *     is not an absolute http(s) URL, or the secret or API key is blank (use {@code null} instead)
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
    }

    /** Port 0 (ephemeral), no webhook, no API key check beyond "present", no latency, 300 ms evaluation, no faults. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(0, null, null, null, Duration.ZERO, DEFAULT_EVALUATION_DELAY, Faults.none());
    }

    /** A copy listening on {@code port} (0 = ephemeral). */
    public SandboxConfig withPort(int port) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy that POSTs webhooks to {@code url}, signed with {@code secret} (unsigned when {@code null}). */
    public SandboxConfig withWebhook(URI url, @Nullable String secret) {
        Objects.requireNonNull(url, "url is required (use withoutWebhook() to send none)");
        return new SandboxConfig(port, url, secret, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy that sends no webhooks. */
    public SandboxConfig withoutWebhook() {
        return new SandboxConfig(port, null, null, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy that requires exactly {@code apiKey} ({@code null}: any non-blank key). */
    public SandboxConfig withApiKey(@Nullable String apiKey) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy that waits {@code latency} before answering each {@code /v1} request. */
    public SandboxConfig withLatency(Duration latency) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy that completes evaluations {@code evaluationDelay} after acceptance. */
    public SandboxConfig withEvaluationDelay(Duration evaluationDelay) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults);
    }

    /** A copy with the given faults. */
    public SandboxConfig withFaults(Faults faults) {
        return new SandboxConfig(port, webhookUrl, webhookSecret, apiKey, latency, evaluationDelay, faults);
    }

    /** Like the generated one, but never shows the webhook secret or the API key. */
    @Override
    public String toString() {
        return "SandboxConfig[port=" + port + ", webhookUrl=" + webhookUrl
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***")
                + ", apiKey=" + (apiKey == null ? "any" : "***")
                + ", latency=" + latency + ", evaluationDelay=" + evaluationDelay + ", faults=" + faults + "]";
    }

    /**
     * Failures the sandbox injects. All rates are fractions in {@code 0..1}, drawn from one {@link java.util.Random}
     * seeded with {@link #seed()}, so a sequential client sees the same sequence on every run.
     *
     * <p>The request faults apply to {@code POST /v1/evaluate} only (the latency of {@link SandboxConfig} applies
     * to every {@code /v1} request), so polling {@code retrieve-call-log} is never disturbed. Order of checks for
     * an evaluate request: scripted statuses, rate limit, connection reset, server error rate, then
     * authentication and validation.
     *
     * @param rateLimitPerSecond evaluate requests admitted per rolling 1-second window; above it the answer is
     *     429 with {@code Retry-After} and a FastAPI {@code {"detail": "..."}} body. Rejected requests do not
     *     count against the window. {@code 0} = no limit
     * @param serverErrorRate fraction of evaluate requests answered 503 (with {@code Retry-After})
     * @param scriptedStatuses statuses answered, in order, to the first N evaluate requests before normal
     *     behaviour, e.g. {@code [429, 503]}; 429 and 503 carry {@code Retry-After}. The value {@code 0} closes the
     *     connection without an answer (a reset, as a client sees it)
     * @param retryAfterSeconds the {@code Retry-After} value in seconds (at least 0)
     * @param connectionResetRate fraction of evaluate requests whose connection is closed without an answer
     * @param webhookDropRate fraction of webhooks never sent
     * @param webhookDuplicateRate fraction of webhooks delivered twice (each delivery with its own
     *     {@code X-Bluejay-Delivery})
     * @param webhookJitter upper bound of a random extra delay before each webhook is sent, which reorders webhooks
     *     relative to submission order; {@link Duration#ZERO} for none
     * @param seed seed of the random source behind the rates
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
            long seed) {

        /** The seed used unless one is given. */
        public static final long DEFAULT_SEED = 20260801L;

        /**
         * Checks the invariants and copies the list.
         *
         * @throws IllegalArgumentException if a rate is outside 0..1, the rate limit or {@code Retry-After} is
         *     negative, the jitter is negative, or a scripted status is neither 0 nor 200..599
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
            scriptedStatuses = List.copyOf(Objects.requireNonNull(scriptedStatuses,
                    "scriptedStatuses is required (use an empty list)"));
            for (int status : scriptedStatuses) {
                if (status != 0 && (status < 200 || status > 599)) {
                    throw new IllegalArgumentException(
                            "scriptedStatuses must be HTTP statuses 200..599 or 0 (reset), found " + status);
                }
            }
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0, was " + retryAfterSeconds);
            }
            Objects.requireNonNull(webhookJitter, "webhookJitter is required (use Duration.ZERO)");
            if (webhookJitter.isNegative()) {
                throw new IllegalArgumentException("webhookJitter must not be negative, was " + webhookJitter);
            }
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

        /** A copy with the given evaluate rate limit (0 = off). */
        public Faults withRateLimitPerSecond(int rateLimitPerSecond) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy answering this fraction of evaluate requests with 503. */
        public Faults withServerErrorRate(double serverErrorRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy answering the first evaluate requests with these statuses, in order (0 = reset). */
        public Faults withScriptedStatuses(List<Integer> scriptedStatuses) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy answering the first evaluate requests with these statuses, in order (0 = reset). */
        public Faults withScriptedStatuses(Integer... scriptedStatuses) {
            return withScriptedStatuses(Arrays.asList(scriptedStatuses));
        }

        /** A copy with this {@code Retry-After} value in seconds. */
        public Faults withRetryAfterSeconds(int retryAfterSeconds) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy resetting this fraction of evaluate connections. */
        public Faults withConnectionResetRate(double connectionResetRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy dropping this fraction of webhooks. */
        public Faults withWebhookDropRate(double webhookDropRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy delivering this fraction of webhooks twice. */
        public Faults withWebhookDuplicateRate(double webhookDuplicateRate) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy delaying each webhook by a random time up to {@code webhookJitter}. */
        public Faults withWebhookJitter(Duration webhookJitter) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        /** A copy drawing its rates from a random source seeded with {@code seed}. */
        public Faults withSeed(long seed) {
            return new Faults(rateLimitPerSecond, serverErrorRate, scriptedStatuses, retryAfterSeconds,
                    connectionResetRate, webhookDropRate, webhookDuplicateRate, webhookJitter, seed);
        }

        private static void requireRate(String name, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(name + " must be a fraction between 0 and 1, was " + rate);
            }
        }
    }
}
