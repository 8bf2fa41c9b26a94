package dev.calleval.sandbox;

import dev.calleval.sandbox.CallRequestValidator.Outcome;
import dev.calleval.sandbox.PydanticTypes.Errors;
import dev.calleval.sandbox.PydanticTypes.Field;
import dev.calleval.sandbox.PydanticTypes.ModelType;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static dev.calleval.sandbox.CallRequestValidator.EVENT;
import static dev.calleval.sandbox.CallRequestValidator.TOOL_CALL;
import static dev.calleval.sandbox.CallRequestValidator.TRANSCRIPT_ENTRY;
import static dev.calleval.sandbox.PydanticTypes.BOOL;
import static dev.calleval.sandbox.PydanticTypes.DICT;
import static dev.calleval.sandbox.PydanticTypes.STR;
import static dev.calleval.sandbox.PydanticTypes.UUID;
import static dev.calleval.sandbox.PydanticTypes.integer;
import static dev.calleval.sandbox.PydanticTypes.list;
import static dev.calleval.sandbox.PydanticTypes.nullable;

/**
 * Validates the bodies of the simulation endpoints as FastAPI with Pydantic v2 (lax mode) does, with the rules and
 * error items of {@link CallRequestValidator}. Each body is a single model, so every {@code loc} starts with
 * {@code "body"} followed directly by the field, e.g. {@code ["body","test_result_ids",0]}.
 * <ul>
 *   <li>{@link #UPDATE_SIMULATION_RESULT}: {@code src__api__update_simulation_result__UpdateSimulationRequest}
 *       (API reference §4.1): {@code simulation_result_id} string, required; {@code events}, {@code tool_calls},
 *       {@code recorded_transcript} lists of {@code Event}, {@code ToolCall}, {@code TranscriptEntryRequest} (the
 *       rules of the evaluate body); {@code tags} list of strings; {@code metadata} object; and {@code trace_ids}, a
 *       list of strings that the prose documents although the May 2026 spec lacks it; all but the id nullable;</li>
 *   <li>{@link #QUEUE_SMS_SIMULATION_RUN}: {@code src__text_agents__sms_text_agent_api__SimulationRunRequest}
 *       (§4.2): {@code simulation_id} string, required; {@code prompt_id}, {@code knowledge_base_id} UUIDs;
 *       {@code digital_human_ids} list of strings; {@code terminate_overlapping_simulations} boolean, default
 *       false; {@code runs_per_digital_human} integer {@code > 0}; all but the id nullable;</li>
 *   <li>{@link #END_CONVERSATIONS}: {@code EndConversationsRequest} (§4.3): {@code test_result_ids}, a list of at
 *       least one integer, required.</li>
 * </ul>
 * Unknown fields are ignored. Thread-safe and stateless.
 */
final class SimulationRequestValidator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@code POST /v1/update-simulation-result} body. */
    static final ModelType UPDATE_SIMULATION_RESULT = new ModelType("UpdateSimulationRequest", List.of(
            Field.required("simulation_result_id", STR),
            Field.optional("events", nullable(list(EVENT, 0, -1))),
            Field.optional("tool_calls", nullable(list(TOOL_CALL, 0, -1))),
            Field.optional("recorded_transcript", nullable(list(TRANSCRIPT_ENTRY, 0, -1))),
            Field.optional("tags", nullable(list(STR, 0, -1))),
            Field.optional("metadata", nullable(DICT)),
            Field.optional("trace_ids", nullable(list(STR, 0, -1)))));

    /** {@code POST /v1/queue-sms-simulation-run} body. */
    static final ModelType QUEUE_SMS_SIMULATION_RUN = new ModelType("SimulationRunRequest", List.of(
            Field.required("simulation_id", STR),
            Field.optional("prompt_id", nullable(UUID)),
            Field.optional("knowledge_base_id", nullable(UUID)),
            Field.optional("digital_human_ids", nullable(list(STR, 0, -1))),
            Field.withDefault("terminate_overlapping_simulations", nullable(BOOL), NODES.booleanNode(false)),
            Field.optional("runs_per_digital_human", nullable(integer(null, 0L, null)))));

    /** {@code POST /v1/end-conversations} body. */
    static final ModelType END_CONVERSATIONS = new ModelType("EndConversationsRequest", List.of(
            Field.required("test_result_ids", list(integer(null), 1, -1))));

    private SimulationRequestValidator() {}

    /**
     * Validates a parsed body against one model.
     *
     * @param body the parsed JSON, or {@code null} when the request had no body (reported as {@code missing} at
     *     {@code ["body"]}, as FastAPI does)
     * @return the normalised body (absent optional fields as JSON null or their default), or the 422 items
     */
    static Outcome validate(ModelType model, @Nullable JsonNode body) {
        Errors errors = new Errors();
        if (body == null || body.isNull() || body.isMissingNode()) {
            errors.add("missing", List.of("body"), "Field required", NODES.nullNode(), null);
            return new Outcome(null, null, errors.items);
        }
        JsonNode valid = model.validate(body, List.of("body"), errors);
        if (valid == null) {
            return new Outcome(null, null, errors.items);
        }
        return new Outcome((ObjectNode) valid, model.className(), List.of());
    }
}
