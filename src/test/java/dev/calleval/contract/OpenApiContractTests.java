package dev.calleval.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.calleval.contract.OpenApiContract.SchemaRef;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Self-test of {@link OpenApiContract}: the JSON examples of bluejay-api.md validate against the schemas the
 * spec gives their endpoints, and deliberately broken copies are rejected with an error naming the field. The
 * negative cases are what make the other contract tests worth anything: they prove that required fields,
 * types, enums, array sizes and the {@code uri}, {@code uuid} and {@code date-time} formats are asserted.
 */
class OpenApiContractTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    // ------------------------------------------------------------------ examples copied from bluejay-api.md

    /** §1.8 request. */
    static final String EVALUATE_REQUEST = """
            {
              "agent_id": "1234",
              "start_time_utc": "2026-08-01T14:03:22Z",
              "participants": [
                {"role": "AGENT", "name": "Acme Assistant", "phone_number": "+15550001111"},
                {"role": "USER", "phone_number": "+15552223333"}
              ],
              "recording_url": "https://storage.example.com/calls/prod-778899.wav",
              "call_direction": "INBOUND",
              "interface": "PHONE",
              "transcript": [
                {"start_offset_ms": 0, "end_offset_ms": 2400, "speaker": "AGENT", "utterance": "Thanks for calling Acme, how can I help?"},
                {"start_offset_ms": 2900, "end_offset_ms": 5200, "speaker": "USER", "utterance": "Where is my order?"},
                {"start_offset_ms": 5600, "end_offset_ms": 6100, "speaker": "AGENT", "utterance": "One moment.", "filler_utterance": true}
              ],
              "tool_calls": [
                {"name": "lookup_order", "start_offset_ms": 6000, "description": "Fetch order status",
                 "parameters": {"order_id": "A-1"}, "output": {"status": "shipped"}}
              ],
              "events": [{"title": "Hold", "start_offset_ms": 6100, "end_offset_ms": 9000, "tags": ["hold"]}],
              "tags": ["batch-2026-08-01"],
              "metadata": {"source_call_id": "prod-778899", "customer_tier": "gold"},
              "custom_metric_tags": ["compliance"],
              "conversation_ended_by": "USER",
              "multichannel": true
            }
            """;

    /** §1.8 response 200. */
    static final String EVALUATE_RESPONSE = """
            {"status": "<string>", "call_id": "6f1c2d9e-8a4b-4c1e-9f0a-3b2c1d0e9f8a", "message": "<string>"}
            """;

    /** §1.8 response 422. */
    static final String EVALUATE_422 = """
            {"detail": [{"loc": ["body", "CallRequestUsingAgentId", "participants"], "msg": "List should have at least 2 items after validation, not 1", "type": "too_short"}]}
            """;

    /** §3.3. */
    static final String OBSERVABILITY_CALL_EVALUATED = """
            {
              "type": "observability_call_evaluated",
              "id": "6f1c2d9e-8a4b-4c1e-9f0a-3b2c1d0e9f8a",
              "agent_id": "1234",
              "external_agent_id": null,
              "recording_url": "https://.../recording.wav",
              "start_time_utc": "2026-08-01T14:03:22Z",
              "participants": [{"role": "AGENT", "spoke_first": true}, {"role": "USER", "spoke_first": false}],
              "call_direction": "INBOUND",
              "interface": "PHONE",
              "status": "COMPLETED",
              "created_at": "2026-08-01T15:00:01Z",
              "tool_calls": [{"name": "lookup_order", "start_offset_ms": 6000, "parameters": {"order_id": "A-1"}, "output": {"status": "shipped"}}],
              "events": [],
              "tags": ["batch-2026-08-01"],
              "duration_ms": 184000,
              "evaluations": [{
                "id": "ev_...", "created_at": "2026-08-01T15:01:10Z",
                "agent_speak_percentage": 55.2, "avg_agent_latency": 1.1,
                "latency": {"avg_agent_latency": 1.1, "max_agent_latency": 3.2, "p50_agent_latency": 0.9, "p90_agent_latency": 2.0, "p95_agent_latency": 2.4, "p99_agent_latency": 3.1},
                "hallucination": false, "redundancy": false, "num_turns": 12, "call_summary": "...",
                "goal_success": true, "sentiment_label": "positive",
                "custom_metrics": [{"name": "Verified identity", "description": "...", "response_type": "pass_fail", "response_value": "pass", "reasoning": "..."}]
              }],
              "annotations": null,
              "metadata": {"source_call_id": "prod-778899"},
              "conversation_ended_by": "USER"
            }
            """;

    /** §3.5. */
    static final String SIMULATION_RESULT_EVALUATED = """
            {"type":"simulation_result_evaluated","id":123,"digital_human_id":456,"status":"COMPLETED","simulation_run_id":789,"simulation_id":12,"agent_id":34,"folder_id":"d3b1e0f0-1234-5678-9abc-def012345678","evaluations":[],"events":[],"tool_calls":[],"tags":[],"metadata":{},"created_at":"2026-07-16T18:00:00Z","start_time":"2026-07-16T18:00:05Z","end_time":"2026-07-16T18:02:10Z","duration":125}
            """;

    /** §3.6. */
    static final String SIMULATION_ENDED = """
            {"type":"simulation_ended","id":123,"digital_human_id":456,"status":"CONVERSATION_ENDED","simulation_run_id":789,"created_at":"2026-07-16T18:00:00Z","start_time":"2026-07-16T18:00:05Z","end_time":"2026-07-16T18:02:10Z","duration":125}
            """;

    /** §3.7. */
    static final String OUTBOUND_SIMULATION_STARTED = """
            {"type":"outbound_simulation_started","agent_id":34,"simulation_id":12,"simulation_run_id":789,"digital_humans":[{"id":456,"name":"Maria Gonzalez","phone_number":"+15551234567","associated_simulation_result_ids":[123]}]}
            """;

    /** §4.1 request ({@code trace_ids} is not in the spec; extra properties are allowed). */
    static final String UPDATE_SIMULATION_RESULT = """
            {"simulation_result_id":"1234","tool_calls":[{"name":"transfer_funds","start_offset_ms":120000,"parameters":{"from":"12345","to":"67890","amount":500},"output":{"status":"completed"}}],"events":[{"title":"Customer verified","start_offset_ms":30000,"tags":["verification"]}],"metadata":{"resolution_status":"resolved"},"trace_ids":["4bf92f3577b34da6a3ce929d0e0e4736"]}
            """;

    /** §4.2 request. */
    static final String QUEUE_SMS_REQUEST = """
            {"simulation_id":"30425","digital_human_ids":["716977"],"terminate_overlapping_simulations":true}
            """;

    /** §4.2 response. */
    static final String QUEUE_SMS_RESPONSE = """
            {"simulation_run_id":"227413","simulation_result_ids":["716977"],"agent_id":"34","status":"success","terminated_conversations":[]}
            """;

    /** §4.3 request. */
    static final String END_CONVERSATIONS_REQUEST = """
            {"test_result_ids":[716977,716978]}
            """;

    /** §4.3 response. */
    static final String END_CONVERSATIONS_RESPONSE = """
            {"success":true,"ended_count":1,"test_result_ids":[716977,716978],"failed_ids":[716978],"message":"..."}
            """;

    /** §4.4 response. */
    static final String SIMULATION_RESULTS_RESPONSE = """
            {"simulation_run":{"id":"227413","simulation_id":"30425","status":"COMPLETED","total_tests":3,"tests_passed":3,"tests_failed":0,"tests_completed":3,"tests_incompleted":0,"created_at":"2026-08-18T17:00:00Z"},
             "simulation_results":[{"id":716977,"digital_human_id":456,"status":"COMPLETED","duration":125000,"evaluations":[],"tool_calls":[{"name":"lookup_order","expected":[{"parameters":{"order_id":"A-1"}}],"actual":[{"parameters":{"order_id":"A-1"},"start_offset_ms":6000}]}]}],
             "status":"200"}
            """;

    /** §4.5 response. */
    static final String SIMULATION_RESULT_RESPONSE = """
            {"simulation_result":{"id":716977,"digital_human_id":456,"status":"COMPLETED","evaluations":[]},"status":"200"}
            """;

    // ------------------------------------------------------------------------------------ valid examples

    record Example(String name, Function<OpenApiContract, SchemaRef> schema, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Example> documentedExamples() {
        return Stream.of(
                new Example("§1.8 evaluate request", request("POST", "/v1/evaluate"), EVALUATE_REQUEST),
                new Example("§1.8 evaluate response 200", response("POST", "/v1/evaluate", 200), EVALUATE_RESPONSE),
                new Example("§1.8 evaluate response 422", response("POST", "/v1/evaluate", 422), EVALUATE_422),
                new Example("§3.3 observability_call_evaluated", webhook("observability_call_evaluated"),
                        OBSERVABILITY_CALL_EVALUATED),
                new Example("§3.5 simulation_result_evaluated", webhook("simulation_result_evaluated"),
                        SIMULATION_RESULT_EVALUATED),
                new Example("§3.6 simulation_ended", webhook("simulation_ended"), SIMULATION_ENDED),
                new Example("§3.7 outbound_simulation_started", webhook("outbound_simulation_started"),
                        OUTBOUND_SIMULATION_STARTED),
                new Example("§4.1 update-simulation-result request", request("POST", "/v1/update-simulation-result"),
                        UPDATE_SIMULATION_RESULT),
                new Example("§4.2 queue-sms-simulation-run request", request("POST", "/v1/queue-sms-simulation-run"),
                        QUEUE_SMS_REQUEST),
                new Example("§4.2 queue-sms-simulation-run response",
                        response("POST", "/v1/queue-sms-simulation-run", 200), QUEUE_SMS_RESPONSE),
                new Example("§4.3 end-conversations request", request("POST", "/v1/end-conversations"),
                        END_CONVERSATIONS_REQUEST),
                new Example("§4.3 end-conversations response", response("POST", "/v1/end-conversations", 200),
                        END_CONVERSATIONS_RESPONSE),
                new Example("§4.4 retrieve-simulation-results response",
                        response("GET", "/v1/retrieve-simulation-results/{simulation_run_id}", 200),
                        SIMULATION_RESULTS_RESPONSE),
                new Example("§4.5 retrieve-simulation-result response",
                        response("GET", "/v1/retrieve-simulation-result/{test_result_id}", 200),
                        SIMULATION_RESULT_RESPONSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void documentedExampleValidatesAgainstItsSchema(Example example) {
        OpenApiContract contract = OpenApiContract.require();

        assertThat(contract.validate(example.schema().apply(contract), example.json()))
                .as(example.name())
                .isEmpty();
    }

    // ----------------------------------------------------------------------------------- broken copies

    /**
     * A documented example with one thing broken, and the error expected: the JSON pointer of the offending
     * field and the JSON Schema keyword that must reject it. A missing required field is reported at its parent
     * object, with the field's name in the message.
     */
    record Broken(String name, Function<OpenApiContract, SchemaRef> schema, String example, Consumer<ObjectNode> breakIt,
            String field, String keyword) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Broken> brokenCopies() {
        Function<OpenApiContract, SchemaRef> evaluate = request("POST", "/v1/evaluate");
        return Stream.of(
                new Broken("evaluate without start_time_utc", evaluate, EVALUATE_REQUEST,
                        body -> body.remove("start_time_utc"), "/start_time_utc", "required"),
                new Broken("evaluate with neither agent_id nor external_agent_id", evaluate, EVALUATE_REQUEST,
                        body -> body.remove("agent_id"), "/agent_id", "required"),
                new Broken("evaluate with neither external_agent_id nor agent_id", evaluate, EVALUATE_REQUEST,
                        body -> body.remove("agent_id"), "/external_agent_id", "required"),
                new Broken("evaluate with a start time without offset", evaluate, EVALUATE_REQUEST,
                        body -> body.put("start_time_utc", "2026-08-01T14:03:22"), "/start_time_utc", "format"),
                new Broken("evaluate with a start time that is no date", evaluate, EVALUATE_REQUEST,
                        body -> body.put("start_time_utc", "01/08/2026 14:03"), "/start_time_utc", "format"),
                new Broken("evaluate with a relative recording_url", evaluate, EVALUATE_REQUEST,
                        body -> body.put("recording_url", "calls/prod-778899.wav"), "/recording_url", "format"),
                new Broken("evaluate with a custom metric that is no uuid", evaluate, EVALUATE_REQUEST,
                        body -> body.putArray("custom_metrics").add("not-a-uuid"), "/custom_metrics/0", "format"),
                new Broken("evaluate with one participant", evaluate, EVALUATE_REQUEST,
                        body -> ((ArrayNode) body.get("participants")).remove(1), "/participants", "minItems"),
                new Broken("evaluate with a participant role outside the enum", evaluate, EVALUATE_REQUEST,
                        body -> ((ObjectNode) body.get("participants").get(1)).put("role", "CUSTOMER"),
                        "/participants/1/role", "enum"),
                new Broken("evaluate with a string offset in the transcript", evaluate, EVALUATE_REQUEST,
                        body -> ((ObjectNode) body.get("transcript").get(0)).put("start_offset_ms", "0"),
                        "/transcript/0/start_offset_ms", "type"),
                new Broken("evaluate with a negative tool call offset", evaluate, EVALUATE_REQUEST,
                        body -> ((ObjectNode) body.get("tool_calls").get(0)).put("start_offset_ms", -1),
                        "/tool_calls/0/start_offset_ms", "minimum"),
                new Broken("observability webhook without id", webhook("observability_call_evaluated"),
                        OBSERVABILITY_CALL_EVALUATED, body -> body.remove("id"), "/id", "required"),
                new Broken("observability webhook with a status outside the enum", webhook("observability_call_evaluated"),
                        OBSERVABILITY_CALL_EVALUATED, body -> body.put("status", "DONE"), "/status", "enum"),
                new Broken("observability webhook evaluation without agent_speak_percentage",
                        webhook("observability_call_evaluated"), OBSERVABILITY_CALL_EVALUATED,
                        body -> ((ObjectNode) body.get("evaluations").get(0)).remove("agent_speak_percentage"),
                        "/evaluations/0/agent_speak_percentage", "required"),
                new Broken("observability webhook evaluation with a created_at that is no date-time",
                        webhook("observability_call_evaluated"), OBSERVABILITY_CALL_EVALUATED,
                        body -> ((ObjectNode) body.get("evaluations").get(0)).put("created_at", "yesterday"),
                        "/evaluations/0/created_at", "format"),
                new Broken("simulation_result_evaluated with a string id", webhook("simulation_result_evaluated"),
                        SIMULATION_RESULT_EVALUATED, body -> body.put("id", "123"), "/id", "type"),
                new Broken("simulation_result_evaluated with a folder_id that is no uuid",
                        webhook("simulation_result_evaluated"), SIMULATION_RESULT_EVALUATED,
                        body -> body.put("folder_id", "folder-7"), "/folder_id", "format"),
                new Broken("simulation_ended with an end_time that is no date-time", webhook("simulation_ended"),
                        SIMULATION_ENDED, body -> body.put("end_time", "2026-07-16T25:02:10Z"), "/end_time", "format"),
                new Broken("outbound_simulation_started with a digital human without phone_number",
                        webhook("outbound_simulation_started"), OUTBOUND_SIMULATION_STARTED,
                        body -> ((ObjectNode) body.get("digital_humans").get(0)).remove("phone_number"),
                        "/digital_humans/0/phone_number", "required"),
                new Broken("update-simulation-result with a numeric simulation_result_id",
                        request("POST", "/v1/update-simulation-result"), UPDATE_SIMULATION_RESULT,
                        body -> body.put("simulation_result_id", 1234), "/simulation_result_id", "type"),
                new Broken("queue-sms-simulation-run with a prompt_id that is no uuid",
                        request("POST", "/v1/queue-sms-simulation-run"), QUEUE_SMS_REQUEST,
                        body -> body.put("prompt_id", "v2"), "/prompt_id", "format"),
                new Broken("end-conversations without ids", request("POST", "/v1/end-conversations"),
                        END_CONVERSATIONS_REQUEST, body -> body.putArray("test_result_ids"), "/test_result_ids",
                        "minItems"),
                new Broken("end-conversations with string ids", request("POST", "/v1/end-conversations"),
                        END_CONVERSATIONS_REQUEST, body -> ((ArrayNode) body.get("test_result_ids")).set(0, body.stringNode("716977")),
                        "/test_result_ids/0", "type"),
                new Broken("retrieve-simulation-results without created_at on the run",
                        response("GET", "/v1/retrieve-simulation-results/{simulation_run_id}", 200),
                        SIMULATION_RESULTS_RESPONSE, body -> ((ObjectNode) body.get("simulation_run")).remove("created_at"),
                        "/simulation_run/created_at", "required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCopies")
    void brokenCopyIsRejectedWithAnErrorNamingTheField(Broken broken) {
        OpenApiContract contract = OpenApiContract.require();
        ObjectNode body = (ObjectNode) JSON.readTree(broken.example());
        broken.breakIt().accept(body);

        List<String> errors = contract.validate(broken.schema().apply(contract), body);

        if (broken.keyword().equals("required")) {
            int slash = broken.field().lastIndexOf('/');
            String parent = slash == 0 ? "/" : broken.field().substring(0, slash);
            String property = broken.field().substring(slash + 1);
            assertThat(errors).as(broken.name()).anySatisfy(error -> assertThat(error)
                    .startsWith(parent + ": ")
                    .contains("'" + property + "'")
                    .contains("[required at "));
        } else {
            assertThat(errors).as(broken.name()).anySatisfy(error -> assertThat(error)
                    .startsWith(broken.field() + ": ")
                    .contains("[" + broken.keyword() + " at "));
        }
    }

    @Test
    void externalAgentIdVariantOfTheEvaluateBodyIsAccepted() {
        OpenApiContract contract = OpenApiContract.require();
        ObjectNode body = (ObjectNode) JSON.readTree(EVALUATE_REQUEST);
        body.remove("agent_id");
        body.put("external_agent_id", "acme-support");

        assertThat(contract.validate(contract.requestSchemaOf("POST", "/v1/evaluate"), body)).isEmpty();
    }

    // ------------------------------------------------------------------------------- schema resolution

    @Test
    void resolvesRequestAndResponseSchemasFromThePathsOfTheSpec() {
        OpenApiContract contract = OpenApiContract.require();

        assertThat(contract.requestSchemaOf("POST", "/v1/update-simulation-result").name())
                .isEqualTo("src__api__update_simulation_result__UpdateSimulationRequest");
        assertThat(contract.requestSchemaOf("post", "/v1/end-conversations").name())
                .isEqualTo("EndConversationsRequest");
        assertThat(contract.requestSchemaOf("POST", "/v1/evaluate").pointer())
                .isEqualTo("/paths/~1v1~1evaluate/post/requestBody/content/application~1json/schema");
        assertThat(contract.responseSchemaOf("GET", "/v1/retrieve-call-log/{call_id}", 200).name())
                .isEqualTo("RetrieveCallLogResponse");
    }

    @Test
    void picksTheWebhookSchemaFromTheDiscriminatorMapping() {
        OpenApiContract contract = OpenApiContract.require();

        assertThat(contract.webhookSchemaFor("observability_call_evaluated").name())
                .isEqualTo("WebhookObservabilityCallEvaluated");
        assertThat(contract.webhookSchemaFor("simulation_result_evaluated").name())
                .isEqualTo("WebhookSimulationResultEvaluated");
        assertThat(contract.webhookSchemaFor("simulation_ended").name()).isEqualTo("WebhookSimulationResultEnded");
        assertThat(contract.webhookSchemaFor("outbound_simulation_started").name())
                .isEqualTo("WebhookOutboundSimulationStarted");
    }

    @Test
    void webhookBodyValidAgainstItsOwnSchemaMayMatchAnotherVariantToo() {
        // Why webhookSchemaFor exists: a simulation_result_evaluated body also satisfies WebhookSimulationResultEnded
        // (type has no const, extra keys are allowed), so the spec's oneOf would reject it.
        OpenApiContract contract = OpenApiContract.require();

        assertThat(contract.validate(contract.webhookSchemaFor("simulation_ended"), SIMULATION_RESULT_EVALUATED))
                .isEmpty();
    }

    @Test
    void refusesUnknownOperationsSchemasAndWebhookTypes() {
        OpenApiContract contract = OpenApiContract.require();

        assertThatIllegalArgumentException().isThrownBy(() -> contract.requestSchemaOf("POST", "/v1/no-such-path"))
                .withMessageContaining("/v1/no-such-path");
        assertThatIllegalArgumentException().isThrownBy(() -> contract.requestSchemaOf("DELETE", "/v1/evaluate"))
                .withMessageContaining("DELETE");
        assertThatIllegalArgumentException().isThrownBy(() -> contract.component("NoSuchSchema"))
                .withMessageContaining("NoSuchSchema");
        assertThatIllegalArgumentException().isThrownBy(() -> contract.webhookSchemaFor("call_exploded"))
                .withMessageContaining("call_exploded")
                .withMessageContaining("observability_call_evaluated");
    }

    // ------------------------------------------------------------------------------------- location

    @Test
    void loadsNothingWhenTheSpecFileIsAbsent(@TempDir Path dir) {
        assertThat(OpenApiContract.load(dir.resolve("bluejay-openapi.json"))).isEmpty();
    }

    @Test
    void loadsTheSpecFromTheConfiguredLocation() {
        OpenApiContract contract = OpenApiContract.require();

        assertThat(contract.file()).isEqualTo(OpenApiContract.location());
        assertThat(contract.file().getFileName()).hasToString("bluejay-openapi.json");
    }

    // --------------------------------------------------------------------------------------- helpers

    static Function<OpenApiContract, SchemaRef> request(String method, String path) {
        return contract -> contract.requestSchemaOf(method, path);
    }

    static Function<OpenApiContract, SchemaRef> response(String method, String path, int status) {
        return contract -> contract.responseSchemaOf(method, path, status);
    }

    static Function<OpenApiContract, SchemaRef> webhook(String type) {
        return contract -> contract.webhookSchemaFor(type);
    }
}
