package dev.calleval.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 *       null), "body" (text, or null unless recordBodies)}} ({@code webhooks()}).</li>
 * </ul>
 *
 * <h2>Evaluations</h2>
 * The sandbox has no judge and never invents judgement. A call's evaluation holds metrics computed from the
 * inline {@code transcript}, and the judgement the call's own {@code metadata} scripts ({@link ScriptedJudgement}:
 * {@code sandbox_goal_success}, {@code sandbox_hallucination}, {@code sandbox_sentiment},
 * {@code sandbox_custom_metrics}); every other judged field ({@code redundancy}, {@code call_summary},
 * {@code sentiment_score*}, {@code pronunciation_*}, {@code custom_evals*}) is null. With
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
 *
 * <p>Inside, one small package-private class per job: {@code ApiHandler} (routing, latency, API key, counters,
 * request log), {@code FaultInjector}, {@code CallsApi}, {@code SimulationsApi} over {@code Simulations},
 * {@code AdminApi}, {@code WebhookDispatcher} and {@code WebhookSender}.
 */
public final class SandboxServer implements AutoCloseable {

    /** Threads serving HTTP requests. */
    static final int HANDLER_THREADS = 64;

    private static final System.Logger LOG = System.getLogger(SandboxServer.class.getName());

    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService handlerPool;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService webhookPool;
    private final WebhookDispatcher dispatcher;
    private final Simulations simulations;
    private final ApiHandler api;
    private final HttpServer server;

    private SandboxServer(SandboxConfig config, Clock clock) throws IOException {
        SandboxConfig.Faults faults = config.faults();
        Random random = new Random(faults.seed()); // one source for request and webhook faults: a seed replays a run
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
        JsonExchange bodies = new JsonExchange();
        this.api = new ApiHandler(config, clock, new FaultInjector(faults, random),
                new CallsApi(config, clock, scheduler, dispatcher, bodies), new SimulationsApi(simulations, bodies),
                new AdminApi(this, bodies), bodies);
        try {
            this.server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port()), 256);
        } catch (IOException e) {
            shutdownExecutors();
            throw new IOException("cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
        }
        this.server.setExecutor(handlerPool);
        this.server.createContext("/", api);
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

    /**
     * Makes a call another sandbox accepted known to this one, from its {@code CallLog} JSON as
     * {@code GET /v1/retrieve-call-log} showed it ({@code call_log}): retrieve-call-log and re-evaluate then answer for
     * it as for a call this sandbox accepted; a re-evaluation appends a copy of its newest evaluation with a new id and
     * time (the same transcript computes the same metrics) and sends the webhook. Nothing is validated but the id.
     *
     * @throws IllegalArgumentException when the text is not a JSON object with a string {@code id}
     */
    public void importCallLog(String callLogJson) {
        tools.jackson.databind.JsonNode parsed;
        try {
            parsed = tools.jackson.databind.json.JsonMapper.builder().build().readTree(callLogJson);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not a call log: " + e.getOriginalMessage(), e);
        }
        if (!(parsed instanceof tools.jackson.databind.node.ObjectNode log)) {
            throw new IllegalArgumentException("a call log is a JSON object");
        }
        api.calls().importCall(log);
    }

    /** A consistent-enough snapshot of the counters (each read atomically) and all evaluate arrivals. */
    public SandboxStats stats() {
        Map<SandboxEndpoint, SandboxStats.EndpointStats> endpoints = api.endpointStats();
        SandboxStats.EndpointStats evaluate = endpoints.get(SandboxEndpoint.EVALUATE);
        return new SandboxStats(evaluate.requests(), evaluate.accepted(), evaluate.rejected422(),
                endpoints.get(SandboxEndpoint.RETRIEVE_CALL_LOG).requests(), dispatcher.sent(), dispatcher.failures(),
                api.evaluateArrivals(), endpoints, dispatcher.sentByType(), simulations.updatePosts());
    }

    /** Every answered request (admin requests excepted), in arrival order; see {@link LoggedRequest}. */
    public List<LoggedRequest> requests() {
        return api.requests();
    }

    /** Every webhook produced so far, in production order; see {@link SentWebhook}. Empty without a webhook URL. */
    List<SentWebhook> webhooks() {
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

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
