package dev.calleval.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.contract.SampleRequests.Variant;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * What Bluejay sends us, as far as we imitate it, validates against the spec: the example webhook bodies in
 * {@code sample-data/webhooks/} (each against the schema the discriminator maps its {@code type} to), and the
 * sandbox's {@code observability_call_evaluated} webhook, {@code retrieve-call-log} and evaluate responses for
 * calls our client submits. The sandbox runs on loopback and posts its webhook to a loopback receiver.
 */
class SandboxWebhookContractTests {

    private static final Path WEBHOOK_SAMPLES = Path.of("sample-data", "webhooks");
    private static final List<String> WEBHOOK_TYPES = List.of("observability_call_evaluated",
            "simulation_result_evaluated", "simulation_ended", "outbound_simulation_started");
    private static final String API_KEY = "contract-test-key";
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

    // -------------------------------------------------------------- sandbox, simulations (merge point)

    /*
     * MERGE POINT for the simulation branch. When the sandbox serves the simulation endpoints, add tests here that
     * drive it as the client does and validate what it sends and answers:
     *  - webhooks simulation_result_evaluated, simulation_ended and outbound_simulation_started, captured by the
     *    receiver below and checked with contract.webhookSchemaFor(body.type);
     *  - responses of POST /v1/update-simulation-result, POST /v1/queue-sms-simulation-run,
     *    POST /v1/end-conversations, GET /v1/retrieve-simulation-results/{simulation_run_id} and
     *    GET /v1/retrieve-simulation-result/{test_result_id}, checked with
     *    contract.responseSchemaOf(method, path, 200).
     */

    // --------------------------------------------------------------------------------------- helpers

    private static OpenApiContract.SchemaRef retrieveCallLogSchema(OpenApiContract contract) {
        return contract.responseSchemaOf("GET", "/v1/retrieve-call-log/{call_id}", 200);
    }

    /** Starts the webhook receiver and a sandbox that posts its webhooks to it. */
    private void startSandbox() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/webhooks/bluejay", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Bluejay-Event")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        URI webhookUrl = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/bluejay");
        sandbox = SandboxServer.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofMillis(300))
                .withWebhook(webhookUrl, "contract-test-secret"));
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
