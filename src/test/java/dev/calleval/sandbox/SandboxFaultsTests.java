package dev.calleval.sandbox;

import static dev.calleval.sandbox.SandboxTestSupport.JSON;
import static dev.calleval.sandbox.SandboxTestSupport.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.sandbox.SandboxTestSupport.Receiver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxFaultsTests {

    private final SandboxTestSupport support = new SandboxTestSupport();

    @AfterEach
    void close() throws Exception {
        support.close();
    }

    // ------------------------------------------------------------------------------------------ in doubt

    @Test
    void acceptThenFailCreatesTheCallYetAnswers504() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withAcceptThenFailRate(1.0)));
        String body = SandboxServerTests.validBody().toString();

        HttpResponse<String> response = support.post(sandbox, "/v1/evaluate", body);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Gateway Timeout\"}");
        SandboxStats stats = sandbox.stats();
        assertThat(stats.evaluateAccepted()).as("the call was created").isEqualTo(1);
        assertThat(stats.endpoint(SandboxEndpoint.EVALUATE).acceptedThenFailed()).isEqualTo(1);
        assertThat(stats.acceptedThenFailed()).isEqualTo(1);
        // the lost call is found again the way calleval recovers it: by its source id in the agent's call logs
        JsonNode logs = support.getJson(sandbox, "/v1/retrieve-call-logs/1234");
        assertThat(logs.path("total_count").asInt()).isEqualTo(1);
        assertThat(logs.path("call_logs").get(0).path("metadata").path("calleval_source_id").asString())
                .isEqualTo("manifest.csv#2");
        LoggedRequest logged = sandbox.requests().get(0);
        assertThat(logged.status()).isEqualTo(504);
        assertThat(logged.fault()).isEqualTo("accept_then_fail");
    }

    @Test
    void acceptThenResetAppliesTheUpdateThenClosesTheConnection() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withFaults(SandboxConfig.Faults.none()
                .withAcceptThenResetRate(1.0).withEndpoints(SandboxEndpoint.UPDATE_SIMULATION_RESULT)));
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids").get(0).asString();
        String update = "{\"simulation_result_id\": \"" + id + "\","
                + " \"tool_calls\": [{\"name\": \"lookup\", \"start_offset_ms\": 10}]}";

        assertThatThrownBy(() -> support.post(sandbox, "/v1/update-simulation-result", update))
                .isInstanceOf(IOException.class);

        assertThat(sandbox.updateSimulationResultPosts()).containsEntry(id, 1);
        JsonNode result = support.getJson(sandbox, "/v1/retrieve-simulation-result/" + id).path("simulation_result");
        assertThat(result.path("tool_calls").get(0).path("actual")).hasSize(1);
        SandboxStats.EndpointStats counts = sandbox.stats().endpoint(SandboxEndpoint.UPDATE_SIMULATION_RESULT);
        assertThat(counts.accepted()).isEqualTo(1);
        assertThat(counts.acceptedThenReset()).isEqualTo(1);
        LoggedRequest logged = sandbox.requests().stream()
                .filter(r -> r.endpoint() == SandboxEndpoint.UPDATE_SIMULATION_RESULT).findFirst().orElseThrow();
        assertThat(logged.status()).isZero();
        assertThat(logged.fault()).isEqualTo("accept_then_reset");
    }

    @Test
    void acceptThenFaultsSpareRejectedAndReadOnlyRequests() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withAcceptThenFailRate(1.0)));

        HttpResponse<String> invalid = support.post(sandbox, "/v1/end-conversations", "{\"test_result_ids\": []}");
        HttpResponse<String> unknown = support.post(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"1\"}");
        HttpResponse<String> ping = support.get(sandbox, "/v1/ping");

        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(sandbox.stats().acceptedThenFailed()).isZero();
    }

    // ------------------------------------------------------------------------------------------ request faults

    @Test
    void scriptedStatusesApplyToEveryEndpointInArrivalOrder() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withFaults(
                SandboxConfig.Faults.none().withScriptedStatuses(503, 429).withRetryAfterSeconds(3)));

        HttpResponse<String> first = support.get(sandbox, "/v1/retrieve-simulation-result/1");
        HttpResponse<String> second = support.post(sandbox, "/v1/end-conversations", "{\"test_result_ids\": [1]}");
        HttpResponse<String> third = support.post(sandbox, "/v1/end-conversations", "{\"test_result_ids\": [1]}");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(sandbox.requests()).extracting(LoggedRequest::fault).containsExactly("scripted", "scripted", null);
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.END_CONVERSATIONS).faulted()).isEqualTo(1);
    }

    @Test
    void aScriptedPassServesTheRequestAsUsualSoALaterEntryHitsALaterRequest() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withFaults(SandboxConfig.Faults.none()
                .withScriptedStatuses(SandboxConfig.Faults.PASS, SandboxConfig.Faults.PASS, 401)
                .withEndpoints(SandboxEndpoint.UPDATE_SIMULATION_RESULT)));
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids").get(0).asString();
        String update = "{\"simulation_result_id\": \"" + id + "\"}";

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(support.post(sandbox, "/v1/update-simulation-result", update).statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 401, 200);
        assertThat(sandbox.updateSimulationResultPosts()).containsEntry(id, 3);
        assertThat(sandbox.requests()).filteredOn(r -> r.endpoint() == SandboxEndpoint.UPDATE_SIMULATION_RESULT)
                .extracting(LoggedRequest::fault).containsExactly(null, null, "scripted", null);
    }

    @Test
    void aScriptedAcceptThenFailAppliesTheUpdateYetAnswers504() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withFaults(SandboxConfig.Faults.none()
                .withScriptedStatuses(SandboxConfig.Faults.ACCEPT_THEN_FAIL, SandboxConfig.Faults.ACCEPT_THEN_FAIL)
                .withEndpoints(SandboxEndpoint.UPDATE_SIMULATION_RESULT)));
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids").get(0).asString();

        HttpResponse<String> unknown = support.post(sandbox, "/v1/update-simulation-result",
                "{\"simulation_result_id\": \"1\"}");
        HttpResponse<String> applied = support.post(sandbox, "/v1/update-simulation-result",
                "{\"simulation_result_id\": \"" + id + "\"}");
        HttpResponse<String> after = support.post(sandbox, "/v1/update-simulation-result",
                "{\"simulation_result_id\": \"" + id + "\"}");

        assertThat(unknown.statusCode()).as("took no effect: answered as usual").isEqualTo(404);
        assertThat(applied.statusCode()).isEqualTo(504);
        assertThat(applied.body()).isEqualTo("{\"detail\":\"Gateway Timeout\"}");
        assertThat(after.statusCode()).as("the script ran out").isEqualTo(200);
        assertThat(sandbox.updateSimulationResultPosts()).containsEntry(id, 2);
        SandboxStats.EndpointStats counts = sandbox.stats().endpoint(SandboxEndpoint.UPDATE_SIMULATION_RESULT);
        assertThat(counts.acceptedThenFailed()).isEqualTo(1);
        assertThat(counts.notFound404()).isEqualTo(1);
    }

    @Test
    void scriptedStatusesRefuseValuesThatAreNeitherStatusesNorScriptEntries() {
        assertThatThrownBy(() -> SandboxConfig.Faults.none().withScriptedStatuses(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 (pass) or -504 (accept then fail), found -2");
    }

    @Test
    void faultsSpareEndpointsOutsideTheirScope() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withFaults(SandboxConfig.Faults.none()
                .withServerErrorRate(1.0).withEndpoints(SandboxEndpoint.QUEUE_SMS_SIMULATION_RUN)));

        assertThat(support.get(sandbox, "/v1/ping").statusCode()).isEqualTo(200);
        assertThat(support.post(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString()).statusCode())
                .isEqualTo(200);
        assertThat(support.post(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .statusCode()).isEqualTo(503);
    }

    @Test
    void rateLimitIsCountedPerEndpoint() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withRateLimitPerSecond(1)));

        List<Integer> statuses = new ArrayList<>();
        statuses.add(support.get(sandbox, "/v1/ping").statusCode());
        statuses.add(support.get(sandbox, "/v1/ping").statusCode());
        statuses.add(support.get(sandbox, "/v1/retrieve-simulation-result/1").statusCode());
        statuses.add(support.get(sandbox, "/v1/retrieve-simulation-result/1").statusCode());

        assertThat(statuses).containsExactly(200, 429, 404, 429);
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.PING).faulted()).isEqualTo(1);
    }

    @Test
    void connectionResetsBeforeProcessingLeaveNoTrace() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withConnectionResetRate(1.0)));

        assertThatThrownBy(() -> support.post(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\"}")).isInstanceOf(IOException.class);

        SandboxStats.EndpointStats counts = sandbox.stats().endpoint(SandboxEndpoint.QUEUE_SMS_SIMULATION_RUN);
        assertThat(counts.requests()).isEqualTo(1);
        assertThat(counts.accepted()).isZero();
        assertThat(counts.faulted()).isEqualTo(1);
        assertThat(sandbox.requests().get(0).fault()).isEqualTo("connection_reset");
    }

    // ------------------------------------------------------------------------------------------ webhook faults

    @Test
    void webhookReorderWindowDeliversHeldWebhooksInAnotherOrder() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofSeconds(30))
                .withWebhook(receiver.uri(), SECRET)
                .withFaults(SandboxConfig.Faults.none().withWebhookReorderWindow(Duration.ofMillis(150))));
        JsonNode ids = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids");

        support.postJson(sandbox, "/v1/end-conversations",
                "{\"test_result_ids\": [" + ids.get(0).asString() + ", " + ids.get(1).asString() + "]}");
        assertThat(receiver.deliveries().poll(80, TimeUnit.MILLISECONDS)).as("held during the window").isNull();
        String firstDelivered = receiver.next().json().path("id").asString();
        String secondDelivered = receiver.next().json().path("id").asString();

        List<SentWebhook> produced = sandbox.webhooks();
        assertThat(produced).extracting(SentWebhook::id)
                .containsExactly(ids.get(0).asString(), ids.get(1).asString());
        assertThat(List.of(firstDelivered, secondDelivered))
                .containsExactly(ids.get(1).asString(), ids.get(0).asString());
    }

    @Test
    void droppedWebhookIsListedButNeverDelivered() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ZERO)
                .withWebhook(receiver.uri(), SECRET)
                .withFaults(SandboxConfig.Faults.none().withWebhookDropRate(1.0)));

        String callId = support.postJson(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString())
                .path("call_id").asString();

        SandboxTestSupport.awaitTrue("the webhook produced", () -> !sandbox.webhooks().isEmpty());
        SentWebhook dropped = sandbox.webhooks().get(0);
        assertThat(dropped.state()).isEqualTo(SentWebhook.State.DROPPED);
        assertThat(dropped.id()).isEqualTo(callId);
        assertThat(dropped.attempts()).isZero();
        assertThat(receiver.deliveries().poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(JSON.readTree(support.get(sandbox, "/_sandbox/webhooks").body()).get(0).path("state").asString())
                .isEqualTo("DROPPED");
    }
}
