package dev.calleval.sandbox;

import static dev.calleval.sandbox.SandboxSimulationTests.errors;
import static dev.calleval.sandbox.SandboxTestSupport.JSON;
import static dev.calleval.sandbox.SandboxTestSupport.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.sandbox.SandboxTestSupport.Delivery;
import dev.calleval.sandbox.SandboxTestSupport.Receiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SandboxCallLogsTests {

    private final SandboxTestSupport support = new SandboxTestSupport();

    @AfterEach
    void close() throws Exception {
        support.close();
    }

    // ------------------------------------------------------------------------------------------ retrieve-call-logs

    @Test
    void retrieveCallLogsPagesTheAgentsCallsNewestFirstWithTheirMetadata() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());
        List<String> ids = new ArrayList<>();
        for (int row = 1; row <= 3; row++) {
            ids.add(evaluate(sandbox, call("1234", "manifest.csv#" + row)));
            Thread.sleep(2); // distinct created_at
        }
        evaluate(sandbox, call("999", "other.csv#1"));

        JsonNode first = support.getJson(sandbox, "/v1/retrieve-call-logs/1234?page_size=2");
        JsonNode second = support.getJson(sandbox, "/v1/retrieve-call-logs/1234?page_size=2&page=2");
        JsonNode beyond = support.getJson(sandbox, "/v1/retrieve-call-logs/1234?page_size=2&page=3");

        assertThat(first.path("total_count").asInt()).isEqualTo(3);
        assertThat(first.path("total_pages").asInt()).isEqualTo(2);
        assertThat(first.path("page").asInt()).isEqualTo(1);
        assertThat(first.path("page_size").asInt()).isEqualTo(2);
        assertThat(idsOf(first)).containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(second)).containsExactly(ids.get(0));
        assertThat(second.path("call_logs").get(0).path("metadata").path("calleval_source_id").asString())
                .isEqualTo("manifest.csv#1");
        assertThat(second.path("call_logs").get(0).path("participants")).hasSize(2);
        assertThat(second.path("call_logs").get(0).has("evaluations")).isTrue();
        assertThat(beyond.path("call_logs")).isEmpty();
        assertThat(beyond.path("total_count").asInt()).isEqualTo(3);
        JsonNode defaults = support.getJson(sandbox, "/v1/retrieve-call-logs/1234");
        assertThat(defaults.path("page_size").asInt()).isEqualTo(20);
        assertThat(idsOf(defaults)).hasSize(3);
        JsonNode none = support.getJson(sandbox, "/v1/retrieve-call-logs/777");
        assertThat(none.path("total_count").asInt()).isZero();
        assertThat(none.path("total_pages").asInt()).isZero();
    }

    @Test
    void retrieveCallLogsFiltersByCreatedTimeAndLabel() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());
        ObjectNode old = call("1234", "old");
        old.put("created_at", Instant.now().minus(10, ChronoUnit.DAYS).toString());
        String oldId = evaluate(sandbox, old);
        ObjectNode staging = call("1234", "staging");
        staging.put("label", "staging");
        String stagingId = evaluate(sandbox, staging);

        assertThat(idsOf(support.getJson(sandbox, "/v1/retrieve-call-logs/1234"))).containsExactly(stagingId);
        assertThat(idsOf(support.getJson(sandbox, "/v1/retrieve-call-logs/1234?last=7days")))
                .containsExactly(stagingId);
        assertThat(idsOf(support.getJson(sandbox, "/v1/retrieve-call-logs/1234?last=30days")))
                .containsExactly(stagingId, oldId);
        assertThat(idsOf(support.getJson(sandbox, "/v1/retrieve-call-logs/1234?last=all&label=production")))
                .containsExactly(oldId);
        assertThat(idsOf(support.getJson(sandbox, "/v1/retrieve-call-logs/1234?label=staging")))
                .containsExactly(stagingId);
    }

    @Test
    void retrieveCallLogsRejectsBadQueryValuesLikeFastApi() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> bad = support.get(sandbox, "/v1/retrieve-call-logs/1234?page_size=0&page=abc&last=2days");
        HttpResponse<String> tooLarge = support.get(sandbox, "/v1/retrieve-call-logs/1234?page_size=101");

        assertThat(errors(bad)).containsExactly(
                "greater_than_equal [\"query\",\"page_size\"]",
                "int_parsing [\"query\",\"page\"]",
                "enum [\"query\",\"last\"]");
        JsonNode item = JSON.readTree(bad.body()).path("detail").get(0);
        assertThat(item.path("input").asString()).as("query values are strings").isEqualTo("0");
        assertThat(item.path("ctx").path("ge").asInt()).isEqualTo(1);
        assertThat(errors(tooLarge)).containsExactly("less_than_equal [\"query\",\"page_size\"]");
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.RETRIEVE_CALL_LOGS).rejected422()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------ re-evaluate

    @Test
    void reEvaluateAppendsANewEvaluationAndSendsTheWebhookAgain() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofMillis(40))
                .withWebhook(receiver.uri(), SECRET));
        String callId = evaluate(sandbox, call("1234", "manifest.csv#1"));
        JsonNode firstEvent = receiver.next().json();

        JsonNode answer = support.postJson(sandbox, "/v1/re-evaluate/" + callId, "");
        JsonNode during = support.getJson(sandbox, "/v1/retrieve-call-log/" + callId).path("call_log");
        Delivery second = receiver.next();

        assertThat(answer.path("status").asString()).isEqualTo("success");
        assertThat(answer.path("call_id").asString()).isEqualTo(callId);
        assertThat(answer.path("message").asString()).isNotBlank();
        assertThat(during.path("status").asString()).isEqualTo("EVALUATING");
        assertThat(firstEvent.path("evaluations")).hasSize(1);
        assertThat(second.signedWith(SECRET)).isTrue();
        JsonNode secondEvent = second.json();
        assertThat(secondEvent.path("type").asString()).isEqualTo("observability_call_evaluated");
        assertThat(secondEvent.path("id").asString()).isEqualTo(callId);
        assertThat(secondEvent.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(secondEvent.path("evaluations")).hasSize(2);
        assertThat(secondEvent.path("evaluations").get(0).path("id").asString())
                .isEqualTo(firstEvent.path("evaluations").get(0).path("id").asString());
        assertThat(secondEvent.path("evaluations").get(1).path("id").asString())
                .isNotEqualTo(secondEvent.path("evaluations").get(0).path("id").asString());
        JsonNode log = support.getJson(sandbox, "/v1/retrieve-call-log/" + callId).path("call_log");
        assertThat(log.path("evaluations")).hasSize(2);
    }

    @Test
    void reEvaluateAnswers404ForUnknownAnd422ForNonUuidCallIds() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> unknown = support.post(sandbox, "/v1/re-evaluate/" + UUID.randomUUID(), "");
        HttpResponse<String> notUuid = support.post(sandbox, "/v1/re-evaluate/call-1", "");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Call log not found\"}");
        assertThat(errors(notUuid)).containsExactly("uuid_parsing [\"path\",\"call_id\"]");
        assertThat(JSON.readTree(notUuid.body()).path("detail").get(0).path("input").asString()).isEqualTo("call-1");
    }

    @Test
    void aCallLogImportedFromAnotherSandboxIsRetrievedAndReEvaluatedWithACopyOfItsNewestEvaluation() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofMillis(40))
                .withWebhook(receiver.uri(), SECRET));
        String callId = UUID.randomUUID().toString();
        sandbox.importCallLog("""
                {"id": "%s", "agent_id": "1234", "status": "COMPLETED", "metadata": {"calleval_source_id": "m.csv#7"},
                 "evaluations": [{"id": "ev-old", "created_at": "2026-11-19T08:00:00Z", "num_turns": 7, "goal_success": null}]}"""
                .formatted(callId));

        JsonNode before = support.getJson(sandbox, "/v1/retrieve-call-log/" + callId).path("call_log");
        JsonNode answer = support.postJson(sandbox, "/v1/re-evaluate/" + callId, "");
        JsonNode event = receiver.next().json();

        assertThat(before.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(before.path("evaluations")).hasSize(1);
        assertThat(answer.path("status").asString()).isEqualTo("success");
        assertThat(event.path("id").asString()).isEqualTo(callId);
        assertThat(event.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(event.path("evaluations")).hasSize(2);
        assertThat(event.path("evaluations").get(1).path("id").asString()).isNotEqualTo("ev-old");
        assertThat(event.path("evaluations").get(1).path("num_turns").asInt()).isEqualTo(7);
        assertThat(event.path("metadata").path("calleval_source_id").asString()).isEqualTo("m.csv#7");
        assertThatThrownBy(() -> sandbox.importCallLog("{\"agent_id\": \"1\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private String evaluate(SandboxServer sandbox, ObjectNode body) throws Exception {
        return support.postJson(sandbox, "/v1/evaluate", body.toString()).path("call_id").asString();
    }

    private static ObjectNode call(String agentId, String sourceId) {
        ObjectNode body = SandboxServerTests.validBody();
        body.put("agent_id", agentId);
        body.putObject("metadata").put("calleval_source_id", sourceId);
        return body;
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("call_logs").forEach(log -> ids.add(log.path("id").asString()));
        return ids;
    }
}
