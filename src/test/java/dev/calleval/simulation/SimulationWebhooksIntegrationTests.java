package dev.calleval.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.bluejay.WebhookEvent;
import dev.calleval.webhook.WebhookInbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The three simulation webhook types and an unknown type, POSTed signed to the real receiver, stored, and applied to
 * the simulation tables (H2, Flyway migrations).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "BLUEJAY_WEBHOOK_SECRET=" + SimulationWebhooksIntegrationTests.SECRET,
        "spring.datasource.url=jdbc:h2:mem:simulation-webhook-tests;DB_CLOSE_DELAY=-1",
        "calleval.cli.enabled=false"})
class SimulationWebhooksIntegrationTests {
    static final String SECRET = "simulation-secret";
    private static final Path WEBHOOKS = Path.of("sample-data/webhooks");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;

    @Autowired
    WebhookInbox inbox;

    @Autowired
    SimulationEventProcessor processor;

    @Autowired
    SimulationStore store;

    @Autowired
    JdbcTemplate jdbc;

    SimulationWebhooksIntegrationTests(@LocalServerPort int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/bluejay");
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM webhook_event");
        jdbc.update("DELETE FROM simulation_result");
        jdbc.update("DELETE FROM simulation_run");
    }

    @Test
    void everySimulationEventTypeIsStoredAndAppliedToItsRun() throws Exception {
        for (String type : List.of("outbound_simulation_started", "simulation_ended", "simulation_result_evaluated")) {
            assertThat(post(Files.readString(WEBHOOKS.resolve(type + ".json")))).as(type).isEqualTo("{\"status\":\"stored\"}");
        }

        SimulationEventProcessor.Pass pass = processor.processInbox();

        assertThat(pass.applied()).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT event_type || ':' || subject_id || ':' || outcome FROM webhook_event ORDER BY id", String.class))
                .containsExactly("outbound_simulation_started:227413:APPLIED", "simulation_ended:716977:APPLIED",
                        "simulation_result_evaluated:716977:APPLIED");
        SimulationStore.RunView run = store.run("227413").orElseThrow();
        assertThat(run.outbound()).isTrue();
        assertThat(run.simulationId()).isEqualTo("30425");
        assertThat(run.results()).extracting(SimulationStore.ResultRow::resultId).containsExactly("716977", "716978", "716979");
        SimulationStore.ResultRow evaluated = run.results().get(0);
        assertThat(evaluated.status()).isEqualTo("COMPLETED");
        assertThat(evaluated.outcome()).isEqualTo(SimulationStore.Outcome.PASS);
        assertThat(evaluated.digitalHumanName()).isEqualTo("Impatient customer, late order");
        assertThat(evaluated.evaluationId()).isEqualTo("196d8396-df3e-511f-8afe-af44cbdf576e");
        assertThat(run.results().get(1).status()).isEqualTo("QUEUED");
        assertThat(run.status()).isEqualTo("RUNNING");
        assertThat(run.passed()).isEqualTo(1);
    }

    @Test
    void aLateSimulationEndedDoesNotTakeAnEvaluatedResultBack() throws Exception {
        post(Files.readString(WEBHOOKS.resolve("simulation_result_evaluated.json")));
        processor.processInbox();
        post(Files.readString(WEBHOOKS.resolve("simulation_ended.json")));

        SimulationEventProcessor.Pass pass = processor.processInbox();

        assertThat(pass.unchanged()).isEqualTo(1);
        assertThat(store.result("716977").orElseThrow().status()).isEqualTo("COMPLETED");
        assertThat(store.result("716977").orElseThrow().outcome()).isEqualTo(SimulationStore.Outcome.PASS);
    }

    @Test
    void aFailedGoalOrFailedPassFailMetricIsAFail() throws Exception {
        String body = Files.readString(WEBHOOKS.resolve("simulation_result_evaluated.json"))
                .replace("\"id\": 716977", "\"id\": 716978").replace("\"response_value\": \"pass\"", "\"response_value\": \"fail\"");
        post(body);

        processor.processInbox();

        assertThat(store.result("716978").orElseThrow().outcome()).isEqualTo(SimulationStore.Outcome.FAIL);
    }

    @Test
    void aReEvaluationReplacesTheResultButAnOlderEvaluationArrivingLateDoesNot() throws Exception {
        String original = Files.readString(WEBHOOKS.resolve("simulation_result_evaluated.json"));
        String newer = original.replace("196d8396-df3e-511f-8afe-af44cbdf576e", "aaaaaaaa-0000-4000-8000-000000000002")
                .replace("\"created_at\": \"2026-11-19T20:03:26Z\"", "\"created_at\": \"2026-11-19T21:00:00Z\"")
                .replace("\"response_value\": \"pass\"", "\"response_value\": \"fail\"");
        post(original);
        processor.processInbox();
        post(newer);
        processor.processInbox();
        assertThat(store.result("716977").orElseThrow().outcome()).as("re-evaluated: fails now").isEqualTo(SimulationStore.Outcome.FAIL);

        String older = original.replace("196d8396-df3e-511f-8afe-af44cbdf576e", "aaaaaaaa-0000-4000-8000-000000000001")
                .replace("\"created_at\": \"2026-11-19T20:03:26Z\"", "\"created_at\": \"2026-11-19T19:00:00Z\"");
        post(older);
        SimulationEventProcessor.Pass pass = processor.processInbox();

        assertThat(pass.unchanged()).isEqualTo(1);
        SimulationStore.ResultRow row = store.result("716977").orElseThrow();
        assertThat(row.evaluationId()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000002");
        assertThat(row.outcome()).isEqualTo(SimulationStore.Outcome.FAIL);
    }

    @Test
    void anUnknownEventTypeIsStoredAndListedNeverRefused() throws Exception {
        assertThat(post("{\"type\":\"agent_deployed\",\"id\":\"a-1\",\"agent_id\":34}")).isEqualTo("{\"status\":\"stored\"}");

        inbox.settleUnknownTypes(WebhookEvent.KNOWN_TYPES);

        assertThat(inbox.countsByType()).containsExactly(new WebhookInbox.TypeCount("agent_deployed", "UNKNOWN_TYPE", 1));
    }

    @Test
    void anUnreadableSimulationEventIsKeptAndMarked() throws Exception {
        post("{\"type\":\"simulation_ended\",\"id\":5}");

        SimulationEventProcessor.Pass pass = processor.processInbox();

        assertThat(pass.unreadable()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT outcome FROM webhook_event", String.class)).isEqualTo("UNREADABLE");
        assertThat(store.recentRuns(10)).isEmpty();
    }

    private String post(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("X-Bluejay-Signature", HexFormat.of().formatHex(mac.doFinal(bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
