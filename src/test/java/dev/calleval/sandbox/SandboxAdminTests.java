package dev.calleval.sandbox;

import static dev.calleval.sandbox.SandboxTestSupport.JSON;
import static dev.calleval.sandbox.SandboxTestSupport.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.sandbox.SandboxTestSupport.Receiver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxAdminTests {

    private final SandboxTestSupport support = new SandboxTestSupport();

    @AfterEach
    void close() throws Exception {
        support.close();
    }

    @Test
    void requestLogRecordsEveryRequestInArrivalOrderWithBodiesWhenAsked() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withRecordBodies(true));
        String update = "{\"simulation_result_id\": \"42\"}";

        support.post(sandbox, "/v1/update-simulation-result", update);
        support.get(sandbox, "/v1/retrieve-call-logs/34?page=2&last=all");
        support.send(support.request(sandbox, "/v1/ping", null).GET());
        support.get(sandbox, "/v1/nope");
        support.get(sandbox, "/_sandbox/stats");

        assertThat(sandbox.requests()).extracting(LoggedRequest::seq).containsExactly(1L, 2L, 3L, 4L);
        LoggedRequest update404 = sandbox.requests().get(0);
        assertThat(update404.method()).isEqualTo("POST");
        assertThat(update404.path()).isEqualTo("/v1/update-simulation-result");
        assertThat(update404.status()).isEqualTo(404);
        assertThat(update404.endpoint()).isEqualTo(SandboxEndpoint.UPDATE_SIMULATION_RESULT);
        assertThat(update404.body()).isEqualTo(update);
        assertThat(update404.fault()).isNull();
        assertThat(sandbox.requests().get(1).path()).isEqualTo("/v1/retrieve-call-logs/34?page=2&last=all");
        assertThat(sandbox.requests().get(1).status()).isEqualTo(200);
        assertThat(sandbox.requests().get(2).status()).as("no API key").isEqualTo(401);
        assertThat(sandbox.requests().get(3).endpoint()).isNull();
        assertThat(sandbox.requests().get(3).status()).isEqualTo(404);

        JsonNode log = JSON.readTree(support.get(sandbox, "/_sandbox/requests").body());
        assertThat(log).as("admin requests are not logged").hasSize(4);
        JsonNode first = log.get(0);
        assertThat(first.path("seq").asLong()).isEqualTo(1);
        assertThat(first.path("method").asString()).isEqualTo("POST");
        assertThat(first.path("path").asString()).isEqualTo("/v1/update-simulation-result");
        assertThat(first.path("status").asInt()).isEqualTo(404);
        assertThat(first.path("endpoint").asString()).isEqualTo("update-simulation-result");
        assertThat(first.path("body").asString()).isEqualTo(update);
        assertThat(first.path("fault").isNull()).isTrue();
        assertThat(Instant.parse(first.path("received_at").asString())).isNotNull();
        assertThat(log.get(3).path("endpoint").isNull()).isTrue();
    }

    @Test
    void requestLogKeepsNoBodiesByDefault() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        support.post(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString());

        assertThat(sandbox.requests()).singleElement().satisfies(request -> {
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.endpoint()).isEqualTo(SandboxEndpoint.EVALUATE);
            assertThat(request.body()).isNull();
        });
        assertThat(JSON.readTree(support.get(sandbox, "/_sandbox/requests").body()).get(0).path("body").isNull())
                .isTrue();
    }

    @Test
    void statsEndpointReportsCountersPerEndpointAndWebhooksPerType() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ZERO)
                .withWebhook(receiver.uri(), SECRET));
        support.post(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString());
        support.post(sandbox, "/v1/evaluate", "{}");
        support.get(sandbox, "/v1/retrieve-simulation-results/5");
        receiver.next();
        SandboxTestSupport.awaitTrue("webhook acknowledged", () -> sandbox.stats().webhooksSent() == 1);

        HttpResponse<String> response = support.send(support.request(sandbox, "/_sandbox/stats", null).GET());

        assertThat(response.statusCode()).as("no API key needed").isEqualTo(200);
        JsonNode stats = JSON.readTree(response.body());
        assertThat(stats.path("evaluate_requests").asInt()).isEqualTo(2);
        assertThat(stats.path("evaluate_accepted").asInt()).isEqualTo(1);
        assertThat(stats.path("evaluate_rejected_422").asInt()).isEqualTo(1);
        assertThat(stats.path("webhooks_sent").asInt()).isEqualTo(1);
        assertThat(stats.path("max_evaluate_requests_in_any_sliding_second").asInt()).isEqualTo(2);
        assertThat(stats.path("accepted_then_failed").asInt()).isZero();
        JsonNode evaluate = stats.path("endpoints").path("evaluate");
        assertThat(evaluate.path("requests").asInt()).isEqualTo(2);
        assertThat(evaluate.path("accepted").asInt()).isEqualTo(1);
        assertThat(evaluate.path("rejected_422").asInt()).isEqualTo(1);
        assertThat(stats.path("endpoints").path("retrieve-simulation-results").path("not_found_404").asInt())
                .isEqualTo(1);
        assertThat(stats.path("endpoints").path("end-conversations").path("requests").asInt()).isZero();
        assertThat(stats.path("webhooks_sent_by_type").path("observability_call_evaluated").asInt()).isEqualTo(1);
        assertThat(stats.path("update_simulation_result_posts").isObject()).isTrue();
    }

    @Test
    void webhookLogListsEachDeliveryWithItsStatusAndBody() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ZERO)
                .withRecordBodies(true)
                .withWebhook(receiver.uri(), SECRET));
        String callId = support.postJson(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString())
                .path("call_id").asString();
        byte[] received = receiver.next().body();
        SandboxTestSupport.awaitTrue("delivery settled",
                () -> sandbox.webhooks().get(0).state() == SentWebhook.State.DELIVERED);

        JsonNode webhooks = JSON.readTree(support.get(sandbox, "/_sandbox/webhooks").body());

        assertThat(webhooks).hasSize(1);
        JsonNode webhook = webhooks.get(0);
        assertThat(webhook.path("type").asString()).isEqualTo("observability_call_evaluated");
        assertThat(webhook.path("id").asString()).isEqualTo(callId);
        assertThat(webhook.path("state").asString()).isEqualTo("DELIVERED");
        assertThat(webhook.path("status_code").asInt()).isEqualTo(200);
        assertThat(webhook.path("attempts").asInt()).isEqualTo(1);
        assertThat(webhook.path("body").asString()).isEqualTo(new String(received, StandardCharsets.UTF_8));
    }

    @Test
    void adminEndpointsAnswerOnlyGet() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> post = support.send(support.request(sandbox, "/_sandbox/requests", null)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> unknown = support.send(support.request(sandbox, "/_sandbox/nope", null).GET());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(sandbox.requests()).isEmpty();
    }
}
