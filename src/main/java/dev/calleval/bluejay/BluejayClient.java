package dev.calleval.bluejay;

import java.net.http.HttpRequest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one shared client for the Bluejay API. Thread-safe; one instance per process serves all concurrent
 * submissions so that the rate limit holds for all of them together.
 *
 * <p>Each call goes through, from the outside in: circuit breaker (evaluate only) → retry (the only layer that
 * retries: transient failures, with exponential backoff and ±50 % jitter, or the server's {@code Retry-After}) →
 * the {@link RequestBudget}: by default the client's own rate limiter (every attempt takes a permit; permits are spaced {@code 1/(0.995 × rate)} apart, one per period, so
 * that no sliding second holds more than {@code rate + 1} permits, unlike a fixed 1-second window which admits
 * bursts of twice the rate across a window edge; the request is built before the permit is taken) → send window
 * (after the permit, no more than {@code floor(rate)} requests leave in any 1 s + 4 ms, however late the threads
 * woke: {@link SendWindow}); or the account's budget, shared by every execution on the state store, which a 429
 * pauses for all of them (docs/rate-budget.md) → HTTP.
 *
 * <p>Requests that are not idempotent (evaluate, re-evaluate, update-simulation-result, queue-sms-simulation-run) are
 * retried only when the failure proves the server did not act on them (connection refused, 408, 429, 503); after an
 * ambiguous failure (timeout or reset after sending, 500/502/504) they throw {@link RequestInDoubtException} at
 * once, so the caller records them as in doubt instead of sending them twice.
 *
 * <p>Errors: see {@link BluejayApiException}. The API key is sent only in the {@code X-API-Key} header and
 * never appears in exceptions or logs.
 *
 * <p>Every HTTP attempt, rate-limit wait and retry is reported to the {@link RequestListener} given at construction
 * (metrics; none by default).
 *
 * <p>Inside, one package-private class per job: {@code BluejayRequests} builds the requests,
 * {@code BluejayResilience} holds the layers around an attempt, {@code BluejayTransport} sends one attempt and
 * turns its answer into a result or an exception.
 */
public final class BluejayClient {
    static final String EVALUATE = "POST /v1/evaluate";
    static final String RETRIEVE_CALL_LOG = "GET /v1/retrieve-call-log";
    static final String PING = "GET /v1/ping";
    static final String RETRIEVE_CALL_LOGS = "GET /v1/retrieve-call-logs";
    static final String RE_EVALUATE = "POST /v1/re-evaluate";
    static final String QUEUE_SMS = "POST /v1/queue-sms-simulation-run";
    static final String END_CONVERSATIONS = "POST /v1/end-conversations";
    static final String UPDATE_SIMULATION_RESULT = "POST /v1/update-simulation-result";
    static final String RETRIEVE_SIMULATION_RESULTS = "GET /v1/retrieve-simulation-results";
    static final String RETRIEVE_SIMULATION_RESULT = "GET /v1/retrieve-simulation-result";

    private final BluejayClientSettings settings;
    private final JsonMapper json = BluejayJson.mapper();
    private final BluejayRequests requests;
    private final BluejayResilience resilience;
    private final BluejayTransport transport;
    private final RequestBudget budget;

    /** A client that reports to no {@link RequestListener}. */
    public BluejayClient(BluejayClientSettings settings) {
        this(settings, RequestListener.NONE);
    }

    /**
     * @param listener hears every HTTP attempt, rate-limit wait and retry (e.g. the Prometheus metrics)
     */
    public BluejayClient(BluejayClientSettings settings, RequestListener listener) {
        this(settings, listener, RequestBudget.local(settings.requestsPerSecond()));
    }

    /**
     * @param listener hears every HTTP attempt, rate-limit wait and retry
     * @param budget where every attempt takes its permit, and which hears every 429: the account's budget shared by all
     *     executions (dev.calleval.budget), or {@link RequestBudget#local} pacing this client alone
     */
    public BluejayClient(BluejayClientSettings settings, RequestListener listener, RequestBudget budget) {
        this.settings = settings;
        this.budget = budget;
        this.requests = new BluejayRequests(settings, new RequestBodies(json));
        this.resilience = new BluejayResilience(settings, listener, budget);
        this.transport = new BluejayTransport(settings, json, listener);
    }

    /** Which Bluejay this client talks to, as the ledger records its calls ({@link BluejayClientSettings#endpoint}). */
    public BluejayEndpoint endpoint() {
        return settings.endpoint();
    }

    /**
     * {@code POST /v1/evaluate} (§1): submits one call for evaluation.
     *
     * @return the new call's id
     * @throws ValidationFailedException 422, with the field errors
     * @throws AuthenticationFailedException 401/403
     * @throws TransientApiException retries exhausted on failures that prove the call was not created
     * @throws RequestInDoubtException an ambiguous failure: the call may exist; not retried
     * @throws PermanentApiException other 4xx
     * @throws CircuitOpenException the recent calls all failed; not attempted
     */
    public EvaluateCallResponse evaluate(EvaluateRequest request) {
        return evaluate(request, () -> {});
    }

    /**
     * {@link #evaluate(EvaluateRequest)}, calling {@code onAttempt} before each HTTP attempt (first and retries),
     * so the caller can count attempts for the ledger.
     */
    public EvaluateCallResponse evaluate(EvaluateRequest request, Runnable onAttempt) {
        HttpRequest http = post("/v1/evaluate", request); // built (body serialised) before a rate-limit permit is taken
        Supplier<EvaluateCallResponse> call = resilient(false, () -> {
            onAttempt.run();
            return send(EVALUATE, http, EvaluateCallResponse.class);
        });
        return resilience.throughCircuitBreaker(EVALUATE, call);
    }

    /**
     * {@code GET /v1/retrieve-call-log/{call_id}} (§2.1): the call with its evaluations. Accepts both the
     * documented shape ({@code {"call_log": {...}}}) and the older top-level shape.
     *
     * @throws PermanentApiException 404 when Bluejay does not know the call
     */
    public CallLog retrieveCallLog(String callId) {
        return resilient(true, () -> {
            HttpRequest http = requests.get("/v1/retrieve-call-log/" + segment(callId));
            JsonNode node = send(RETRIEVE_CALL_LOG, http, JsonNode.class);
            JsonNode log = node.has("call_log") ? node.get("call_log") : node;
            return json.treeToValue(log, CallLog.class);
        }).get();
    }

    /**
     * {@code GET /v1/retrieve-call-logs/{agent_id}} (§2.4): one page of an agent's calls, newest first.
     *
     * @param page 1-based page number
     * @param pageSize calls per page, 1–100
     * @param last the time window
     */
    public RetrieveCallLogsResponse retrieveCallLogs(String agentId, int page, int pageSize, CallLogWindow last) {
        if (page < 1 || pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("page must be >= 1 and page_size 1..100, got " + page + " and " + pageSize);
        }
        return resilient(true, () -> send(RETRIEVE_CALL_LOGS, requests.get("/v1/retrieve-call-logs/" + segment(agentId)
                + "?page=" + page + "&page_size=" + pageSize + "&last=" + last.value()),
                RetrieveCallLogsResponse.class)).get();
    }

    /**
     * {@code POST /v1/re-evaluate/{call_id}} (§6): a new evaluation of an existing call, reported like the first.
     * Not idempotent (each request adds an evaluation).
     *
     * @throws RequestInDoubtException an ambiguous failure; not retried
     * @throws PermanentApiException 404 for an unknown call
     */
    public ReEvaluateCallResponse reEvaluate(String callId) {
        return resilient(false, () -> send(RE_EVALUATE, requests.postEmpty("/v1/re-evaluate/" + segment(callId)), ReEvaluateCallResponse.class)).get();
    }

    /**
     * {@code POST /v1/queue-sms-simulation-run} (§4.2): queues a run; its result ids come back at once. Not
     * idempotent (each request queues a run).
     *
     * @throws RequestInDoubtException an ambiguous failure: a run may have been queued; not retried
     * @throws PermanentApiException 404 for an unknown simulation
     */
    public SimulationRunResponse queueSmsSimulationRun(SmsSimulationRunRequest request) {
        return resilient(false, () -> send(QUEUE_SMS, post("/v1/queue-sms-simulation-run", request),
                SimulationRunResponse.class)).get();
    }

    /**
     * {@code POST /v1/end-conversations} (§4.3): marks RUNNING test results for ending. Safe to repeat (a result
     * already ended is reported in {@code failed_ids}), so ambiguous failures are retried.
     */
    public EndConversationsResponse endConversations(EndConversationsRequest request) {
        return resilient(true, () -> send(END_CONVERSATIONS, post("/v1/end-conversations", request),
                EndConversationsResponse.class)).get();
    }

    /**
     * {@code POST /v1/update-simulation-result} (§4.1): enriches a simulation result. Not idempotent (a second post
     * duplicates the tool calls).
     *
     * @param onAttempt called before each HTTP attempt
     * @throws RequestInDoubtException an ambiguous failure: the update may have been applied; not retried
     * @throws PermanentApiException 404 for an unknown result
     * @throws ValidationFailedException 422
     */
    public UpdateSimulationResponse updateSimulationResult(UpdateSimulationResultRequest request, Runnable onAttempt) {
        HttpRequest http = post("/v1/update-simulation-result", request);
        return resilient(false, () -> {
            onAttempt.run();
            return send(UPDATE_SIMULATION_RESULT, http, UpdateSimulationResponse.class);
        }).get();
    }

    /** {@code GET /v1/retrieve-simulation-results/{simulation_run_id}} (§4.4): a run's totals and its results. */
    public SimulationResultsResponse retrieveSimulationResults(String simulationRunId) {
        return resilient(true, () -> send(RETRIEVE_SIMULATION_RESULTS,
                requests.get("/v1/retrieve-simulation-results/" + segment(simulationRunId)),
                SimulationResultsResponse.class)).get();
    }

    /**
     * {@code GET /v1/retrieve-simulation-result/{test_result_id}} (§4.5): one result.
     *
     * @throws PermanentApiException 404 for an unknown result
     */
    public SimulationResult retrieveSimulationResult(String testResultId) {
        return resilient(true, () -> send(RETRIEVE_SIMULATION_RESULT,
                requests.get("/v1/retrieve-simulation-result/" + segment(testResultId)),
                SingleSimulationResultResponse.class)).get().simulationResult();
    }

    /** {@code GET /v1/ping}: liveness and key check. */
    public void ping() {
        resilient(true, () -> send(PING, requests.get("/v1/ping"), JsonNode.class)).get();
    }

    /** This client's share of its account's budget, for progress lines; null when the client paces itself alone. */
    public RequestBudget.@Nullable Share budgetShare() {
        return budget.share();
    }

    /** Counters since start: attempts sent, 429 answers, retries scheduled, requests left in doubt. */
    public Stats stats() {
        return new Stats(transport.attempts(), transport.tooManyRequests(), resilience.retries(), resilience.inDoubt());
    }

    /** Request counters of this client. */
    public record Stats(long attempts, long tooManyRequests, long retries, long inDoubt) {}

    private <T> Supplier<T> resilient(boolean idempotent, Supplier<T> attempt) {
        return resilience.resilient(idempotent, attempt);
    }

    private <T> T send(String operation, HttpRequest request, Class<T> type) {
        return transport.send(operation, request, type);
    }

    private HttpRequest post(String path, Object body) {
        return requests.post(path, body);
    }

    private static String segment(String pathValue) {
        return BluejayRequests.segment(pathValue);
    }
}
