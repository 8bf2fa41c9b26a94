package dev.calleval.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin endpoints under {@code /_sandbox/} ({@code requests}, {@code stats}, {@code webhooks}; shapes in
 * {@link SandboxServer}): {@code GET} only, without API key, latency or faults, and not logged. Thread-safe.
 */
final class AdminApi {

    static final String PREFIX = "/_sandbox/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SandboxServer sandbox;
    private final JsonExchange bodies;

    AdminApi(SandboxServer sandbox, JsonExchange bodies) {
        this.sandbox = sandbox;
        this.bodies = bodies;
    }

    void handle(HttpExchange exchange, String method, String rawPath) {
        try {
            exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            return;
        }
        Answer answer;
        if (!method.equals("GET")) {
            answer = Answer.of(405, Answer.detail("Method Not Allowed")).withHeader("Allow", "GET");
        } else {
            answer = switch (rawPath) {
                case "/_sandbox/requests" -> Answer.of(200, requestsJson());
                case "/_sandbox/stats" -> Answer.of(200, statsJson(sandbox.stats()));
                case "/_sandbox/webhooks" -> Answer.of(200, webhooksJson());
                default -> Answer.of(404, Answer.detail("Not Found"));
            };
        }
        bodies.write(exchange, answer);
    }

    private ArrayNode requestsJson() {
        ArrayNode list = NODES.arrayNode();
        for (LoggedRequest request : sandbox.requests()) {
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
        for (SentWebhook webhook : sandbox.webhooks()) {
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
}
