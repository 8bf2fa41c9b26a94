package dev.calleval.bluejay;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one shared client for the Bluejay API. Thread-safe; one instance per process serves all concurrent
 * submissions so that the rate limit holds for all of them together.
 *
 * <p>Each call goes through, from the outside in: circuit breaker (evaluate only) → retry (the only layer that
 * retries: transient failures, with exponential backoff and ±50 % jitter, or the server's {@code Retry-After}) →
 * rate limiter (every attempt takes a permit; permits are spaced {@code 1/(0.995 × rate)} apart, one per period, so
 * that no sliding second holds more than {@code rate + 1} permits, unlike a fixed 1-second window which admits
 * bursts of twice the rate across a window edge; the request is built before the permit is taken) → send window
 * (after the permit, no more than {@code floor(rate)} requests leave in any 1 s + 4 ms, however late the threads
 * woke: {@link SendWindow}) → HTTP.
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
 */
public final class BluejayClient {
    private static final Logger log = LoggerFactory.getLogger(BluejayClient.class);
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

    /**
     * Added to the 1-second window of {@link SendWindow}: room for the jitter between our send and the server's
     * arrival. Below the 0.5 % headroom of the permits (5 ms in a second), so that paced requests never wait on it.
     */
    static final Duration SEND_WINDOW_MARGIN = Duration.ofMillis(4);

    private final BluejayClientSettings settings;
    /** The base URL without trailing slashes, worked out once (not per request). */
    private final String baseUrl;
    private final HttpClient http;
    private final JsonMapper json = BluejayJson.mapper();
    private final RequestBodies bodies = new RequestBodies(json);
    private final @Nullable RateLimiter rateLimiter;
    private final @Nullable SendWindow sendWindow;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final RequestListener listener;

    /** A client that reports to no {@link RequestListener}. */
    public BluejayClient(BluejayClientSettings settings) {
        this(settings, RequestListener.NONE);
    }

    /**
     * @param listener hears every HTTP attempt, rate-limit wait and retry (e.g. the Prometheus metrics)
     */
    public BluejayClient(BluejayClientSettings settings, RequestListener listener) {
        this.settings = settings;
        this.baseUrl = settings.baseUrl().toString().replaceAll("/+$", "");
        this.listener = listener;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        this.rateLimiter = settings.requestsPerSecond() > 0 ? RateLimiter.of("bluejay", rateLimiterConfig(settings.requestsPerSecond())) : null;
        this.sendWindow = settings.requestsPerSecond() > 0 ? SendWindow.forRate(settings.requestsPerSecond(), SEND_WINDOW_MARGIN) : null;
        this.retry = Retry.of("bluejay", retryConfig(settings.retry()));
        this.retry.getEventPublisher().onRetry(event -> {
            retries.incrementAndGet();
            listener.retrying(event.getLastThrowable() instanceof BluejayApiException e ? e.operation() : "unknown");
            log.debug("retrying {} in {} ms (attempt {}): {}", event.getName(), event.getWaitInterval().toMillis(),
                    event.getNumberOfRetryAttempts() + 1, event.getLastThrowable().getMessage());
        });
        this.circuitBreaker = CircuitBreaker.of("bluejay-evaluate", CircuitBreakerConfig.custom()
                .slidingWindow(20, 20, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(60))
                .recordException(e -> e instanceof TransientApiException || e instanceof RequestInDoubtException)
                .build());
    }

    /** Which Bluejay this client talks to, as the ledger records its calls ({@link BluejayClientSettings#endpoint}). */
    public BluejayEndpoint endpoint() {
        return settings.endpoint();
    }

    /**
     * A rate limiter that hands out one permit per {@code 1/rate} period. Resilience4j's limiter refreshes all
     * permits of a period at once; with one permit per period, any sliding second holds at most
     * {@code rate + 1} permits.
     */
    static RateLimiterConfig rateLimiterConfig(double requestsPerSecond) {
        // 0.5 % headroom: a server that admits exactly N per rolling second refuses a request now and then when they
        // arrive exactly 1/N apart (network jitter bunches them), and each refusal costs a Retry-After (bench B1)
        long periodNanos = Math.max(1, Math.round(1_000_000_000d / (requestsPerSecond * 0.995)));
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(Duration.ofDays(1))
                .build();
    }

    private static RetryConfig retryConfig(BluejayClientSettings.RetrySettings retry) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                retry.initialBackoff(), 2.0, 0.5, retry.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof TransientApiException t && t.retryAfter() != null) {
                long asked = Math.min(t.retryAfter().toMillis(), retry.maxRetryAfter().toMillis());
                return asked + ThreadLocalRandom.current().nextLong(0, 250); // spread the herd a little
            }
            return backoff.apply(attempt);
        };
        return RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof TransientApiException)
                .failAfterMaxAttempts(false)
                .build();
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
        try {
            return CircuitBreaker.decorateSupplier(circuitBreaker, call).get();
        } catch (CallNotPermittedException e) {
            throw new CircuitOpenException(EVALUATE, 20);
        }
    }

    /**
     * {@code GET /v1/retrieve-call-log/{call_id}} (§2.1): the call with its evaluations. Accepts both the
     * documented shape ({@code {"call_log": {...}}}) and the older top-level shape.
     *
     * @throws PermanentApiException 404 when Bluejay does not know the call
     */
    public CallLog retrieveCallLog(String callId) {
        return resilient(true, () -> {
            HttpRequest http = base("/v1/retrieve-call-log/" + segment(callId)).GET().build();
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
        return resilient(true, () -> send(RETRIEVE_CALL_LOGS, base("/v1/retrieve-call-logs/" + segment(agentId)
                + "?page=" + page + "&page_size=" + pageSize + "&last=" + last.value()).GET().build(),
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
        return resilient(false, () -> send(RE_EVALUATE, base("/v1/re-evaluate/" + segment(callId))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), ReEvaluateCallResponse.class)).get();
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
                base("/v1/retrieve-simulation-results/" + segment(simulationRunId)).GET().build(),
                SimulationResultsResponse.class)).get();
    }

    /**
     * {@code GET /v1/retrieve-simulation-result/{test_result_id}} (§4.5): one result.
     *
     * @throws PermanentApiException 404 for an unknown result
     */
    public SimulationResult retrieveSimulationResult(String testResultId) {
        return resilient(true, () -> send(RETRIEVE_SIMULATION_RESULT,
                base("/v1/retrieve-simulation-result/" + segment(testResultId)).GET().build(),
                SingleSimulationResultResponse.class)).get().simulationResult();
    }

    /** {@code GET /v1/ping}: liveness and key check. */
    public void ping() {
        resilient(true, () -> send(PING, base("/v1/ping").GET().build(), JsonNode.class)).get();
    }

    /** Counters since start: attempts sent, 429 answers, retries scheduled, requests left in doubt. */
    public Stats stats() {
        return new Stats(attempts.get(), tooManyRequests.get(), retries.get(), inDoubt.get());
    }

    /** Request counters of this client. */
    public record Stats(long attempts, long tooManyRequests, long retries, long inDoubt) {}

    /**
     * Rate limiter inside retry. For a request that is not idempotent, an ambiguous failure becomes a
     * {@link RequestInDoubtException}, which the retry does not retry.
     */
    private <T> Supplier<T> resilient(boolean idempotent, Supplier<T> attempt) {
        Supplier<T> guarded = idempotent ? attempt : () -> {
            try {
                return attempt.get();
            } catch (TransientApiException e) {
                if (e.requestMayHaveArrived()) {
                    inDoubt.incrementAndGet();
                    throw new RequestInDoubtException(e.operation(), e.status(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
                }
                throw e;
            } catch (PermanentApiException e) {
                if (e.status() >= 200 && e.status() < 300) { // acted on, but the answer (the new id) is unreadable
                    inDoubt.incrementAndGet();
                    throw new RequestInDoubtException(e.operation(), e.status(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
                }
                throw e;
            }
        };
        RateLimiter limiter = rateLimiter;
        SendWindow window = sendWindow;
        Supplier<T> limited = limiter == null ? guarded : () -> {
            long asked = System.nanoTime();
            RateLimiter.waitForPermission(limiter);
            if (window != null) {
                try {
                    window.awaitStart();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("not sent: interrupted while waiting for the rate limit", e);
                }
            }
            listener.rateLimiterWaited(System.nanoTime() - asked);
            return guarded.get();
        };
        return Retry.decorateSupplier(retry, limited);
    }

    private HttpRequest post(String path, Object body) {
        return base(path)
                .header("Content-Type", "application/json")
                .POST(bodies.publisher(body))
                .build();
    }

    private static String segment(String pathValue) {
        return URLEncoder.encode(pathValue, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "calleval/0.1")
                .header("X-API-Key", settings.apiKey().reveal());
    }

    /** Why a connection could not be made, in words (no exception class names). */
    private static String connectFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host name does not resolve";
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        String message = firstLine(e);
        return message.isEmpty() || message.equals(e.getClass().getName()) ? "connection refused" : message;
    }

    /** The first line of the innermost message of {@code e}, or a word for its kind. */
    private static String firstLine(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return e instanceof java.io.EOFException ? "the connection was closed" : "connection refused";
        }
        return message.lines().findFirst().orElse("").strip();
    }

    private <T> T send(String operation, HttpRequest request, Class<T> type) {
        attempts.incrementAndGet();
        HttpResponse<byte[]> response;
        int answered = 0;
        long sent = System.nanoTime();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            answered = response.statusCode();
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new TransientApiException(operation, 0, "cannot connect to " + settings.baseUrl() + " (" + connectFailure(e) + ")", null, false, e);
        } catch (HttpTimeoutException e) {
            throw new TransientApiException(operation, 0, "no response within " + settings.requestTimeout().toMillis() + " ms", null, true, e);
        } catch (javax.net.ssl.SSLException e) {
            // the TLS handshake failed (certificate not trusted, wrong protocol): nothing was sent
            throw new TransientApiException(operation, 0, "TLS with " + settings.baseUrl() + " failed (" + firstLine(e) + "); check BLUEJAY_BASE_URL "
                    + "and the certificate", null, false, e);
        } catch (IOException e) {
            throw new TransientApiException(operation, 0, "connection to " + settings.baseUrl() + " failed (" + firstLine(e) + ")", null, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientApiException(operation, 0, "interrupted", null, true, e);
        } finally {
            listener.responded(operation, answered, System.nanoTime() - sent);
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status >= 200 && status < 300) {
            try {
                return json.readValue(body, type);
            } catch (JacksonException e) {
                throw new PermanentApiException(operation, status, "response is not the documented JSON: " + e.getOriginalMessage());
            }
        }
        if (status == 401 || status == 403) {
            throw new AuthenticationFailedException(operation, status);
        }
        if (status == 422) {
            throw new ValidationFailedException(operation, parseFieldErrors(body));
        }
        if (status == 408 || status == 429 || status >= 500) {
            if (status == 429) {
                tooManyRequests.incrementAndGet();
            }
            boolean mayHaveArrived = status == 500 || status == 502 || status == 504;
            throw new TransientApiException(operation, status, detail(body), retryAfter(response), mayHaveArrived, null);
        }
        throw new PermanentApiException(operation, status, detail(body));
    }

    private List<ApiFieldError> parseFieldErrors(byte[] body) {
        List<ApiFieldError> errors = new ArrayList<>();
        try {
            JsonNode detail = json.readTree(body).path("detail");
            if (detail.isArray()) {
                for (JsonNode item : detail) {
                    List<Object> loc = new ArrayList<>();
                    item.path("loc").forEach(part -> loc.add(part.isNumber() ? (Object) part.asInt() : part.asString()));
                    errors.add(new ApiFieldError(loc, item.path("msg").asString(""), item.path("type").asString("")));
                }
            } else if (detail.isString()) {
                errors.add(new ApiFieldError(List.of(), detail.asString(), ""));
            }
        } catch (JacksonException e) {
            errors.add(new ApiFieldError(List.of(), "422 with a body that is not JSON: " + abbreviate(new String(body, StandardCharsets.UTF_8)), ""));
        }
        return errors;
    }

    private String detail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode detail = json.readTree(body).path("detail");
            if (!detail.isMissingNode()) {
                return abbreviate(detail.isString() ? detail.asString() : detail.toString());
            }
        } catch (JacksonException ignored) {
            // not JSON: show the text
        }
        return text.isBlank() ? "(empty body)" : abbreviate(text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date; null when absent or unreadable. */
    static @Nullable Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
