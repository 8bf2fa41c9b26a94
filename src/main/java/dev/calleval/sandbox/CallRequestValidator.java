package dev.calleval.sandbox;

import dev.calleval.sandbox.PydanticTypes.Errors;
import dev.calleval.sandbox.PydanticTypes.Field;
import dev.calleval.sandbox.PydanticTypes.ModelType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static dev.calleval.sandbox.PydanticTypes.ANY;
import static dev.calleval.sandbox.PydanticTypes.BOOL;
import static dev.calleval.sandbox.PydanticTypes.DATETIME;
import static dev.calleval.sandbox.PydanticTypes.DICT;
import static dev.calleval.sandbox.PydanticTypes.HTTP_URL;
import static dev.calleval.sandbox.PydanticTypes.STR;
import static dev.calleval.sandbox.PydanticTypes.UUID;
import static dev.calleval.sandbox.PydanticTypes.enumOf;
import static dev.calleval.sandbox.PydanticTypes.integer;
import static dev.calleval.sandbox.PydanticTypes.list;
import static dev.calleval.sandbox.PydanticTypes.nullable;

/**
 * Validates a {@code POST /v1/evaluate} body as FastAPI with Pydantic v2 (lax mode) validates it against the
 * reference spec (API reference §1): the body is the untagged union {@code CallRequestUsingAgentId |
 * CallRequestUsingExternalAgentId}; when neither variant validates, the errors of both are reported, each
 * {@code loc} starting with {@code "body"} and the variant's name, e.g.
 * {@code ["body","CallRequestUsingAgentId","participants"]}.
 *
 * <p>Rules, per field type (Pydantic's error {@code type} in brackets):
 * <ul>
 *   <li>required field absent [{@code missing}]; {@code null} where the spec does not allow it [the type's error];</li>
 *   <li>string [{@code string_type}] (numbers are not coerced to strings);</li>
 *   <li>integer: integral numbers, floats without a fractional part, numeric strings and booleans are accepted
 *       [{@code int_from_float}, {@code int_parsing}, {@code int_type}]; {@code ToolCall.start_offset_ms >= 0}
 *       [{@code greater_than_equal}];</li>
 *   <li>boolean: also 0/1 and strings such as "true", "no", "on" [{@code bool_parsing}, {@code bool_type}];</li>
 *   <li>enums {@code AGENT|USER}, {@code INBOUND|OUTBOUND}, {@code PHONE|WEB}, case-sensitive [{@code enum}];</li>
 *   <li>arrays [{@code list_type}]; {@code participants} exactly 2 items [{@code too_short}, {@code too_long}] —
 *       as in Pydantic, errors inside the items are reported instead of {@code too_short};</li>
 *   <li>objects [{@code dict_type}]; nested models [{@code model_type}];</li>
 *   <li>{@code recording_url}, {@code transcript_url}: Pydantic's {@code HttpUrl} (the spec's {@code format: uri},
 *       {@code maxLength: 2083}) [{@code url_too_long}, {@code url_parsing}, {@code url_scheme}, {@code url_type}];</li>
 *   <li>{@code custom_metrics} items are UUIDs [{@code uuid_parsing}, {@code uuid_type}];</li>
 *   <li>{@code start_time_utc}, {@code created_at}: datetimes, with or without offset (naive = UTC), a bare date,
 *       or a Unix timestamp [{@code datetime_from_date_parsing}, {@code datetime_parsing}, {@code datetime_type}].</li>
 * </ul>
 * Two stricter sandbox rules, reported as Pydantic reports a failing field validator [{@code value_error}, message
 * prefixed "Value error, "]: the participants are one {@code AGENT} and one {@code USER}, and
 * {@code recording_base64} is a {@code data:audio/<subtype>[;param];base64,<payload>} URL whose payload is
 * non-empty standard base64. Unknown fields are ignored, as Pydantic's default {@code extra="ignore"} does.
 *
 * <p>Thread-safe and stateless after construction.
 */
final class CallRequestValidator {

    static final String AGENT_ID_VARIANT = "CallRequestUsingAgentId";
    static final String EXTERNAL_AGENT_ID_VARIANT = "CallRequestUsingExternalAgentId";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DATA_URL =
            Pattern.compile("^data:audio/[A-Za-z0-9.+\\-]+((?:;[^;,]+)*);base64,(.*)$", Pattern.DOTALL);

    /** The result of a validation: the normalised request and its variant, or the 422 {@code detail} items. */
    record Outcome(@Nullable ObjectNode request, @Nullable String variant, List<ObjectNode> errors) {
        Outcome {
            errors = List.copyOf(errors);
        }

        boolean valid() {
            return request != null;
        }
    }

    private final ModelType agentIdVariant;
    private final ModelType externalAgentIdVariant;

    CallRequestValidator() {
        ModelType participant = new ModelType("Participant", List.of(
                Field.required("role", enumOf("AGENT", "USER")),
                Field.optional("spoke_first", nullable(BOOL)),
                Field.optional("name", nullable(STR)),
                Field.optional("phone_number", nullable(STR))));
        List<Field> common = List.of(
                Field.optional("recording_url", nullable(HTTP_URL)),
                Field.optional("recording_base64", nullable(STR)).withCheck(CallRequestValidator::recordingProblem),
                Field.required("start_time_utc", DATETIME),
                Field.required("participants", list(participant, 2, 2))
                        .withCheck(CallRequestValidator::participantsProblem),
                Field.withDefault("call_direction", nullable(enumOf("INBOUND", "OUTBOUND")), NODES.stringNode("INBOUND")),
                Field.withDefault("interface", nullable(enumOf("PHONE", "WEB")), NODES.stringNode("PHONE")),
                Field.optional("transcript_url", nullable(HTTP_URL)),
                Field.optional("transcript", nullable(list(TRANSCRIPT_ENTRY, 0, -1))),
                Field.optional("tool_calls", nullable(list(TOOL_CALL, 0, -1))),
                Field.optional("events", nullable(list(EVENT, 0, -1))),
                Field.optional("tags", nullable(list(STR, 0, -1))),
                Field.optional("trace_id", nullable(STR)),
                Field.optional("created_at", nullable(DATETIME)),
                Field.optional("metadata", nullable(DICT)).withCheck(ScriptedJudgement::problem),
                Field.optional("webhook_tag", nullable(STR)),
                Field.optional("custom_metrics", nullable(list(UUID, 0, -1))),
                Field.optional("custom_metric_tags", nullable(list(STR, 0, -1))),
                Field.withDefault("label", nullable(STR), NODES.stringNode("production")),
                Field.optional("enable_phrase_latencies", nullable(BOOL)),
                Field.optional("conversation_ended_by", nullable(enumOf("AGENT", "USER"))),
                Field.withDefault("multichannel", nullable(BOOL), NODES.booleanNode(false)));
        List<Field> agentFields = new ArrayList<>();
        agentFields.add(Field.required("agent_id", STR));
        agentFields.addAll(common);
        List<Field> externalFields = new ArrayList<>();
        externalFields.add(Field.required("external_agent_id", STR));
        externalFields.addAll(common);
        this.agentIdVariant = new ModelType(AGENT_ID_VARIANT, agentFields);
        this.externalAgentIdVariant = new ModelType(EXTERNAL_AGENT_ID_VARIANT, externalFields);
    }

    /**
     * Validates a parsed body.
     *
     * @param body the parsed JSON, or {@code null} when the request had no body (reported as {@code missing} at
     *     {@code ["body"]}, as FastAPI does)
     */
    Outcome validate(@Nullable JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            Errors errors = new Errors();
            errors.add("missing", List.of("body"), "Field required", NODES.nullNode(), null);
            return new Outcome(null, null, errors.items);
        }
        Errors agentErrors = new Errors();
        JsonNode agent = agentIdVariant.validate(body, List.of("body", AGENT_ID_VARIANT), agentErrors);
        if (agent != null) {
            return new Outcome((ObjectNode) agent, AGENT_ID_VARIANT, List.of());
        }
        Errors externalErrors = new Errors();
        JsonNode external =
                externalAgentIdVariant.validate(body, List.of("body", EXTERNAL_AGENT_ID_VARIANT), externalErrors);
        if (external != null) {
            return new Outcome((ObjectNode) external, EXTERNAL_AGENT_ID_VARIANT, List.of());
        }
        List<ObjectNode> all = new ArrayList<>(agentErrors.items);
        all.addAll(externalErrors.items);
        return new Outcome(null, null, all);
    }

    // ------------------------------------------------------------------------------------------ sandbox rules

    private static @Nullable String participantsProblem(JsonNode participants) {
        long agents = 0;
        long users = 0;
        for (JsonNode participant : participants) {
            String role = participant.path("role").asString("");
            if (role.equals("AGENT")) {
                agents++;
            } else if (role.equals("USER")) {
                users++;
            }
        }
        if (agents == 1 && users == 1) {
            return null;
        }
        return "participants must be one AGENT and one USER (sandbox rule), got " + agents + " AGENT and " + users
                + " USER";
    }

    private static @Nullable String recordingProblem(JsonNode recording) {
        String value = recording.stringValue();
        Matcher matcher = DATA_URL.matcher(value);
        if (!matcher.matches()) {
            String head = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            return "recording_base64 must be a data URL data:audio/<type>;base64,<payload> (sandbox rule), got '"
                    + head + "'";
        }
        String payload = matcher.group(2);
        if (payload.isEmpty()) {
            return "recording_base64 has an empty payload (sandbox rule)";
        }
        try {
            Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            return "recording_base64 payload is not valid base64 (sandbox rule): " + e.getMessage();
        }
        return null;
    }

    // The shared models, declared after the types they use: static fields initialise in textual order.

    /** {@code TranscriptEntryRequest} (API reference §1.3). */
    static final ModelType TRANSCRIPT_ENTRY = new ModelType("TranscriptEntryRequest", List.of(
            Field.required("start_offset_ms", integer(null)),
            Field.required("end_offset_ms", integer(null)),
            Field.required("speaker", enumOf("AGENT", "USER")),
            Field.required("utterance", STR),
            Field.optional("filler_utterance", nullable(BOOL))));

    /** {@code ToolCall} (§1.4). */
    static final ModelType TOOL_CALL = new ModelType("ToolCall", List.of(
            Field.required("name", STR),
            Field.required("start_offset_ms", integer(0L)),
            Field.optional("description", nullable(STR)),
            Field.optional("parameters", nullable(DICT)),
            Field.optional("output", ANY)));

    /** {@code Event} (§1.5). */
    static final ModelType EVENT = new ModelType("Event", List.of(
            Field.required("title", STR),
            Field.required("start_offset_ms", integer(null)),
            Field.optional("description", nullable(STR)),
            Field.optional("end_offset_ms", nullable(integer(null))),
            Field.optional("tags", nullable(list(STR, 0, -1))),
            Field.optional("metadata", nullable(DICT))));

}
