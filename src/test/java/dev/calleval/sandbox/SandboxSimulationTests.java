package dev.calleval.sandbox;

import static dev.calleval.sandbox.SandboxTestSupport.JSON;
import static dev.calleval.sandbox.SandboxTestSupport.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.sandbox.SandboxTestSupport.Delivery;
import dev.calleval.sandbox.SandboxTestSupport.Receiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxSimulationTests {

    private static final Duration EVALUATION = Duration.ofMillis(40);

    private final SandboxTestSupport support = new SandboxTestSupport();

    @AfterEach
    void close() throws Exception {
        support.close();
    }

    // ------------------------------------------------------------------------------------------ queue

    @Test
    void queueCreatesRunWithOneRunningResultPerDigitalHumanAndRun() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        JsonNode queued = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"runs_per_digital_human\": 2}");

        assertThat(queued.path("simulation_run_id").isString()).isTrue();
        assertThat(queued.path("agent_id").asString()).isEqualTo("34");
        assertThat(queued.path("status").asString()).isEqualTo("success");
        assertThat(queued.path("terminated_conversations")).isEmpty();
        List<String> ids = strings(queued.path("simulation_result_ids"));
        assertThat(ids).hasSize(4).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9]+"));

        JsonNode results = support.getJson(sandbox,
                "/v1/retrieve-simulation-results/" + queued.path("simulation_run_id").asString());
        JsonNode run = results.path("simulation_run");
        assertThat(run.path("id").asString()).isEqualTo(queued.path("simulation_run_id").asString());
        assertThat(run.path("simulation_id").asString()).isEqualTo("30425");
        assertThat(run.path("status").asString()).isEqualTo("RUNNING");
        assertThat(run.path("total_tests").asInt()).isEqualTo(4);
        assertThat(run.path("tests_completed").asInt()).isZero();
        assertThat(Instant.parse(run.path("created_at").asString())).isNotNull();
        assertThat(results.path("status").asString()).isEqualTo("200");
        List<Integer> humans = new ArrayList<>();
        for (JsonNode result : results.path("simulation_results")) {
            assertThat(result.path("id").isIntegralNumber()).isTrue();
            assertThat(ids).contains(result.path("id").asString());
            assertThat(result.path("status").asString()).isEqualTo("RUNNING");
            assertThat(Instant.parse(result.path("start_time").asString())).isNotNull();
            assertThat(result.path("end_time").isNull()).isTrue();
            assertThat(result.path("duration").isNull()).isTrue();
            assertThat(result.path("evaluations")).isEmpty();
            humans.add(result.path("digital_human_id").asInt());
        }
        assertThat(humans).containsExactly(456, 456, 457, 457);
    }

    @Test
    void queueAnswers404ForAnUnknownSimulationOrDigitalHuman() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> simulation = support.post(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"99999\"}");
        HttpResponse<String> human = support.post(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"digital_human_ids\": [\"456\", \"999\"]}");

        assertThat(simulation.statusCode()).isEqualTo(404);
        assertThat(simulation.body()).isEqualTo("{\"detail\":\"Simulation not found\"}");
        assertThat(human.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(human.body()).path("detail").asString()).contains("999");
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.QUEUE_SMS_SIMULATION_RUN).notFound404()).isEqualTo(2);
    }

    @Test
    void queueRejectsInvalidBodyWith422ListingEveryError() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> response = support.post(sandbox, "/v1/queue-sms-simulation-run", """
                {"prompt_id": "not-a-uuid", "digital_human_ids": "456",
                 "terminate_overlapping_simulations": "maybe", "runs_per_digital_human": 0}
                """);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(errors(response)).containsExactly(
                "missing [\"body\",\"simulation_id\"]",
                "uuid_parsing [\"body\",\"prompt_id\"]",
                "list_type [\"body\",\"digital_human_ids\"]",
                "bool_parsing [\"body\",\"terminate_overlapping_simulations\"]",
                "greater_than [\"body\",\"runs_per_digital_human\"]");
        assertThat(errors(support.post(sandbox, "/v1/queue-sms-simulation-run", "")))
                .containsExactly("missing [\"body\"]");
        assertThat(errors(support.post(sandbox, "/v1/queue-sms-simulation-run", "[1]")))
                .containsExactly("model_type [\"body\"]");
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void endedConversationIsEvaluatedWithTheScriptedOutcomeAndSignedWebhooks() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(EVALUATION)
                .withWebhook(receiver.uri(), SECRET));
        JsonNode queued = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"digital_human_ids\": [\"456\", \"457\"]}");
        String runId = queued.path("simulation_run_id").asString();
        List<String> ids = strings(queued.path("simulation_result_ids"));

        JsonNode ended = support.postJson(sandbox, "/v1/end-conversations",
                "{\"test_result_ids\": [" + String.join(", ", ids) + "]}");
        assertThat(ended.path("ended_count").asInt()).isEqualTo(2);

        Map<String, JsonNode> endedEvents = new HashMap<>();
        Map<String, JsonNode> evaluatedEvents = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Delivery delivery = receiver.next();
            assertThat(delivery.signedWith(SECRET)).as("X-Bluejay-Signature verifies over the raw body").isTrue();
            JsonNode event = delivery.json();
            assertThat(delivery.event()).isEqualTo(event.path("type").asString());
            (event.path("type").asString().equals("simulation_ended") ? endedEvents : evaluatedEvents)
                    .put(event.path("id").asString(), event);
        }
        assertThat(endedEvents.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(evaluatedEvents.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        JsonNode endedEvent = endedEvents.get(ids.get(0));
        assertThat(endedEvent.path("id").isIntegralNumber()).isTrue();
        assertThat(endedEvent.path("status").asString()).isEqualTo("CONVERSATION_ENDED");
        assertThat(endedEvent.path("simulation_run_id").asString()).isEqualTo(runId);
        assertThat(endedEvent.path("simulation_run_id").isIntegralNumber()).isTrue();
        assertThat(endedEvent.path("duration").isIntegralNumber()).isTrue();
        JsonNode passed = evaluatedEvents.get(ids.get(0));
        assertThat(passed.path("digital_human_id").asInt()).isEqualTo(456);
        assertThat(passed.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(passed.path("simulation_id").isIntegralNumber()).isTrue();
        assertThat(passed.path("simulation_id").asInt()).isEqualTo(30425);
        assertThat(passed.path("agent_id").asInt()).isEqualTo(34);
        assertThat(passed.path("evaluations")).hasSize(1);
        assertThat(passed.path("evaluations").get(0).path("goal_success").asBoolean()).isTrue();
        assertThat(passed.path("evaluations").get(0).path("custom_metrics").isNull()).isTrue();
        assertThat(passed.path("evaluations").get(0).path("hallucination").isNull()).isTrue();
        assertThat(evaluatedEvents.get(ids.get(1)).path("evaluations").get(0).path("goal_success").asBoolean())
                .isFalse();

        JsonNode run = support.getJson(sandbox, "/v1/retrieve-simulation-results/" + runId).path("simulation_run");
        assertThat(run.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.path("tests_passed").asInt()).isEqualTo(1);
        assertThat(run.path("tests_failed").asInt()).isEqualTo(1);
        assertThat(run.path("tests_completed").asInt()).isEqualTo(2);
        assertThat(run.path("tests_incompleted").asInt()).isZero();
        JsonNode result = support.getJson(sandbox, "/v1/retrieve-simulation-result/" + ids.get(1))
                .path("simulation_result");
        assertThat(result.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(result.path("evaluations").get(0).path("goal_success").asBoolean()).isFalse();
        assertThat(Instant.parse(result.path("end_time").asString()))
                .isAfterOrEqualTo(Instant.parse(result.path("start_time").asString()));
        awaitWebhooksSent(sandbox, "simulation_result_evaluated", 2);
        assertThat(sandbox.stats().webhooksSentByType()).containsEntry("simulation_ended", 2L);
    }

    @Test
    void conversationEndsByItselfAfterTheConfiguredDuration() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(EVALUATION)
                .withConversationDuration(Duration.ofMillis(100))
                .withWebhook(receiver.uri(), SECRET));
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"digital_human_ids\": [\"456\"]}")
                .path("simulation_result_ids").get(0).asString();

        Delivery ended = receiver.next("simulation_ended");
        JsonNode result = support.await(sandbox, "/v1/retrieve-simulation-result/" + id,
                r -> r.path("simulation_result").path("status").asString().equals("COMPLETED"))
                .path("simulation_result");

        assertThat(ended.json().path("id").asString()).isEqualTo(id);
        assertThat(result.path("duration").asLong()).isBetween(90L, 2000L);
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.END_CONVERSATIONS).requests()).isZero();
    }

    @Test
    void resultStaysRunningWithoutConversationDuration() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withEvaluationDelay(Duration.ZERO));
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids").get(0).asString();

        Thread.sleep(150);

        assertThat(support.getJson(sandbox, "/v1/retrieve-simulation-result/" + id)
                .path("simulation_result").path("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void scriptedCustomMetricsAppearInTheEvaluation() throws Exception {
        DigitalHumanSpec.ScriptedMetric verified = new DigitalHumanSpec.ScriptedMetric("Verified identity",
                "Did the agent verify the caller?", "pass_fail", "pass", "Asked for the PIN");
        SandboxServer sandbox = support.start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ZERO)
                .withSimulation("500", new SimulationSpec(77, false, List.of(
                        new DigitalHumanSpec(9, "Ann", "+15550000009", null, List.of(verified))))));
        JsonNode queued = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"500\"}");
        String id = queued.path("simulation_result_ids").get(0).asString();
        support.postJson(sandbox, "/v1/end-conversations", "{\"test_result_ids\": [" + id + "]}");

        JsonNode result = support.await(sandbox, "/v1/retrieve-simulation-result/" + id,
                r -> r.path("simulation_result").path("status").asString().equals("COMPLETED"))
                .path("simulation_result");

        assertThat(queued.path("agent_id").asString()).isEqualTo("77");
        JsonNode evaluation = result.path("evaluations").get(0);
        assertThat(evaluation.path("goal_success").isNull()).isTrue();
        JsonNode metric = evaluation.path("custom_metrics").get(0);
        assertThat(metric.path("name").asString()).isEqualTo("Verified identity");
        assertThat(metric.path("response_type").asString()).isEqualTo("pass_fail");
        assertThat(metric.path("response_value").asString()).isEqualTo("pass");
        JsonNode run = support.getJson(sandbox, "/v1/retrieve-simulation-results/"
                + queued.path("simulation_run_id").asString()).path("simulation_run");
        assertThat(run.path("tests_completed").asInt()).isEqualTo(1);
        assertThat(run.path("tests_passed").asInt() + run.path("tests_failed").asInt()).as("no verdict").isZero();
    }

    @Test
    void overlappingRunTerminatesRunningResultsOfTheSameSimulation() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withEvaluationDelay(Duration.ofSeconds(10)));
        String first = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"digital_human_ids\": [\"456\"]}")
                .path("simulation_result_ids").get(0).asString();
        String other = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30426\"}")
                .path("simulation_result_ids").get(0).asString();

        JsonNode second = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\", \"digital_human_ids\": [\"456\"],"
                        + " \"terminate_overlapping_simulations\": true}");

        JsonNode terminated = second.path("terminated_conversations");
        assertThat(terminated).hasSize(1);
        assertThat(terminated.get(0).path("test_result_id").asString()).isEqualTo(first);
        assertThat(terminated.get(0).path("digital_human_id").asInt()).isEqualTo(456);
        assertThat(status(sandbox, first)).isEqualTo("CONVERSATION_ENDED");
        assertThat(status(sandbox, other)).as("another simulation is left alone").isEqualTo("RUNNING");
        assertThat(status(sandbox, second.path("simulation_result_ids").get(0).asString())).isEqualTo("RUNNING");
    }

    @Test
    void outboundSimulationSendsStartedWebhookWithItsResultIds() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withWebhook(receiver.uri(), SECRET));

        JsonNode queued = support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30426\", \"runs_per_digital_human\": 2}");
        Delivery delivery = receiver.next();

        assertThat(delivery.signedWith(SECRET)).isTrue();
        assertThat(delivery.event()).isEqualTo("outbound_simulation_started");
        JsonNode event = delivery.json();
        assertThat(event.path("type").asString()).isEqualTo("outbound_simulation_started");
        assertThat(event.path("agent_id").asInt()).isEqualTo(34);
        assertThat(event.path("simulation_id").isIntegralNumber()).isTrue();
        assertThat(event.path("simulation_id").asInt()).isEqualTo(30426);
        assertThat(event.path("simulation_run_id").asString()).isEqualTo(queued.path("simulation_run_id").asString());
        JsonNode human = event.path("digital_humans").get(0);
        assertThat(human.path("id").asInt()).isEqualTo(458);
        assertThat(human.path("name").asString()).isEqualTo("Priya Shah");
        assertThat(human.path("phone_number").asString()).isEqualTo("+15551234569");
        assertThat(strings(human.path("associated_simulation_result_ids")))
                .containsExactlyElementsOf(strings(queued.path("simulation_result_ids")));
        assertThat(human.path("associated_simulation_result_ids").get(0).isIntegralNumber()).isTrue();
    }

    @Test
    void inboundSimulationSendsNoStartedWebhook() throws Exception {
        Receiver receiver = support.receiver();
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withWebhook(receiver.uri(), SECRET));

        support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}");

        assertThat(receiver.deliveries().poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(sandbox.webhooks()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ end

    @Test
    void endConversationsEndsOnlyRunningResults() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withEvaluationDelay(Duration.ofSeconds(10)));
        List<String> ids = strings(support.postJson(sandbox, "/v1/queue-sms-simulation-run",
                "{\"simulation_id\": \"30425\"}").path("simulation_result_ids"));

        JsonNode first = support.postJson(sandbox, "/v1/end-conversations",
                "{\"test_result_ids\": [" + ids.get(0) + ", 999999, \"" + ids.get(0) + "\"]}");
        JsonNode again = support.postJson(sandbox, "/v1/end-conversations",
                "{\"test_result_ids\": [" + ids.get(0) + "]}");

        assertThat(first.path("success").asBoolean()).isTrue();
        assertThat(first.path("ended_count").asInt()).isEqualTo(1);
        assertThat(first.path("test_result_ids").toString())
                .isEqualTo("[" + ids.get(0) + ",999999," + ids.get(0) + "]");
        assertThat(first.path("failed_ids").toString()).as("unknown, and the same id again")
                .isEqualTo("[999999," + ids.get(0) + "]");
        assertThat(first.path("message").asString()).isNotBlank();
        assertThat(again.path("success").asBoolean()).isFalse();
        assertThat(again.path("ended_count").asInt()).isZero();
        assertThat(again.path("failed_ids").get(0).asString()).isEqualTo(ids.get(0));
        assertThat(status(sandbox, ids.get(0))).isEqualTo("CONVERSATION_ENDED");
        assertThat(status(sandbox, ids.get(1))).isEqualTo("RUNNING");
    }

    @Test
    void endConversationsRejectsEmptyOrNonIntegerIds() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        assertThat(errors(support.post(sandbox, "/v1/end-conversations", "{\"test_result_ids\": []}")))
                .containsExactly("too_short [\"body\",\"test_result_ids\"]");
        assertThat(errors(support.post(sandbox, "/v1/end-conversations", "{\"test_result_ids\": [\"abc\", 1.5]}")))
                .containsExactly("int_parsing [\"body\",\"test_result_ids\",0]",
                        "int_from_float [\"body\",\"test_result_ids\",1]");
        assertThat(errors(support.post(sandbox, "/v1/end-conversations", "{}")))
                .containsExactly("missing [\"body\",\"test_result_ids\"]");
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.END_CONVERSATIONS).rejected422()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------ update

    @Test
    void updateSimulationResultAppendsToolCallsOnEveryPostAndCountsPosts() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());
        String id = support.postJson(sandbox, "/v1/queue-sms-simulation-run", "{\"simulation_id\": \"30425\"}")
                .path("simulation_result_ids").get(0).asString();
        String update = """
                {"simulation_result_id": "%s",
                 "tool_calls": [{"name": "transfer_funds", "start_offset_ms": 120000,
                                 "parameters": {"amount": 500}, "output": {"status": "completed"}},
                                {"name": "lookup", "start_offset_ms": 5000}],
                 "events": [{"title": "Customer verified", "start_offset_ms": 30000, "tags": ["verification"]}],
                 "metadata": {"resolution_status": "resolved"},
                 "trace_ids": ["4bf92f3577b34da6a3ce929d0e0e4736"]}
                """.formatted(id);

        JsonNode answer = support.postJson(sandbox, "/v1/update-simulation-result", update);
        support.postJson(sandbox, "/v1/update-simulation-result", update);

        assertThat(answer.path("status").asString()).isEqualTo("success");
        assertThat(answer.has("message")).isTrue();
        JsonNode result = support.getJson(sandbox, "/v1/retrieve-simulation-result/" + id).path("simulation_result");
        JsonNode groups = result.path("tool_calls");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).path("name").asString()).isEqualTo("transfer_funds");
        assertThat(groups.get(0).path("expected")).isEmpty();
        assertThat(groups.get(0).path("actual")).as("a second post doubles the tool calls").hasSize(2);
        assertThat(groups.get(0).path("actual").get(0).path("parameters").path("amount").asInt()).isEqualTo(500);
        assertThat(groups.get(0).path("actual").get(0).path("start_offset_ms").asInt()).isEqualTo(120000);
        assertThat(groups.get(1).path("actual")).hasSize(2);
        assertThat(result.path("events")).hasSize(2);
        assertThat(sandbox.updateSimulationResultPosts()).containsExactly(Map.entry(id, 2));
        assertThat(sandbox.stats().updateSimulationResultPosts()).containsExactly(Map.entry(id, 2));
        JsonNode stats = support.getJson(sandbox, "/_sandbox/stats");
        assertThat(stats.path("update_simulation_result_posts").path(id).asInt()).isEqualTo(2);
    }

    @Test
    void updateSimulationResultAnswers404ForUnknownIds() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> unknown = support.post(sandbox, "/v1/update-simulation-result",
                "{\"simulation_result_id\": \"1\"}");
        HttpResponse<String> notNumeric = support.post(sandbox, "/v1/update-simulation-result",
                "{\"simulation_result_id\": \"abc\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Simulation result not found\"}");
        assertThat(notNumeric.statusCode()).isEqualTo(404);
        assertThat(sandbox.updateSimulationResultPosts()).isEmpty();
    }

    @Test
    void updateSimulationResultValidatesItemsLikeTheEvaluateBody() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> response = support.post(sandbox, "/v1/update-simulation-result", """
                {"simulation_result_id": 716977,
                 "tool_calls": [{"name": 1, "start_offset_ms": -5}],
                 "events": [{"start_offset_ms": 1}],
                 "recorded_transcript": [{"start_offset_ms": 0, "end_offset_ms": 10, "speaker": "BOT",
                                          "utterance": "hi"}],
                 "tags": "vip", "metadata": [], "trace_ids": [7]}
                """);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(errors(response)).containsExactly(
                "string_type [\"body\",\"simulation_result_id\"]",
                "missing [\"body\",\"events\",0,\"title\"]",
                "string_type [\"body\",\"tool_calls\",0,\"name\"]",
                "greater_than_equal [\"body\",\"tool_calls\",0,\"start_offset_ms\"]",
                "enum [\"body\",\"recorded_transcript\",0,\"speaker\"]",
                "list_type [\"body\",\"tags\"]",
                "dict_type [\"body\",\"metadata\"]",
                "string_type [\"body\",\"trace_ids\",0]");
    }

    @Test
    void retrieveSimulationEndpointsAnswer404ForUnknownIds() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());

        HttpResponse<String> run = support.get(sandbox, "/v1/retrieve-simulation-results/1");
        HttpResponse<String> result = support.get(sandbox, "/v1/retrieve-simulation-result/abc");

        assertThat(run.statusCode()).isEqualTo(404);
        assertThat(run.body()).isEqualTo("{\"detail\":\"Simulation run not found\"}");
        assertThat(result.statusCode()).isEqualTo(404);
        assertThat(result.body()).isEqualTo("{\"detail\":\"Simulation result not found\"}");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private String status(SandboxServer sandbox, String resultId) throws Exception {
        return support.getJson(sandbox, "/v1/retrieve-simulation-result/" + resultId)
                .path("simulation_result").path("status").asString();
    }

    private static void awaitWebhooksSent(SandboxServer sandbox, String type, long count) throws Exception {
        SandboxTestSupport.awaitTrue(count + " " + type + " acknowledged",
                () -> sandbox.stats().webhooksSentByType().getOrDefault(type, 0L) == count);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asString()));
        return values;
    }

    /** The {@code type loc} of every 422 item. */
    static List<String> errors(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        List<String> reported = new ArrayList<>();
        for (JsonNode item : JSON.readTree(response.body()).path("detail")) {
            assertThat(item.path("msg").asString()).isNotBlank();
            assertThat(item.has("input")).isTrue();
            reported.add(item.path("type").asString() + " " + item.path("loc"));
        }
        return reported;
    }
}
