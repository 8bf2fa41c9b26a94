package dev.calleval.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "BLUEJAY_WEBHOOK_SECRET=" + WebhookControllerIntegrationTests.SECRET,
        "spring.datasource.url=jdbc:h2:mem:webhook-tests;DB_CLOSE_DELAY=-1",
        "calleval.cli.enabled=false"})
class WebhookControllerIntegrationTests {
    static final String SECRET = "test-secret";
    private static final Path EVALUATED = Path.of("sample-data/webhooks/observability_call_evaluated.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI endpoint;
    private final WebhookInbox inbox;
    private final JdbcTemplate jdbc;

    WebhookControllerIntegrationTests(@LocalServerPort int port, @Autowired WebhookInbox inbox, @Autowired JdbcTemplate jdbc) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/bluejay");
        this.inbox = inbox;
        this.jdbc = jdbc;
    }

    @BeforeEach
    void emptyTheInbox() {
        jdbc.update("DELETE FROM webhook_event");
    }

    @Test
    void storesACorrectlySignedEvent() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> response = post(body, sign(body), delivery);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"stored\"}"));
        assertThat(inbox.count()).isEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT event_type, delivery_id, call_id, source_id, status, body, processed_at FROM webhook_event");
        assertThat(row).containsEntry("EVENT_TYPE", "observability_call_evaluated")
                .containsEntry("DELIVERY_ID", delivery)
                .containsEntry("CALL_ID", "5c5a2d43-1d37-5aed-b79c-0641b23b0607")
                .containsEntry("SOURCE_ID", "nw-2026-11-19-0001")
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("PROCESSED_AT", null);
        assertThat(row.get("BODY")).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(inbox.unprocessed("observability_call_evaluated", 10)).singleElement()
                .satisfies(e -> assertThat(e.sourceId()).isEqualTo("nw-2026-11-19-0001"));
    }

    @Test
    void answersDuplicateForARedeliveryAndStoresNothingNew() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);
        String firstDelivery = UUID.randomUUID().toString();
        assertThat(post(body, sign(body), firstDelivery).statusCode()).isEqualTo(200);

        HttpResponse<String> again = post(body, sign(body), UUID.randomUUID().toString());

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree("{\"status\":\"duplicate\"}"));
        assertThat(inbox.count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT delivery_id FROM webhook_event", String.class)).isEqualTo(firstDelivery);
    }

    @Test
    void storesTheSameCallAgainWhenItsStatusChanged() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);
        ObjectNode failed = (ObjectNode) JSON.readTree(body);
        failed.put("status", "FAILED");
        byte[] failedBody = JSON.writeValueAsBytes(failed);
        assertThat(post(body, sign(body), "d-1").statusCode()).isEqualTo(200);

        HttpResponse<String> response = post(failedBody, sign(failedBody), "d-2");

        assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("stored");
        assertThat(jdbc.queryForList("SELECT status FROM webhook_event ORDER BY id", String.class))
                .containsExactly("COMPLETED", "FAILED");
    }

    @Test
    void refusesAnUnsignedEvent() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);

        HttpResponse<String> response = post(body, null, "d-1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("error").asString()).contains("X-Bluejay-Signature");
        assertThat(inbox.count()).isZero();
    }

    @Test
    void refusesASignatureOverADifferentBody() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);
        byte[] other = new String(body, StandardCharsets.UTF_8).replace("COMPLETED", "FAILED").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, sign(other), "d-1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(inbox.count()).isZero();
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() throws Exception {
        byte[] body = Files.readAllBytes(EVALUATED);

        HttpResponse<String> response = post(body, hmac("not-the-secret", body), "d-1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(inbox.count()).isZero();
    }

    @Test
    void rejectsSignedMalformedJson() throws Exception {
        byte[] body = "{\"type\": \"observability_call_evaluated\", \"id\": ".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, sign(body), "d-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asString()).startsWith("body is not valid JSON");
        assertThat(inbox.count()).isZero();
    }

    @Test
    void rejectsASignedJsonArray() throws Exception {
        byte[] event = Files.readAllBytes(EVALUATED);
        byte[] body = ("[" + new String(event, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, sign(body), "d-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asString()).isEqualTo("body must be a JSON object");
        assertThat(inbox.count()).isZero();
    }

    @Test
    void storesAnEventOfATypeItDoesNotKnow() throws Exception {
        byte[] body = "{\"type\":\"agent_retrained\",\"id\":\"a-42\",\"status\":\"DONE\"}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, "sha256=" + sign(body), "d-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"stored\"}"));
        assertThat(jdbc.queryForList("SELECT event_type FROM webhook_event", String.class)).containsExactly("agent_retrained");
        assertThat(jdbc.queryForObject("SELECT call_id FROM webhook_event", String.class)).isNull();
    }

    @Test
    void takesTheTypeFromTheEventHeaderWhenTheBodyHasNone() throws Exception {
        byte[] body = "{\"id\":\"716977\",\"status\":\"ended\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("X-Bluejay-Signature", sign(body))
                .header("X-Bluejay-Event", "simulation_ended")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT event_type FROM webhook_event", String.class)).containsExactly("simulation_ended");
    }

    @Test
    void storesEverySampleWebhookOnce() throws Exception {
        List<String> samples = List.of("observability_call_evaluated", "outbound_simulation_started", "simulation_ended",
                "simulation_result_evaluated");
        for (String sample : samples) {
            byte[] body = Files.readAllBytes(Path.of("sample-data/webhooks/" + sample + ".json"));
            HttpResponse<String> response = post(body, sign(body), sample);
            assertThat(response.statusCode()).as(sample).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("status").asString()).as(sample).isEqualTo("stored");
        }

        assertThat(inbox.count()).isEqualTo(samples.size());
        assertThat(jdbc.queryForList("SELECT event_type FROM webhook_event ORDER BY id", String.class))
                .containsExactlyElementsOf(samples);
    }

    private HttpResponse<String> post(byte[] body, @Nullable String signature, String delivery) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("X-Bluejay-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Bluejay-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(byte[] body) {
        return hmac(SECRET, body);
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
