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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Bluejay-compatible HTTP server on 127.0.0.1 (API reference §1–§4, §6), for {@code --sandbox} runs and tests.
 *
 * <h2>Endpoints</h2>
 * Every {@code /v1} endpoint ({@link SandboxEndpoint}) requires {@code X-API-Key} (missing or blank, or different
 * from {@link SandboxConfig#apiKey()} when one is configured: 401 {@code {"detail": "..."}}), is answered after
 * {@link SandboxConfig#latency()} and gets the request faults of {@link SandboxConfig.Faults}. A body that is not
 * JSON is answered 422 with FastAPI's {@code json_invalid} item ({@code loc ["body", <char offset>]}), a missing
 * body 422 {@code missing} at {@code ["body"]}, and a body that fails validation 422
 * {@code {"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}} listing every error as FastAPI/Pydantic v2
 * would. Unknown ids are answered 404 {@code {"detail": "... not found"}}.
 * <ul>
 *   <li>{@code POST /v1/evaluate} and its alias {@code POST /v1/evaluate-call} (§1): rules in the package-private
 *       {@code CallRequestValidator} (types and constraints of {@code CallRequestUsingAgentId |
 *       CallRequestUsingExternalAgentId}, plus two sandbox rules: one {@code AGENT} and one {@code USER}
 *       participant, and {@code recording_base64} a decodable {@code data:audio/...;base64,} URL; with
 *       {@link SandboxConfig#fetchRecordings()}, a {@code recording_url} must answer a GET with a non-empty 2xx within
 *       5 s, else 422 {@code recording_fetch_failed} at {@code ["body", "recording_url"]}). A valid body is
 *       answered 200 {@code {"status": "success", "call_id": "<random UUID>", "message": "Call queued for
 *       evaluation"}}; the call is {@code QUEUED}, {@code EVALUATING} after half of
 *       {@link SandboxConfig#evaluationDelay()} and {@code COMPLETED} after all of it, when the
 *       {@code observability_call_evaluated} webhook is sent.</li>
 *   <li>{@code GET /v1/retrieve-call-log/{call_id}} (§2.1): 200 {@code {"call_log": {...}, "status": "200"}} with
 *       every {@code CallLog} field ({@code evaluations} empty until the first evaluation completed), or 404
 *       {@code {"detail": "Call log not found"}}.</li>
 *   <li>{@code GET /v1/retrieve-call-logs/{agent_id}?page=&page_size=&last=&label=} (§2.4): the calls of that agent
 *       as {@code RetrieveCallLogsResponse}, newest first, each call log as retrieve-call-log shows it
 *       ({@code metadata} included); query rules in {@code CallLogListing}, errors at {@code ["query", name]}.</li>
 *   <li>{@code POST /v1/re-evaluate/{call_id}} (§6): 422 {@code uuid_parsing} at {@code ["path", "call_id"]} for a
 *       call id that is not a UUID, 404 {@code Call log not found} for an unknown one, else 200
 *       {@code {"status": "success", "call_id", "message"}}; the call is {@code EVALUATING} until, after
 *       {@link SandboxConfig#evaluationDelay()}, a new evaluation is appended to {@code evaluations} and
 *       {@code observability_call_evaluated} is sent again with all of them.</li>
 *   <li>{@code POST /v1/queue-sms-simulation-run} (§4.2), {@code POST /v1/end-conversations} (§4.3),
 *       {@code POST /v1/update-simulation-result} (§4.1), {@code GET /v1/retrieve-simulation-results/{run_id}}
 *       (§4.4) and {@code GET /v1/retrieve-simulation-result/{test_result_id}} (§4.5): bodies validated as
 *       {@code SimulationRequestValidator} describes; runs of the simulations of
 *       {@link SandboxConfig#simulations()}, their results' lifecycle and webhooks as {@code Simulations}
 *       describes.</li>
 *   <li>{@code GET /v1/ping}: 200 {@code {}}.</li>
 *   <li>Any other path: 404 {@code {"detail": "Not Found"}}; a known path with another method: 405
 *       {@code {"detail": "Method Not Allowed"}} with {@code Allow}.</li>
 * </ul>
 *
 * <h2>Admin endpoints</h2>
 * On the same port, without API key, latency or faults, and not logged, all {@code GET} (others 405):
 * <ul>
 *   <li>{@code /_sandbox/requests}: the request log, a JSON array of {@code {"seq", "method", "path" (with query),
 *       "status" (0 = closed without answer), "received_at", "endpoint" (e.g. "evaluate", or null), "fault"
 *       (null or e.g. "accept_then_fail"), "body" (text, or null unless recordBodies)}} in arrival order
 *       ({@link #requests()});</li>
 *   <li>{@code /_sandbox/stats}: the counters of {@link #stats()} as one object: {@code evaluate_requests},
 *       {@code evaluate_accepted}, {@code evaluate_rejected_422}, {@code retrieve_requests},
 *       {@code webhooks_sent}, {@code webhook_failures}, {@code max_evaluate_requests_in_any_sliding_second},
 *       {@code accepted_then_failed}, {@code accepted_then_reset}, {@code endpoints} (per endpoint id:
 *       {@code requests, accepted, rejected_422, not_found_404, faulted, accepted_then_failed,
 *       accepted_then_reset}), {@code webhooks_sent_by_type} and {@code update_simulation_result_posts} (per
 *       simulation result id);</li>
 *   <li>{@code /_sandbox/webhooks}: the webhooks produced, a JSON array of {@code {"seq", "type", "id",
 *       "produced_at", "state" (PENDING, DELIVERED, FAILED, DROPPED), "attempts", "status_code" (last answer, or
 *       null), "body" (text, or null unless recordBodies)}} ({@link #webhooks()}).</li>
 * </ul>
 *
 * <h2>Evaluations</h2>
 * The sandbox has no judge and never invents judgement. A call's evaluation holds only metrics computed from the
 * inline {@code transcript}; {@code hallucination}, {@code redundancy}, {@code goal_success}, {@code call_summary},
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
 * A simulation result's evaluation carries only the {@code goal_success} and {@code custom_metrics} its catalog
 * entry scripts.
 *
 * <h2>Webhooks</h2>
 * With {@link SandboxConfig#webhookUrl()} set, {@code observability_call_evaluated} ({@code type} plus the call log,
 * {@code metadata} echoed verbatim), {@code simulation_ended}, {@code simulation_result_evaluated} and
 * {@code outbound_simulation_started} are POSTed, signed as {@code X-Bluejay-Signature} = hex HMAC-SHA256 of the
 * raw body when {@link SandboxConfig#webhookSecret()} is set, with up to 3 attempts (0, 200 ms, 1 s) while the
 * receiver fails.
 *
 * <h2>Faults</h2>
 * See {@link SandboxConfig.Faults}. Every evaluate arrival is recorded in {@link SandboxStats#evaluateArrivals()},
 * whatever its answer.
 *
 * <p>Thread-safe. Requests are served by a pool of 64 threads, so the configured latency does not serialise
 * concurrent clients. Calls, runs, results and the logs are kept in memory until {@link #close()}; with
 * {@link SandboxConfig#recordBodies()} off a log entry holds no body.
 */
public final class SandboxServer implements AutoCloseable {

    /** Threads serving HTTP requests. */
    static final int HANDLER_THREADS = 64;

    static final String EVENT_TYPE = "observability_call_evaluated";

    private static final System.Logger LOG = System.getLogger(SandboxServer.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ADMIN_PREFIX = "/_sandbox/";

    private final SandboxConfig config;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final CallRequestValidator validator = new CallRequestValidator();
    private final RecordingFetcher recordingFetcher = new RecordingFetcher();
    private final ConcurrentHashMap<String, StoredCall> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Instant> arrivals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LoggedRequest> requestLog = new ConcurrentLinkedQueue<>();
    private final AtomicLong requestSequence = new AtomicLong();
    private final AtomicLong callSequence = new AtomicLong();
    private final Map<SandboxEndpoint, Counters> counters = new EnumMap<>(SandboxEndpoint.class);
    private final Map<SandboxEndpoint, RollingWindowLimiter> limiters = new EnumMap<>(SandboxEndpoint.class);
    private final AtomicInteger scriptedIndex = new AtomicInteger();
    private final Random random;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService handlerPool;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService webhookPool;
    private final WebhookDispatcher dispatcher;
    private final Simulations simulations;
    private final HttpServer server;

    private SandboxServer(SandboxConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        SandboxConfig.Faults faults = config.faults();
        for (SandboxEndpoint endpoint : SandboxEndpoint.values()) {
            counters.put(endpoint, new Counters());
            if (faults.rateLimitPerSecond() > 0) {
                limiters.put(endpoint, new RollingWindowLimiter(faults.rateLimitPerSecond()));
            }
        }
        this.random = new Random(faults.seed());
        this.handlerPool = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("sandbox-http-"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemonThreads("sandbox-timer-"));
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
        this.webhookPool = Executors.newCachedThreadPool(daemonThreads("sandbox-webhook-"));
        URI webhookUrl = config.webhookUrl();
        WebhookSender sender = webhookUrl == null ? null
                : new WebhookSender(webhookUrl, config.webhookSecret(), scheduler, webhookPool);
        this.dispatcher = new WebhookDispatcher(sender, faults, config.recordBodies(), random, clock, scheduler);
        this.simulations = new Simulations(config, clock, scheduler, dispatcher);
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
        // the JDK server leaves Nagle's algorithm on: each answer on a kept-alive connection then waits ~40 ms for the
        // client's delayed ACK (found by bench B2); read once, when the first server class loads
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        SandboxServer sandbox = new SandboxServer(config, clock);
        LOG.log(System.Logger.Level.DEBUG, "Bluejay sandbox listening on {0} ({1})", sandbox.baseUri(), config);
        return sandbox;
    }

    /** The root every client path is relative to, e.g. {@code http://127.0.0.1:43121}; no trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A consistent-enough snapshot of the counters (each read atomically) and all evaluate arrivals. */
    public SandboxStats stats() {
        Map<SandboxEndpoint, SandboxStats.EndpointStats> endpoints = new EnumMap<>(SandboxEndpoint.class);
        counters.forEach((endpoint, c) -> endpoints.put(endpoint, c.snapshot()));
        SandboxStats.EndpointStats evaluate = endpoints.get(SandboxEndpoint.EVALUATE);
        return new SandboxStats(evaluate.requests(), evaluate.accepted(), evaluate.rejected422(),
                endpoints.get(SandboxEndpoint.RETRIEVE_CALL_LOG).requests(), dispatcher.sent(), dispatcher.failures(),
                List.copyOf(arrivals), endpoints, dispatcher.sentByType(), simulations.updatePosts());
    }

    /** Every answered request (admin requests excepted), in arrival order; see {@link LoggedRequest}. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> snapshot = new ArrayList<>(requestLog);
        snapshot.sort(Comparator.comparingLong(LoggedRequest::seq));
        return snapshot;
    }

    /** Every webhook produced so far, in production order; see {@link SentWebhook}. Empty without a webhook URL. */
    public List<SentWebhook> webhooks() {
        return dispatcher.log();
    }

    /**
     * Per {@code simulation_result_id}, how many {@code POST /v1/update-simulation-result} requests were applied to
     * it (API reference §4.1: each appends its tool calls again).
     */
    public Map<String, Integer> updateSimulationResultPosts() {
        return Map.copyOf(simulations.updatePosts());
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

    // ------------------------------------------------------------------------------------------ pipeline

    /** What to answer: a status ({@code 0} = close without answer), a JSON body and extra headers. */
    private record Answer(int status, @Nullable JsonNode body, Map<String, String> headers, boolean processed,
            @Nullable String fault) {

        static Answer of(int status, JsonNode body) {
            return new Answer(status, body, Map.of(), false, null);
        }

        /** 200 for a request that took effect (or served data). */
        static Answer done(JsonNode body) {
            return new Answer(200, body, Map.of(), true, null);
        }

        static Answer reset(String fault, boolean processed) {
            return new Answer(0, null, Map.of(), processed, fault);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, body, Map.copyOf(more), processed, fault);
        }

        Answer withFault(String name) {
            return new Answer(status, body, headers, processed, name);
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath() == null ? "" : exchange.getRequestURI().getRawPath();
            if (rawPath.startsWith(ADMIN_PREFIX)) {
                admin(exchange, method, rawPath);
                return;
            }
            long seq = requestSequence.incrementAndGet();
            Instant receivedAt = clock.instant();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            SandboxEndpoint.Match match = rawPath.startsWith("/v1/") ? SandboxEndpoint.resolve(rawPath) : null;
            SandboxEndpoint endpoint = match == null ? null : match.endpoint();
            byte[] body = new byte[0];
            Answer answer;
            try {
                body = exchange.getRequestBody().readAllBytes();
                answer = dispatch(exchange, method, rawPath, rawQuery, match, body, receivedAt);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sandbox failed to answer " + method + " " + rawPath, e);
                answer = Answer.of(500, detail("Internal Server Error"));
            }
            // count and log before answering, so a client that has its answer also finds it in both
            if (endpoint != null && method.equals(endpoint.method())) {
                counters.get(endpoint).count(answer);
            }
            requestLog.add(new LoggedRequest(seq, method, rawQuery == null ? rawPath : rawPath + "?" + rawQuery,
                    answer.status(), receivedAt, endpoint, answer.fault(),
                    config.recordBodies() ? new String(body, StandardCharsets.UTF_8) : null));
            write(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    private Answer dispatch(HttpExchange exchange, String method, String rawPath, @Nullable String rawQuery,
            SandboxEndpoint.@Nullable Match match, byte[] body, Instant receivedAt) {
        if (!rawPath.startsWith("/v1/")) {
            return Answer.of(404, detail("Not Found"));
        }
        if (match == null) {
            pause();
            return Answer.of(404, detail("Not Found"));
        }
        SandboxEndpoint endpoint = match.endpoint();
        if (!method.equals(endpoint.method())) {
            pause();
            return Answer.of(405, detail("Method Not Allowed")).withHeader("Allow", endpoint.method());
        }
        counters.get(endpoint).requests.incrementAndGet();
        if (endpoint == SandboxEndpoint.EVALUATE) {
            arrivals.add(receivedAt);
        }
        pause();
        SandboxConfig.Faults faults = config.faults();
        boolean faulted = faults.appliesTo(endpoint);
        int scripted = faulted ? nextScriptedStatus() : SandboxConfig.Faults.PASS;
        if (faulted) {
            Answer fault = injectFault(endpoint, scripted);
            if (fault != null) {
                return fault;
            }
        }
        Answer unauthorized = authenticate(exchange);
        if (unauthorized != null) {
            return unauthorized;
        }
        String parameter = match.pathParameter();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Answer answer = switch (endpoint) {
            case EVALUATE -> evaluate(body, contentType);
            case RETRIEVE_CALL_LOG -> retrieve(String.valueOf(parameter));
            case RETRIEVE_CALL_LOGS -> retrieveLogs(String.valueOf(parameter), rawQuery);
            case RE_EVALUATE -> reEvaluate(String.valueOf(parameter));
            case UPDATE_SIMULATION_RESULT -> simulationRequest(body, contentType,
                    SimulationRequestValidator.UPDATE_SIMULATION_RESULT, simulations::update);
            case QUEUE_SMS_SIMULATION_RUN -> simulationRequest(body, contentType,
                    SimulationRequestValidator.QUEUE_SMS_SIMULATION_RUN, simulations::queue);
            case END_CONVERSATIONS -> simulationRequest(body, contentType,
                    SimulationRequestValidator.END_CONVERSATIONS, simulations::end);
            case RETRIEVE_SIMULATION_RESULTS -> reply(simulations.retrieveRun(String.valueOf(parameter)));
            case RETRIEVE_SIMULATION_RESULT -> reply(simulations.retrieveResult(String.valueOf(parameter)));
            case PING -> Answer.done(NODES.objectNode());
        };
        if (faulted && answer.processed() && endpoint.inDoubtFaults()) {
            if (scripted == SandboxConfig.Faults.ACCEPT_THEN_FAIL
                    || (faults.acceptThenFailRate() > 0 && random.nextDouble() < faults.acceptThenFailRate())) {
                return new Answer(504, detail(reasonPhrase(504)), Map.of(), true, "accept_then_fail");
            }
            if (faults.acceptThenResetRate() > 0 && random.nextDouble() < faults.acceptThenResetRate()) {
                return Answer.reset("accept_then_reset", true);
            }
        }
        return answer;
    }

    private void write(HttpExchange exchange, Answer answer) {
        if (answer.status() == 0) {
            exchange.close(); // no answer: the client sees a reset / premature end of stream
            return;
        }
        try {
            byte[] bytes = json.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away before the answer was written: {0}", e.toString());
        }
    }

    /** The scripted status of the next faulted request, {@link SandboxConfig.Faults#PASS} once the script ran out. */
    private int nextScriptedStatus() {
        List<Integer> script = config.faults().scriptedStatuses();
        int index = scriptedIndex.getAndUpdate(i -> i < script.size() ? i + 1 : i);
        return index < script.size() ? script.get(index) : SandboxConfig.Faults.PASS;
    }

    /**
     * Applies the scripted status (unless it is {@code PASS} or {@code ACCEPT_THEN_FAIL}, which answer after
     * processing), the rate limit, resets and the server error rate; an answer if one applied.
     */
    private @Nullable Answer injectFault(SandboxEndpoint endpoint, int scripted) {
        SandboxConfig.Faults faults = config.faults();
        if (scripted != SandboxConfig.Faults.PASS && scripted != SandboxConfig.Faults.ACCEPT_THEN_FAIL) {
            return scripted == SandboxConfig.Faults.RESET ? Answer.reset("scripted", false)
                    : fault(scripted, reasonPhrase(scripted), "scripted");
        }
        RollingWindowLimiter limiter = limiters.get(endpoint);
        if (limiter != null && !limiter.tryAcquire(System.nanoTime())) {
            return fault(429, "Rate limit exceeded: at most " + faults.rateLimitPerSecond()
                    + " requests per second", "rate_limit");
        }
        if (faults.connectionResetRate() > 0 && random.nextDouble() < faults.connectionResetRate()) {
            return Answer.reset("connection_reset", false);
        }
        if (faults.serverErrorRate() > 0 && random.nextDouble() < faults.serverErrorRate()) {
            return fault(503, reasonPhrase(503), "server_error");
        }
        return null;
    }

    private Answer fault(int status, String detail, String name) {
        Answer answer = Answer.of(status, detail(detail)).withFault(name);
        if (status == 429 || status == 503) {
            answer = answer.withHeader("Retry-After", String.valueOf(config.faults().retryAfterSeconds()));
        }
        return answer;
    }

    // ------------------------------------------------------------------------------------------ bodies

    /** A parsed body, or the 422 answer for one that is not JSON. */
    private record Body(@Nullable JsonNode json, @Nullable Answer rejection) {}

    /**
     * Parses a request body as FastAPI reads it: empty = no body (validated as {@code missing}); a non-JSON
     * content type = the raw text (which no model accepts); else JSON, or 422 {@code json_invalid}.
     */
    private Body parse(byte[] body, @Nullable String contentType) {
        if (body.length == 0) {
            return new Body(null, null);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && !isJson(contentType)) {
            return new Body(NODES.stringNode(text), null);
        }
        try {
            JsonNode parsed = json.readTree(text);
            if (parsed == null || parsed.isMissingNode()) {
                return new Body(null, jsonInvalid(text.length(), "Expecting value"));
            }
            return new Body(parsed, null);
        } catch (JacksonException e) {
            long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
            return new Body(null, jsonInvalid(offset, String.valueOf(e.getOriginalMessage())));
        }
    }

    private static Answer jsonInvalid(long offset, String reason) {
        return unprocessable(List.of(CallRequestValidator.jsonInvalid(offset, reason)));
    }

    private static Answer unprocessable(List<ObjectNode> errors) {
        ObjectNode answer = NODES.objectNode();
        answer.putArray("detail").addAll(errors);
        return Answer.of(422, answer);
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/")
                && mediaType.endsWith("+json"));
    }

    // ------------------------------------------------------------------------------------------ calls

    private Answer evaluate(byte[] body, @Nullable String contentType) {
        Body parsed = parse(body, contentType);
        if (parsed.rejection() != null) {
            return parsed.rejection();
        }
        CallRequestValidator.Outcome outcome = validator.validate(parsed.json());
        ObjectNode request = outcome.request();
        if (request == null) {
            return unprocessable(outcome.errors());
        }
        JsonNode recordingUrl = request.get("recording_url");
        if (config.fetchRecordings() && recordingUrl != null && recordingUrl.isString()) {
            String problem = recordingFetcher.problem(recordingUrl.stringValue());
            if (problem != null) {
                CallRequestValidator.Errors errors = new CallRequestValidator.Errors();
                errors.add("recording_fetch_failed", List.of("body", "recording_url"),
                        "recording_url could not be fetched: " + problem + " (sandbox rule: Bluejay must be able to fetch it)", recordingUrl, null);
                return unprocessable(errors.items);
            }
        }
        String callId = UUID.randomUUID().toString();
        StoredCall call = StoredCall.accept(callId, request, timestamp(), callSequence.incrementAndGet());
        calls.put(callId, call);
        long delayNanos = config.evaluationDelay().toNanos();
        schedule(call::markEvaluating, delayNanos / 2);
        schedule(() -> complete(call), delayNanos);
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("call_id", callId);
        answer.put("message", "Call queued for evaluation");
        return Answer.done(answer);
    }

    private void complete(StoredCall call) {
        call.complete(timestamp());
        ObjectNode event = NODES.objectNode();
        event.put("type", EVENT_TYPE);
        event.setAll(call.callLog());
        dispatcher.emit(EVENT_TYPE, call.id(), event);
    }

    private Answer retrieve(String callId) {
        StoredCall call = calls.get(callId);
        if (call == null) {
            return Answer.of(404, detail("Call log not found"));
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("call_log", call.callLog());
        answer.put("status", "200");
        return Answer.done(answer);
    }

    private Answer retrieveLogs(String agentId, @Nullable String rawQuery) {
        CallLogListing.Parsed parsed = CallLogListing.parse(query(rawQuery));
        CallLogListing listing = parsed.listing();
        if (listing == null) {
            return unprocessable(parsed.errors());
        }
        return Answer.done(listing.answer(agentId, calls.values(), clock.instant()));
    }

    private Answer reEvaluate(String rawCallId) {
        PydanticFormats.Parsed<String> uuid = PydanticFormats.uuid(rawCallId);
        PydanticFormats.Failure failure = uuid.failure();
        String callId = uuid.value();
        if (failure != null || callId == null) {
            CallRequestValidator.Errors errors = new CallRequestValidator.Errors();
            String reason = failure == null ? "invalid" : failure.reason();
            errors.add("uuid_parsing", List.of("path", "call_id"), "Input should be a valid UUID, " + reason,
                    NODES.stringNode(rawCallId), CallRequestValidator.ctx("error", reason));
            return unprocessable(errors.items);
        }
        StoredCall call = calls.get(callId);
        if (call == null) {
            return Answer.of(404, detail("Call log not found"));
        }
        call.reEvaluate();
        schedule(() -> complete(call), config.evaluationDelay().toNanos());
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("call_id", callId);
        answer.put("message", "Call queued for re-evaluation");
        return Answer.done(answer);
    }

    // ------------------------------------------------------------------------------------------ simulations

    private Answer simulationRequest(byte[] body, @Nullable String contentType,
            CallRequestValidator.ModelType model, Function<ObjectNode, Simulations.Reply> action) {
        Body parsed = parse(body, contentType);
        if (parsed.rejection() != null) {
            return parsed.rejection();
        }
        CallRequestValidator.Outcome outcome = SimulationRequestValidator.validate(model, parsed.json());
        ObjectNode request = outcome.request();
        if (request == null) {
            return unprocessable(outcome.errors());
        }
        return reply(action.apply(request));
    }

    private static Answer reply(Simulations.Reply reply) {
        return reply.status() == 200 ? Answer.done(reply.body()) : Answer.of(reply.status(), reply.body());
    }

    // ------------------------------------------------------------------------------------------ admin

    private void admin(HttpExchange exchange, String method, String rawPath) {
        try {
            exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            return;
        }
        Answer answer;
        if (!method.equals("GET")) {
            answer = Answer.of(405, detail("Method Not Allowed")).withHeader("Allow", "GET");
        } else {
            answer = switch (rawPath) {
                case "/_sandbox/requests" -> Answer.of(200, requestsJson());
                case "/_sandbox/stats" -> Answer.of(200, statsJson(stats()));
                case "/_sandbox/webhooks" -> Answer.of(200, webhooksJson());
                default -> Answer.of(404, detail("Not Found"));
            };
        }
        write(exchange, answer);
    }

    private ArrayNode requestsJson() {
        ArrayNode list = NODES.arrayNode();
        for (LoggedRequest request : requests()) {
            ObjectNode item = list.addObject();
            item.put("seq", request.seq());
            item.put("method", request.method());
            item.put("path", request.path());
            item.put("status", request.status());
            item.put("received_at", request.receivedAt().toString());
            SandboxEndpoint endpoint = request.endpoint();
            item.put("endpoint", endpoint == null ? null : endpoint.id());
            item.put("fault", request.fault());
            item.put("body", request.body());
        }
        return list;
    }

    private ArrayNode webhooksJson() {
        ArrayNode list = NODES.arrayNode();
        for (SentWebhook webhook : webhooks()) {
            ObjectNode item = list.addObject();
            item.put("seq", webhook.seq());
            item.put("type", webhook.type());
            item.put("id", webhook.id());
            item.put("produced_at", webhook.producedAt().toString());
            item.put("state", webhook.state().name());
            item.put("attempts", webhook.attempts());
            item.put("status_code", webhook.statusCode());
            item.put("body", webhook.body());
        }
        return list;
    }

    private static ObjectNode statsJson(SandboxStats stats) {
        ObjectNode json = NODES.objectNode();
        json.put("evaluate_requests", stats.evaluateRequests());
        json.put("evaluate_accepted", stats.evaluateAccepted());
        json.put("evaluate_rejected_422", stats.evaluateRejected422());
        json.put("retrieve_requests", stats.retrieveRequests());
        json.put("webhooks_sent", stats.webhooksSent());
        json.put("webhook_failures", stats.webhookFailures());
        json.put("max_evaluate_requests_in_any_sliding_second", stats.maxRequestsInAnySlidingSecond());
        json.put("accepted_then_failed", stats.acceptedThenFailed());
        json.put("accepted_then_reset", stats.acceptedThenReset());
        ObjectNode endpoints = json.putObject("endpoints");
        stats.endpoints().forEach((endpoint, counts) -> {
            ObjectNode item = endpoints.putObject(endpoint.id());
            item.put("requests", counts.requests());
            item.put("accepted", counts.accepted());
            item.put("rejected_422", counts.rejected422());
            item.put("not_found_404", counts.notFound404());
            item.put("faulted", counts.faulted());
            item.put("accepted_then_failed", counts.acceptedThenFailed());
            item.put("accepted_then_reset", counts.acceptedThenReset());
        });
        ObjectNode byType = json.putObject("webhooks_sent_by_type");
        stats.webhooksSentByType().forEach(byType::put);
        ObjectNode posts = json.putObject("update_simulation_result_posts");
        stats.updateSimulationResultPosts().forEach(posts::put);
        return json;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Now, to the microsecond as Python's datetime keeps it. */
    private Instant timestamp() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** The 401 answer for a missing, blank or wrong {@code X-API-Key}, or null when the key is accepted. */
    private @Nullable Answer authenticate(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (key == null || key.isBlank()) {
            return Answer.of(401, detail("Missing API key: send it in the X-API-Key header"));
        }
        String expected = config.apiKey();
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Answer.of(401, detail("Invalid API key"));
        }
        return null;
    }

    /** Decoded query parameters; the last value of a repeated name wins, as in Starlette. */
    static Map<String, String> query(@Nullable String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.put(decodeQuery(name), decodeQuery(value));
        }
        return parameters;
    }

    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
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

    /** The counters of one endpoint; see {@link SandboxStats.EndpointStats}. */
    private static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected422 = new AtomicLong();
        final AtomicLong notFound404 = new AtomicLong();
        final AtomicLong faulted = new AtomicLong();
        final AtomicLong acceptedThenFailed = new AtomicLong();
        final AtomicLong acceptedThenReset = new AtomicLong();

        /** Counts the outcome of one request (its arrival is counted in {@link #requests} beforehand). */
        void count(Answer answer) {
            if (answer.processed()) {
                accepted.incrementAndGet();
                if ("accept_then_fail".equals(answer.fault())) {
                    acceptedThenFailed.incrementAndGet();
                } else if ("accept_then_reset".equals(answer.fault())) {
                    acceptedThenReset.incrementAndGet();
                }
            } else if (answer.fault() != null) {
                faulted.incrementAndGet();
            } else if (answer.status() == 422) {
                rejected422.incrementAndGet();
            } else if (answer.status() == 404) {
                notFound404.incrementAndGet();
            }
        }

        SandboxStats.EndpointStats snapshot() {
            return new SandboxStats.EndpointStats(requests.get(), accepted.get(), rejected422.get(),
                    notFound404.get(), faulted.get(), acceptedThenFailed.get(), acceptedThenReset.get());
        }
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
