package dev.calleval.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Bluejay-compatible HTTP server on 127.0.0.1 (API reference §1–§3), for {@code --sandbox} runs and tests.
 *
 * <h2>Endpoints</h2>
 * Every {@code /v1} endpoint requires {@code X-API-Key} (missing or blank, or different from
 * {@link SandboxConfig#apiKey()} when one is configured: 401 {@code {"detail": "..."}}) and is answered after
 * {@link SandboxConfig#latency()}.
 * <ul>
 *   <li>{@code POST /v1/evaluate} and its alias {@code POST /v1/evaluate-call}: a body that is not JSON is
 *       answered 422 with FastAPI's {@code json_invalid} item ({@code loc ["body", <char offset>]}); a body that
 *       fails validation 422 {@code {"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}} listing every
 *       error, as FastAPI/Pydantic v2 would (rules in the package-private {@code CallRequestValidator}: types and
 *       constraints of {@code CallRequestUsingAgentId | CallRequestUsingExternalAgentId}, plus two sandbox rules:
 *       one {@code AGENT} and one {@code USER} participant, and {@code recording_base64} a decodable
 *       {@code data:audio/...;base64,} URL). A valid body is answered 200
 *       {@code {"status": "success", "call_id": "<random UUID>", "message": "Call queued for evaluation"}}; the
 *       call is {@code QUEUED}, {@code EVALUATING} after half of {@link SandboxConfig#evaluationDelay()} and
 *       {@code COMPLETED} after all of it, when the {@code observability_call_evaluated} webhook is sent.</li>
 *   <li>{@code GET /v1/retrieve-call-log/{call_id}}: 200 {@code {"call_log": {...}, "status": "200"}} with every
 *       {@code CallLog} field ({@code evaluations} empty until COMPLETED), or 404
 *       {@code {"detail": "Call log not found"}}.</li>
 *   <li>{@code GET /v1/ping}: 200 {@code {}}.</li>
 *   <li>Any other path: 404 {@code {"detail": "Not Found"}}; a known path with another method: 405
 *       {@code {"detail": "Method Not Allowed"}}.</li>
 * </ul>
 *
 * <h2>Evaluations</h2>
 * The sandbox has no judge and never invents judgement. An evaluation holds only metrics computed from the inline
 * {@code transcript}; {@code hallucination}, {@code redundancy}, {@code goal_success}, {@code call_summary},
 * {@code sentiment_*}, {@code pronunciation_*}, {@code custom_evals*} and {@code custom_metrics} are null. With
 * utterances ordered by {@code start_offset_ms}:
 * <ul>
 *   <li>{@code num_turns}: the number of {@code AGENT} utterances (fillers included);</li>
 *   <li>{@code agent_speak_percentage}: agent speaking ms / (agent + user speaking ms) &times; 100, 1 decimal;</li>
 *   <li>latency: for every {@code USER} utterance immediately followed by an {@code AGENT} utterance,
 *       {@code agent.start - user.end} in seconds, overlaps clamped to 0; {@code avg_agent_latency} and
 *       {@code latency.{avg,max,p50,p90,p95,p99}_agent_latency} (nearest-rank percentiles), 3 decimals;</li>
 *   <li>{@code filler_ignored_latency.{avg,p50,p90,p95,p99}_filler_ignored_latency}: the same, measured to the
 *       first following {@code AGENT} utterance not marked {@code filler_utterance: true};</li>
 *   <li>{@code duration_ms} of the call log: the largest {@code end_offset_ms}.</li>
 * </ul>
 * A metric without data is null ({@code agent_speak_percentage} and {@code avg_agent_latency} are always present,
 * as the schema requires); without an inline transcript (recording or {@code transcript_url} only) all are null.
 *
 * <h2>Webhooks</h2>
 * With {@link SandboxConfig#webhookUrl()} set, each completed call is POSTed as {@code observability_call_evaluated}
 * ({@code type} plus the call log, {@code metadata} echoed verbatim), signed as {@code X-Bluejay-Signature} = hex
 * HMAC-SHA256 of the raw body when {@link SandboxConfig#webhookSecret()} is set, with up to 3 attempts (0, 200 ms,
 * 1 s) while the receiver fails.
 *
 * <h2>Faults</h2>
 * See {@link SandboxConfig.Faults}. Every evaluate arrival is recorded in {@link SandboxStats#evaluateArrivals()},
 * whatever its answer.
 *
 * <p>Thread-safe. Requests are served by a pool of 64 threads, so the configured latency
 * does not serialise concurrent clients. Calls are kept in memory until {@link #close()}.
 */
public final class SandboxServer implements AutoCloseable {

    /** Threads serving HTTP requests. */
    static final int HANDLER_THREADS = 64;

    static final String EVENT_TYPE = "observability_call_evaluated";

    private static final System.Logger LOG = System.getLogger(SandboxServer.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String RETRIEVE_PREFIX = "/v1/retrieve-call-log/";

    private final SandboxConfig config;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final CallRequestValidator validator = new CallRequestValidator();
    private final ConcurrentHashMap<String, StoredCall> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Instant> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicLong evaluateRequests = new AtomicLong();
    private final AtomicLong evaluateAccepted = new AtomicLong();
    private final AtomicLong evaluateRejected422 = new AtomicLong();
    private final AtomicLong retrieveRequests = new AtomicLong();
    private final AtomicLong webhooksSent = new AtomicLong();
    private final AtomicLong webhookFailures = new AtomicLong();
    private final AtomicInteger scriptedIndex = new AtomicInteger();
    private final @Nullable RollingWindowLimiter limiter;
    private final Random random;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService handlerPool;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService webhookPool;
    private final @Nullable WebhookSender webhooks;
    private final HttpServer server;

    private SandboxServer(SandboxConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        SandboxConfig.Faults faults = config.faults();
        this.limiter = faults.rateLimitPerSecond() > 0 ? new RollingWindowLimiter(faults.rateLimitPerSecond()) : null;
        this.random = new Random(faults.seed());
        this.handlerPool = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("sandbox-http-"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemonThreads("sandbox-timer-"));
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
        this.webhookPool = Executors.newCachedThreadPool(daemonThreads("sandbox-webhook-"));
        URI webhookUrl = config.webhookUrl();
        this.webhooks = webhookUrl == null ? null : new WebhookSender(webhookUrl, config.webhookSecret(), scheduler,
                webhookPool, webhooksSent, webhookFailures);
        try {
            this.server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port()), 256);
        } catch (IOException e) {
            shutdownExecutors();
            throw new IOException("cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
        }
        this.server.setExecutor(handlerPool);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /**
     * Starts a sandbox listening on 127.0.0.1.
     *
     * @throws IOException if the port cannot be bound
     */
    public static SandboxServer start(SandboxConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /** Starts a sandbox with the given clock for arrivals and timestamps. */
    static SandboxServer start(SandboxConfig config, Clock clock) throws IOException {
        SandboxServer sandbox = new SandboxServer(config, clock);
        LOG.log(System.Logger.Level.INFO, "Bluejay sandbox listening on {0} ({1})", sandbox.baseUri(), config);
        return sandbox;
    }

    /** The root every client path is relative to, e.g. {@code http://127.0.0.1:43121}; no trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A consistent-enough snapshot of the counters (each read atomically) and all evaluate arrivals. */
    public SandboxStats stats() {
        return new SandboxStats(evaluateRequests.get(), evaluateAccepted.get(), evaluateRejected422.get(),
                retrieveRequests.get(), webhooksSent.get(), webhookFailures.get(), List.copyOf(arrivals));
    }

    /** Stops serving at once and drops pending status changes and webhooks. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            shutdownExecutors();
        }
    }

    private void shutdownExecutors() {
        scheduler.shutdownNow();
        webhookPool.shutdownNow();
        handlerPool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ routing

    private void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "sandbox failed to answer " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI(), e);
            try {
                sendJson(exchange, 500, detail("Internal Server Error"));
            } catch (IOException | RuntimeException ignored) {
                // the response had already started
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        if (path == null || !path.startsWith("/v1/")) {
            sendJson(exchange, 404, detail("Not Found"));
            return;
        }
        if (path.equals("/v1/evaluate") || path.equals("/v1/evaluate-call")) {
            if (method.equals("POST")) {
                evaluate(exchange);
            } else {
                notAllowed(exchange, "POST");
            }
        } else if (path.equals("/v1/ping")) {
            if (method.equals("GET")) {
                pause();
                if (authorized(exchange)) {
                    sendJson(exchange, 200, NODES.objectNode());
                }
            } else {
                notAllowed(exchange, "GET");
            }
        } else if (path.startsWith(RETRIEVE_PREFIX) && path.length() > RETRIEVE_PREFIX.length()
                && path.indexOf('/', RETRIEVE_PREFIX.length()) < 0) {
            if (method.equals("GET")) {
                retrieve(exchange, path.substring(RETRIEVE_PREFIX.length()));
            } else {
                notAllowed(exchange, "GET");
            }
        } else {
            pause();
            sendJson(exchange, 404, detail("Not Found"));
        }
    }

    private void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getRequestBody().readAllBytes();
        pause();
        exchange.getResponseHeaders().set("Allow", allowed);
        sendJson(exchange, 405, detail("Method Not Allowed"));
    }

    // ------------------------------------------------------------------------------------------ evaluate

    private void evaluate(HttpExchange exchange) throws IOException {
        Instant arrival = clock.instant();
        arrivals.add(arrival);
        evaluateRequests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        pause();
        if (injectFault(exchange) || !authorized(exchange)) {
            return;
        }
        JsonNode parsed;
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (body.length == 0) {
            parsed = null;
        } else if (contentType != null && !isJson(contentType)) {
            // FastAPI validates the raw bytes of a non-JSON body, which no model accepts
            parsed = NODES.stringNode(new String(body, StandardCharsets.UTF_8));
        } else {
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                parsed = json.readTree(text);
                if (parsed == null || parsed.isMissingNode()) {
                    rejectJson(exchange, text.length(), "Expecting value");
                    return;
                }
            } catch (JacksonException e) {
                long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
                rejectJson(exchange, offset, String.valueOf(e.getOriginalMessage()));
                return;
            }
        }
        CallRequestValidator.Outcome outcome = validator.validate(parsed);
        ObjectNode request = outcome.request();
        if (request == null) {
            evaluateRejected422.incrementAndGet();
            ObjectNode answer = NODES.objectNode();
            answer.putArray("detail").addAll(outcome.errors());
            sendJson(exchange, 422, answer);
            return;
        }
        String callId = UUID.randomUUID().toString();
        StoredCall call = StoredCall.accept(callId, request, timestamp());
        calls.put(callId, call);
        evaluateAccepted.incrementAndGet();
        scheduleEvaluation(call);
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("call_id", callId);
        answer.put("message", "Call queued for evaluation");
        sendJson(exchange, 200, answer);
    }

    private void rejectJson(HttpExchange exchange, long offset, String reason) throws IOException {
        evaluateRejected422.incrementAndGet();
        ObjectNode answer = NODES.objectNode();
        answer.putArray("detail").add(CallRequestValidator.jsonInvalid(offset, reason));
        sendJson(exchange, 422, answer);
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/")
                && mediaType.endsWith("+json"));
    }

    /** Applies scripted statuses, the rate limit, resets and the server error rate; true if it answered. */
    private boolean injectFault(HttpExchange exchange) throws IOException {
        SandboxConfig.Faults faults = config.faults();
        List<Integer> scripted = faults.scriptedStatuses();
        int index = scriptedIndex.getAndUpdate(i -> i < scripted.size() ? i + 1 : i);
        if (index < scripted.size()) {
            int status = scripted.get(index);
            if (status == 0) {
                reset(exchange);
            } else {
                sendFault(exchange, status, reasonPhrase(status));
            }
            return true;
        }
        if (limiter != null && !limiter.tryAcquire(System.nanoTime())) {
            sendFault(exchange, 429, "Rate limit exceeded: at most " + faults.rateLimitPerSecond()
                    + " requests per second");
            return true;
        }
        if (faults.connectionResetRate() > 0 && random.nextDouble() < faults.connectionResetRate()) {
            reset(exchange);
            return true;
        }
        if (faults.serverErrorRate() > 0 && random.nextDouble() < faults.serverErrorRate()) {
            sendFault(exchange, 503, reasonPhrase(503));
            return true;
        }
        return false;
    }

    private void sendFault(HttpExchange exchange, int status, String detail) throws IOException {
        if (status == 429 || status == 503) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(config.faults().retryAfterSeconds()));
        }
        sendJson(exchange, status, detail(detail));
    }

    /** Closes the connection without an answer: the client sees a reset / premature end of stream. */
    private static void reset(HttpExchange exchange) {
        exchange.close();
    }

    private void scheduleEvaluation(StoredCall call) {
        long delayNanos = config.evaluationDelay().toNanos();
        try {
            scheduler.schedule(call::markEvaluating, delayNanos / 2, TimeUnit.NANOSECONDS);
            scheduler.schedule(() -> complete(call), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void complete(StoredCall call) {
        call.complete(timestamp());
        WebhookSender sender = webhooks;
        if (sender == null) {
            return;
        }
        SandboxConfig.Faults faults = config.faults();
        if (faults.webhookDropRate() > 0 && random.nextDouble() < faults.webhookDropRate()) {
            LOG.log(System.Logger.Level.DEBUG, "dropping the webhook of call {0} (fault injection)", call.id());
            return;
        }
        ObjectNode event = NODES.objectNode();
        event.put("type", EVENT_TYPE);
        event.setAll(call.callLog());
        byte[] body = json.writeValueAsBytes(event);
        int copies = faults.webhookDuplicateRate() > 0 && random.nextDouble() < faults.webhookDuplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            sender.send(EVENT_TYPE, body, jitter(faults.webhookJitter()));
        }
    }

    private Duration jitter(Duration max) {
        if (max.isZero()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (random.nextDouble() * max.toNanos()));
    }

    // ------------------------------------------------------------------------------------------ retrieve

    private void retrieve(HttpExchange exchange, String rawCallId) throws IOException {
        retrieveRequests.incrementAndGet();
        pause();
        if (!authorized(exchange)) {
            return;
        }
        String callId = URLDecoder.decode(rawCallId.replace("+", "%2B"), StandardCharsets.UTF_8);
        StoredCall call = calls.get(callId);
        if (call == null) {
            sendJson(exchange, 404, detail("Call log not found"));
            return;
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("call_log", call.callLog());
        answer.put("status", "200");
        sendJson(exchange, 200, answer);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Now, to the microsecond as Python's datetime keeps it. */
    private Instant timestamp() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (key == null || key.isBlank()) {
            sendJson(exchange, 401, detail("Missing API key: send it in the X-API-Key header"));
            return false;
        }
        String expected = config.apiKey();
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            sendJson(exchange, 401, detail("Invalid API key"));
            return false;
        }
        return true;
    }

    private void pause() {
        Duration latency = config.latency();
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ObjectNode detail(String message) {
        ObjectNode node = NODES.objectNode();
        node.put("detail", message);
        return node;
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Request Entity Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Admits at most {@code limit} events per rolling second: an event is admitted when fewer than {@code limit}
     * admitted events happened in the preceding second. Rejected events do not count.
     */
    static final class RollingWindowLimiter {
        private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

        private final int limit;
        private final ArrayDeque<Long> admitted = new ArrayDeque<>();

        RollingWindowLimiter(int limit) {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive, was " + limit);
            }
            this.limit = limit;
        }

        synchronized boolean tryAcquire(long nowNanos) {
            while (!admitted.isEmpty() && nowNanos - admitted.peekFirst() >= WINDOW_NANOS) {
                admitted.pollFirst();
            }
            if (admitted.size() >= limit) {
                return false;
            }
            admitted.addLast(nowNanos);
            return true;
        }
    }
}
