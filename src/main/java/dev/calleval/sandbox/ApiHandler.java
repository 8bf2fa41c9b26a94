package dev.calleval.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The pipeline every request goes through: admin paths to {@link AdminApi}; a {@code /v1} request is routed
 * ({@link SandboxEndpoint}), counted, offered to the {@link FaultInjector} on arrival (before its body is read: the
 * rate limit counts arrivals, at the instant the request log records), delayed by the latency, authenticated, answered
 * by {@link CallsApi} or {@link SimulationsApi}, logged ({@link LoggedRequest}) and written. Thread-safe.
 */
final class ApiHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(SandboxServer.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SandboxConfig config;
    private final Clock clock;
    private final FaultInjector faults;
    private final CallsApi calls;
    private final SimulationsApi simulations;
    private final AdminApi admin;
    private final JsonExchange bodies;
    private final Map<SandboxEndpoint, EndpointCounters> counters = new EnumMap<>(SandboxEndpoint.class);
    private final ConcurrentLinkedQueue<Instant> arrivals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LoggedRequest> requestLog = new ConcurrentLinkedQueue<>();
    private final AtomicLong requestSequence = new AtomicLong();

    /** The calls API, for calls imported by {@link SandboxServer#importCallLog}. */
    CallsApi calls() {
        return calls;
    }

    ApiHandler(SandboxConfig config, Clock clock, FaultInjector faults, CallsApi calls, SimulationsApi simulations,
            AdminApi admin, JsonExchange bodies) {
        this.config = config;
        this.clock = clock;
        this.faults = faults;
        this.calls = calls;
        this.simulations = simulations;
        this.admin = admin;
        this.bodies = bodies;
        for (SandboxEndpoint endpoint : SandboxEndpoint.values()) {
            counters.put(endpoint, new EndpointCounters());
        }
    }

    /** A snapshot of every endpoint's counters (all endpoints present). */
    Map<SandboxEndpoint, SandboxStats.EndpointStats> endpointStats() {
        Map<SandboxEndpoint, SandboxStats.EndpointStats> endpoints = new EnumMap<>(SandboxEndpoint.class);
        counters.forEach((endpoint, c) -> endpoints.put(endpoint, c.snapshot()));
        return endpoints;
    }

    /** The arrival time of every evaluate request so far, in arrival order. */
    List<Instant> evaluateArrivals() {
        return List.copyOf(arrivals);
    }

    /** Every answered request (admin requests excepted), in arrival order. */
    List<LoggedRequest> requests() {
        List<LoggedRequest> snapshot = new ArrayList<>(requestLog);
        snapshot.sort(Comparator.comparingLong(LoggedRequest::seq));
        return snapshot;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath() == null ? "" : exchange.getRequestURI().getRawPath();
            if (rawPath.startsWith(AdminApi.PREFIX)) {
                admin.handle(exchange, method, rawPath);
                return;
            }
            long seq = requestSequence.incrementAndGet();
            Instant receivedAt = clock.instant();
            long receivedNanos = System.nanoTime(); // the same instant, for the rate limit (a monotonic clock)
            String rawQuery = exchange.getRequestURI().getRawQuery();
            SandboxEndpoint.Match match = rawPath.startsWith("/v1/") ? SandboxEndpoint.resolve(rawPath) : null;
            SandboxEndpoint endpoint = match == null ? null : match.endpoint();
            boolean routed = endpoint != null && method.equals(endpoint.method()); // a known endpoint, by its method
            byte[] body = new byte[0];
            Answer answer;
            try {
                Arrival arrival = routed ? arrive(endpoint, receivedAt, receivedNanos) : Arrival.NONE;
                body = exchange.getRequestBody().readAllBytes();
                answer = dispatch(exchange, method, rawPath, rawQuery, match, body, arrival);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sandbox failed to answer " + method + " " + rawPath, e);
                answer = Answer.of(500, Answer.detail("Internal Server Error"));
            }
            // count and log before answering, so a client that has its answer also finds it in both
            if (routed) {
                counters.get(endpoint).count(answer);
            }
            requestLog.add(new LoggedRequest(seq, method, rawQuery == null ? rawPath : rawPath + "?" + rawQuery,
                    answer.status(), receivedAt, endpoint, answer.fault(),
                    config.recordBodies() ? new String(body, StandardCharsets.UTF_8) : null));
            bodies.write(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    /**
     * What is decided when a request arrives, before its body is read (a slow body does not move it): its count, and
     * the faults that answer instead of the endpoint (scripted statuses, the rate limit, resets, server errors).
     *
     * @param faulted whether the fault injector applies to the endpoint (then {@code scripted} and {@code fault} are its)
     * @param fault the answer a fault gives instead of the endpoint's, or null
     */
    private record Arrival(boolean faulted, int scripted, @Nullable Answer fault) {
        static final Arrival NONE = new Arrival(false, SandboxConfig.Faults.PASS, null);
    }

    /**
     * Counts a request to a known endpoint (by its method) and decides its faults, at the instant of arrival the request
     * log records (its headers read): a server's rate limit counts arrivals, so the log's busiest second and the 429s
     * agree.
     */
    private Arrival arrive(SandboxEndpoint endpoint, Instant receivedAt, long receivedNanos) {
        counters.get(endpoint).requests.incrementAndGet();
        if (endpoint == SandboxEndpoint.EVALUATE) {
            arrivals.add(receivedAt);
        }
        if (!faults.appliesTo(endpoint)) {
            return Arrival.NONE;
        }
        int scripted = faults.nextScriptedStatus();
        return new Arrival(true, scripted, faults.before(endpoint, scripted, receivedNanos));
    }

    private Answer dispatch(HttpExchange exchange, String method, String rawPath, @Nullable String rawQuery,
            SandboxEndpoint.@Nullable Match match, byte[] body, Arrival arrival) {
        if (!rawPath.startsWith("/v1/")) {
            return Answer.of(404, Answer.detail("Not Found"));
        }
        if (match == null) {
            pause();
            return Answer.of(404, Answer.detail("Not Found"));
        }
        SandboxEndpoint endpoint = match.endpoint();
        if (!method.equals(endpoint.method())) {
            pause();
            return Answer.of(405, Answer.detail("Method Not Allowed")).withHeader("Allow", endpoint.method());
        }
        // answered after the latency like every other answer, faults decided on arrival included
        pause();
        if (arrival.fault() != null) {
            return arrival.fault();
        }
        Answer unauthorized = authenticate(exchange);
        if (unauthorized != null) {
            return unauthorized;
        }
        String parameter = String.valueOf(match.pathParameter());
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Answer answer = switch (endpoint) {
            case EVALUATE -> calls.evaluate(body, contentType);
            case RETRIEVE_CALL_LOG -> calls.retrieve(parameter);
            case RETRIEVE_CALL_LOGS -> calls.retrieveLogs(parameter, rawQuery);
            case RE_EVALUATE -> calls.reEvaluate(parameter);
            case UPDATE_SIMULATION_RESULT -> simulations.update(body, contentType);
            case QUEUE_SMS_SIMULATION_RUN -> simulations.queue(body, contentType);
            case END_CONVERSATIONS -> simulations.end(body, contentType);
            case RETRIEVE_SIMULATION_RESULTS -> simulations.retrieveRun(parameter);
            case RETRIEVE_SIMULATION_RESULT -> simulations.retrieveResult(parameter);
            case PING -> Answer.done(NODES.objectNode());
        };
        return arrival.faulted() ? faults.after(endpoint, arrival.scripted(), answer) : answer;
    }

    /** The 401 answer for a missing, blank or wrong {@code X-API-Key}, or null when the key is accepted. */
    private @Nullable Answer authenticate(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (key == null || key.isBlank()) {
            return Answer.of(401, Answer.detail("Missing API key: send it in the X-API-Key header"));
        }
        String expected = config.apiKey();
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8))) {
            return Answer.of(401, Answer.detail("Invalid API key"));
        }
        return null;
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
}
