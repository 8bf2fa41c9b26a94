package dev.calleval.enrichment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

// replace with SandboxServer once it serves update-simulation-result
/**
 * A loopback stand-in for Bluejay's {@code POST /v1/update-simulation-result} (API reference §4.1), for the enrich
 * tests only: answers 404 for a simulation result it does not know, otherwise applies the update (counts it per
 * id, keeps the body) and answers 200 {@code {"status":"success"}}. Faults: answer 504 after applying the update for
 * chosen ids (accept-then-fail: the client cannot tell it was applied), refuse the API key (401, nothing applied)
 * once a number of updates have been applied, or answer an id as scripted (status, body, applied or not, delay).
 * Any other path: 404. Thread-safe.
 */
final class FakeUpdateSimulationResultEndpoint implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Set<String> known = new HashSet<>();
    private final Set<String> failAfterApplying = new HashSet<>();
    private final Map<String, Integer> applied = new HashMap<>();
    private final Map<String, JsonNode> lastBody = new HashMap<>();
    private int requests;
    private int appliedTotal;
    private final Map<String, Scripted> scripted = new HashMap<>();
    private int refuseKeyAfter = Integer.MAX_VALUE;

    /** A scripted answer for one id: status and body, whether the update is applied first, and a delay before answering. */
    record Scripted(int status, String body, boolean applies, long delayMs) {}

    private FakeUpdateSimulationResultEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts on a free loopback port, knowing these simulation result ids. */
    static FakeUpdateSimulationResultEndpoint start(String... knownIds) throws IOException {
        FakeUpdateSimulationResultEndpoint endpoint = new FakeUpdateSimulationResultEndpoint();
        endpoint.know(knownIds);
        return endpoint;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void know(String... ids) {
        known.addAll(Set.of(ids));
    }

    /** Applies updates of these ids, then answers 504 (until {@link #answerNormally}). */
    synchronized void answer504AfterApplying(String... ids) {
        failAfterApplying.addAll(Set.of(ids));
    }

    /** Once {@code n} updates have been applied in all, answers 401 to every request (until {@link #answerNormally}). */
    synchronized void refuseKeyAfter(int n) {
        refuseKeyAfter = n;
    }

    /** Answers requests for {@code id} as scripted (until {@link #answerNormally}). */
    synchronized void script(String id, Scripted answer) {
        scripted.put(id, answer);
    }

    synchronized void answerNormally() {
        scripted.clear();
        failAfterApplying.clear();
        refuseKeyAfter = Integer.MAX_VALUE;
    }

    /** How many times the update of this result was applied (each one adds its tool calls again at Bluejay). */
    synchronized int posts(String id) {
        return applied.getOrDefault(id, 0);
    }

    /** Applied updates per simulation result id. */
    synchronized Map<String, Integer> updateSimulationResultPosts() {
        return Map.copyOf(applied);
    }

    /** Every request received, whatever the answer. */
    synchronized int requests() {
        return requests;
    }

    synchronized @Nullable JsonNode lastBody(String id) {
        return lastBody.get(id);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!exchange.getRequestURI().getPath().equals("/v1/update-simulation-result")) {
                send(exchange, 404, "{\"detail\":\"Not Found\"}");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{\"detail\":\"Method Not Allowed\"}");
                return;
            }
            int status;
            String answer;
            long delayMs = 0;
            synchronized (this) {
                requests++;
                JsonNode json = JSON.readTree(body);
                String id = json.path("simulation_result_id").asString("");
                if (exchange.getRequestHeaders().getFirst("X-API-Key") == null || appliedTotal >= refuseKeyAfter) {
                    status = 401;
                    answer = "{\"detail\":\"Invalid API key\"}";
                } else if (scripted.containsKey(id)) {
                    Scripted script = scripted.get(id);
                    if (script.applies()) {
                        applied.merge(id, 1, Integer::sum);
                        appliedTotal++;
                        lastBody.put(id, json);
                    }
                    status = script.status();
                    answer = script.body();
                    delayMs = script.delayMs();
                } else if (!known.contains(id)) {
                    status = 404;
                    answer = "{\"detail\":\"Simulation result not found\"}";
                } else {
                    applied.merge(id, 1, Integer::sum);
                    appliedTotal++;
                    lastBody.put(id, json);
                    status = failAfterApplying.contains(id) ? 504 : 200;
                    answer = status == 504 ? "{\"detail\":\"Gateway Timeout\"}" : "{\"status\":\"success\",\"message\":\"updated\"}";
                }
            }
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(exchange, status, answer);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
