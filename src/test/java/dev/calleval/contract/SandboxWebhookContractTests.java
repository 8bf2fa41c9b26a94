package dev.calleval.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EndConversationsRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.SimulationResult;
import dev.calleval.bluejay.SimulationResultsResponse;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.contract.SampleRequests.Variant;
import dev.calleval.sandbox.DigitalHumanSpec;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.sandbox.SimulationSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * What Bluejay sends us, as far as we imitate it, validates against the spec: the example webhook bodies in
 * {@code sample-data/webhooks/} (each against the schema the discriminator maps its {@code type} to), the
 * sandbox's {@code observability_call_evaluated} webhook, {@code retrieve-call-log} and evaluate responses for
 * calls our client submits, and, for simulation runs queued, updated and ended with the client's own request
 * bodies, the answers of the five simulation endpoints and the {@code simulation_ended},
 * {@code simulation_result_evaluated} and {@code outbound_simulation_started} webhooks. The sandbox runs on loopback
 * and posts its webhooks to a loopback receiver.
 */
class SandboxWebhookContractTests {

    private static final Path WEBHOOK_SAMPLES = Path.of("sample-data", "webhooks");
    private static final List<String> WEBHOOK_TYPES = List.of("observability_call_evaluated",
            "simulation_result_evaluated", "simulation_ended", "outbound_simulation_started");
    private static final String API_KEY = "contract-test-key";
    private static final String QUEUE = "/v1/queue-sms-simulation-run";
    private static final String END = "/v1/end-conversations";
    private static final String UPDATE = "/v1/update-simulation-result";
    private static final String RETRIEVE_RUN = "/v1/retrieve-simulation-results/{simulation_run_id}";
    private static final String RETRIEVE_RESULT = "/v1/retrieve-simulation-result/{test_result_id}";
    /** Conversations that end by themselves quickly and are evaluated soon after. */
    private static final UnaryOperator<SandboxConfig> QUICK_SIMULATIONS = config -> config
            .withConversationDuration(Duration.ofMillis(200))
            .withEvaluationDelay(Duration.ofMillis(100));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private SandboxServer sandbox;

    @AfterEach
    void stopServers() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    // ------------------------------------------------------------------------- sample-data/webhooks

    static Stream<Path> sampleWebhooks() throws IOException {
        try (Stream<Path> files = Files.list(WEBHOOK_SAMPLES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void sampleDataHasOneWebhookBodyPerEventType() throws IOException {
        assertThat(sampleWebhooks().map(f -> JSON.readTree(f.toFile()).path("type").asString()))
                .containsExactlyInAnyOrderElementsOf(WEBHOOK_TYPES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleWebhooks")
    void sampleWebhookBodyValidatesAgainstTheSchemaForItsType(Path file) {
        OpenApiContract contract = OpenApiContract.require();
        JsonNode body = JSON.readTree(file.toFile());
        String type = body.path("type").asString();

        assertThat(file.getFileName()).as("file named after its type").hasToString(type + ".json");
        assertThat(contract.validate(contract.webhookSchemaFor(type), body)).as(file.toString()).isEmpty();
    }

    // ---------------------------------------------------------------------------- sandbox, evaluate

    @ParameterizedTest(name = "call {0}")
    @EnumSource(Variant.class)
    void sandboxWebhookAndCallLogForAnEvaluatedCallValidate(Variant variant) throws Exception {
        OpenApiContract contract = OpenApiContract.require();
        startSandbox();
        String body = new String(BluejayJson.mapper().writeValueAsBytes(SampleRequests.first(variant)),
                StandardCharsets.UTF_8);

        HttpResponse<String> accepted = post("/v1/evaluate", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(contract.validate(contract.responseSchemaOf("POST", "/v1/evaluate", 200), accepted.body()))
                .as("evaluate response").isEmpty();
        String callId = JSON.readTree(accepted.body()).path("call_id").asString();

        JsonNode pending = retrieveCallLog(callId);
        assertThat(contract.validate(retrieveCallLogSchema(contract), pending)).as("call log while pending: " + pending).isEmpty();

        Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).as("webhook within 10 s").isNotNull();
        JsonNode webhook = JSON.readTree(delivery.body());
        String type = webhook.path("type").asString();
        assertThat(type).isEqualTo("observability_call_evaluated").isEqualTo(delivery.event());
        assertThat(webhook.path("id").asString()).isEqualTo(callId);
        assertThat(contract.validate(contract.webhookSchemaFor(type), webhook)).as("webhook " + webhook).isEmpty();

        JsonNode completed = retrieveCallLog(callId);
        assertThat(completed.path("call_log").path("status").asString()).isEqualTo("COMPLETED");
        assertThat(contract.validate(retrieveCallLogSchema(contract), completed)).as("completed call log: " + completed).isEmpty();
    }

    @Test
    void sandboxValidationErrorValidatesAgainstHttpValidationError() throws Exception {
        OpenApiContract contract = OpenApiContract.require();
        startSandbox();
        JsonNode body = BluejayJson.mapper().valueToTree(SampleRequests.first(Variant.MEDIA_URLS));
        ((ArrayNode) body.get("participants")).remove(1);

        HttpResponse<String> rejected = post("/v1/evaluate", body.toString());

        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(contract.validate(contract.responseSchemaOf("POST", "/v1/evaluate", 422), rejected.body()))
                .as(rejected.body()).isEmpty();
    }

    // ---------------------------------------------------------------------------- sandbox, simulations

    @Test
    void sandboxSimulationAnswersValidateThroughoutARunsLifecycle() throws Exception {
        OpenApiContract contract = OpenApiContract.require();
        startSandbox(QUICK_SIMULATIONS);

        // conversations last 200 ms: end those of 30425 at once, look at 30426's while it runs, then enrich a result
        HttpResponse<String> queuedInbound = post(QUEUE, json(new SmsSimulationRunRequest("30425", null, null, null, null, null)));
        List<String> results = new ArrayList<>(strings(JSON.readTree(queuedInbound.body()).path("simulation_result_ids")));
        HttpResponse<String> ended = post(END, json(new EndConversationsRequest(
                List.of(Long.valueOf(results.get(0)), Long.valueOf(results.get(1)), 1L))));
        HttpResponse<String> queuedOutbound = post(QUEUE, json(new SmsSimulationRunRequest("30426", null, null, null, null, null)));
        JsonNode outbound = JSON.readTree(queuedOutbound.body());
        String outboundRun = outbound.path("simulation_run_id").asString();
        HttpResponse<String> runInProgress = get("/v1/retrieve-simulation-results/" + outboundRun);
        HttpResponse<String> resultInProgress = get("/v1/retrieve-simulation-result/" + outbound.path("simulation_result_ids").get(0).asString());
        HttpResponse<String> updated = post(UPDATE, json(enrichment(results.get(0))));

        String inboundRun = valid(contract, "POST", QUEUE, queuedInbound).path("simulation_run_id").asString();
        valid(contract, "POST", QUEUE, queuedOutbound);
        results.addAll(strings(outbound.path("simulation_result_ids")));
        assertThat(results).as("2 results of 30425, 1 of 30426").hasSize(3);
        valid(contract, "GET", RETRIEVE_RUN, runInProgress);
        valid(contract, "GET", RETRIEVE_RESULT, resultInProgress);
        assertThat(valid(contract, "POST", UPDATE, updated).path("status").asString()).isEqualTo("success");
        JsonNode end = valid(contract, "POST", END, ended);
        assertThat(end.path("failed_ids").valueStream().map(JsonNode::asLong)).as("1 is no result").contains(1L);
        assertThat(end.path("ended_count").asInt() + end.path("failed_ids").size()).as("every id accounted for").isEqualTo(3);

        BluejayClient client = client();
        for (String run : List.of(inboundRun, outboundRun)) {
            awaitCompleted(client, run);
            JsonNode completed = valid(contract, "GET", RETRIEVE_RUN, get("/v1/retrieve-simulation-results/" + run));
            assertThat(completed.path("simulation_results").valueStream())
                    .allSatisfy(result -> assertThat(result.path("evaluations")).isNotEmpty());
        }
        for (String result : results) {
            JsonNode answer = valid(contract, "GET", RETRIEVE_RESULT, get("/v1/retrieve-simulation-result/" + result));
            assertThat(answer.path("simulation_result").path("status").asString()).isEqualTo("COMPLETED");
        }
        SimulationResult enriched = client.retrieveSimulationResult(results.get(0));
        assertThat(enriched.toolCalls()).as("the update's tool calls, grouped by name").extracting(SimulationResult.ToolCallComparison::name)
                .containsExactly("lookup_order", "issue_refund");
    }

    @Test
    void sandboxSimulationWebhooksValidateAgainstTheSchemaForTheirType() throws Exception {
        OpenApiContract contract = OpenApiContract.require();
        // and a simulation whose evaluation carries a scripted custom metric, to check that shape too
        startSandbox(config -> QUICK_SIMULATIONS.apply(config).withSimulation("30427", new SimulationSpec(34, false, List.of(
                new DigitalHumanSpec(459, "Ana Lima", "+15551234570", true, List.of(new DigitalHumanSpec.ScriptedMetric(
                        "refund_policy_followed", "Did the agent follow the refund policy?", "pass_fail", "pass", "It checked the order first.")))))));

        String inboundResult = JSON.readTree(post(QUEUE, json(new SmsSimulationRunRequest("30425", null, null, List.of("456"), null, null))).body())
                .path("simulation_result_ids").get(0).asString();
        assertThat(post(UPDATE, json(enrichment(inboundResult))).statusCode()).isEqualTo(200);
        assertThat(post(QUEUE, json(new SmsSimulationRunRequest("30426", null, null, null, null, null))).statusCode()).isEqualTo(200);
        String scriptedResult = JSON.readTree(post(QUEUE, json(new SmsSimulationRunRequest("30427", null, null, null, null, null))).body())
                .path("simulation_result_ids").get(0).asString();

        // 30425 (inbound, one digital human) and 30427: ended + evaluated; 30426 (outbound): started + ended + evaluated
        Map<String, List<JsonNode>> byType = awaitWebhooks(7);
        assertThat(byType.keySet()).containsExactlyInAnyOrder("simulation_ended", "simulation_result_evaluated", "outbound_simulation_started");
        assertThat(byType.get("simulation_ended")).hasSize(3);
        assertThat(byType.get("simulation_result_evaluated")).hasSize(3);
        assertThat(byType.get("outbound_simulation_started")).singleElement()
                .satisfies(started -> assertThat(started.path("simulation_id").asLong()).isEqualTo(30426));
        byType.forEach((type, bodies) -> assertThat(bodies).allSatisfy(webhook -> assertThat(contract.validate(contract.webhookSchemaFor(type), webhook))
                .as(type + " " + webhook).isEmpty()));
        JsonNode evaluated = byType.get("simulation_result_evaluated").stream()
                .filter(w -> w.path("id").asString().equals(inboundResult)).findFirst().orElseThrow();
        assertThat(evaluated.path("tool_calls")).as("the update's tool calls, validated above").hasSize(2);
        assertThat(evaluated.path("events")).hasSize(1);
        assertThat(evaluated.path("tags").get(0).asString()).isEqualTo("nightly");
        assertThat(byType.get("simulation_result_evaluated")).filteredOn(w -> w.path("id").asString().equals(scriptedResult)).singleElement()
                .satisfies(w -> assertThat(w.path("evaluations").get(0).path("custom_metrics").get(0).path("name").asString())
                        .isEqualTo("refund_policy_followed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSimulationRequests")
    void sandboxSimulationValidationErrorsValidateAgainstHttpValidationError(String path, String body) throws Exception {
        OpenApiContract contract = OpenApiContract.require();
        startSandbox(QUICK_SIMULATIONS);

        HttpResponse<String> rejected = post(path, body);

        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(422);
        assertThat(contract.validate(contract.responseSchemaOf("POST", path, 422), rejected.body())).as(rejected.body()).isEmpty();
    }

    static Stream<Arguments> refusedSimulationRequests() {
        return Stream.of(
                Arguments.of(QUEUE, "{\"simulation_id\": \"30425\", \"runs_per_digital_human\": 0}"),
                Arguments.of(END, "{\"test_result_ids\": []}"),
                Arguments.of(UPDATE,
                        "{\"simulation_result_id\": \"716977\", \"tool_calls\": [{\"name\": \"x\", \"start_offset_ms\": -1}]}"));
    }

    // --------------------------------------------------------------------------------------- helpers

    private static OpenApiContract.SchemaRef retrieveCallLogSchema(OpenApiContract contract) {
        return contract.responseSchemaOf("GET", "/v1/retrieve-call-log/{call_id}", 200);
    }

    /** Starts the webhook receiver and a sandbox that posts its webhooks to it. */
    private void startSandbox() throws IOException {
        startSandbox(UnaryOperator.identity());
    }

    /** Starts the webhook receiver and a sandbox, configured further by {@code tune}, that posts its webhooks to it. */
    private void startSandbox(UnaryOperator<SandboxConfig> tune) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/webhooks/bluejay", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Bluejay-Event")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        URI webhookUrl = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/bluejay");
        sandbox = SandboxServer.start(tune.apply(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofMillis(300))
                .withWebhook(webhookUrl, "contract-test-secret")));
    }

    /** A client of the sandbox: no retries, as these requests are not faulted. */
    private BluejayClient client() {
        return new BluejayClient(new BluejayClientSettings(sandbox.baseUri(), ApiKey.of(API_KEY), 0, Duration.ofSeconds(2),
                Duration.ofSeconds(5), new BluejayClientSettings.RetrySettings(1, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1))));
    }

    /** The request body exactly as the client writes it. */
    private static String json(Object request) {
        return new String(BluejayJson.mapper().writeValueAsBytes(request), StandardCharsets.UTF_8);
    }

    /** An update with every kind of content, so the answers and webhooks that show it carry all of it. */
    private static UpdateSimulationResultRequest enrichment(String resultId) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("order_id", "A-1001");
        return new UpdateSimulationResultRequest(resultId,
                List.of(new Event("refund issued", 11500, "the agent refunded the order", 12000L, List.of("billing"), Map.of("amount", 12.5))),
                List.of(new ToolCall("lookup_order", 4200, "finds the order", parameters, Map.of("status", "shipped")),
                        new ToolCall("issue_refund", 30625, null, null, "ok")),
                List.of(new TranscriptEntry(0, 2750, ParticipantRole.AGENT, "Hello, how can I help?", false),
                        new TranscriptEntry(3100, 6300, ParticipantRole.USER, "I want a refund.", null)),
                List.of("nightly"), Map.of("resolution_status", "resolved"), List.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    /** Checks a 200 answer against the operation's 200 schema; the parsed body. */
    private static JsonNode valid(OpenApiContract contract, String method, String path, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        assertThat(contract.validate(contract.responseSchemaOf(method, path, 200), response.body()))
                .as(method + " " + path + " answer " + response.body()).isEmpty();
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(sandbox.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("X-API-Key", API_KEY)
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    /** Polls the run through the client, as {@code simulate-sms --wait-for} does, until it is COMPLETED (10 s at most). */
    private static void awaitCompleted(BluejayClient client, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        SimulationResultsResponse run = client.retrieveSimulationResults(runId);
        while (!"COMPLETED".equals(run.simulationRun().status())) {
            assertThat(System.nanoTime()).as("run " + runId + " COMPLETED within 10 s, last: " + run).isLessThan(deadline);
            Thread.sleep(20);
            run = client.retrieveSimulationResults(runId);
        }
    }

    /** The next {@code count} webhooks, by type, each checked to carry its type in {@code X-Bluejay-Event}. */
    private Map<String, List<JsonNode>> awaitWebhooks(int count) throws InterruptedException {
        Map<String, List<JsonNode>> byType = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("webhook " + (i + 1) + " of " + count + " within 10 s, got " + byType).isNotNull();
            JsonNode body = JSON.readTree(delivery.body());
            String type = body.path("type").asString();
            assertThat(delivery.event()).as("X-Bluejay-Event").isEqualTo(type);
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(body);
        }
        return byType;
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(sandbox.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode retrieveCallLog(String callId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        sandbox.baseUri().resolve("/v1/retrieve-call-log/" + callId))
                .timeout(Duration.ofSeconds(5))
                .header("X-API-Key", API_KEY)
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** One webhook POST the receiver got: the raw body and its {@code X-Bluejay-Event} header. */
    record Delivery(byte[] body, String event) {}
}
