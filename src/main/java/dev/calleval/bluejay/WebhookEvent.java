package dev.calleval.bluejay;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A body of Bluejay's events webhook (§3), one variant per {@code type}. {@link #parse} routes on the body's
 * {@code type} (the {@code X-Bluejay-Event} header carries the same value); a type this version does not know
 * reads as {@link Unknown} and is kept, never refused. Ids are integers in the simulation events and a UUID string
 * in {@code observability_call_evaluated}.
 */
public sealed interface WebhookEvent {
    String CALL_EVALUATED = "observability_call_evaluated";
    String SIMULATION_RESULT_EVALUATED = "simulation_result_evaluated";
    String SIMULATION_ENDED = "simulation_ended";
    String OUTBOUND_SIMULATION_STARTED = "outbound_simulation_started";
    /** The four types of the May 2026 spec. */
    List<String> KNOWN_TYPES = List.of(CALL_EVALUATED, SIMULATION_RESULT_EVALUATED, SIMULATION_ENDED, OUTBOUND_SIMULATION_STARTED);

    /** The event type, the body's {@code type}. */
    String type();

    /**
     * The id that identifies what the event is about: the call id, the simulation result id, or (for
     * {@code outbound_simulation_started}) the simulation run id; null for an unknown type without {@code id}.
     */
    @Nullable String subjectId();

    /**
     * Reads a webhook body.
     *
     * @param type the body's {@code type}, or the {@code X-Bluejay-Event} header when the body has none
     * @throws IllegalArgumentException when a known type lacks a required field or has one of the wrong type; the
     *     message names the field
     */
    static WebhookEvent parse(String type, JsonNode body) {
        try {
            return switch (type) {
                case CALL_EVALUATED -> new CallEvaluated(require(body, CallLog.class, "id", "status"));
                case SIMULATION_RESULT_EVALUATED -> require(body, SimulationResultEvaluated.class, "id", "digital_human_id", "simulation_run_id");
                case SIMULATION_ENDED -> require(body, SimulationEnded.class, "id", "digital_human_id", "simulation_run_id");
                case OUTBOUND_SIMULATION_STARTED -> require(body, OutboundSimulationStarted.class, "simulation_run_id", "digital_humans");
                default -> new Unknown(type, body.path("id").isValueNode() ? body.path("id").asString() : null);
            };
        } catch (JacksonException e) {
            throw new IllegalArgumentException(type + " event is not the documented shape: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T require(JsonNode body, Class<T> type, String... fields) {
        for (String field : fields) {
            if (body.path(field).isMissingNode() || body.path(field).isNull()) {
                throw new IllegalArgumentException("required field '" + field + "' is missing");
            }
        }
        return BluejayJson.mapper().treeToValue(body, type);
    }

    /** {@code observability_call_evaluated} (§3.3): the full call log. */
    record CallEvaluated(CallLog callLog) implements WebhookEvent {
        @Override
        public String type() {
            return CALL_EVALUATED;
        }

        @Override
        public String subjectId() {
            return callLog.id();
        }
    }

    /**
     * {@code simulation_result_evaluated} (§3.5). {@code status} defaults to {@code COMPLETED}; {@code duration}'s
     * unit is undocumented (the example looks like seconds).
     */
    record SimulationResultEvaluated(long id, long digitalHumanId, @Nullable String status, long simulationRunId,
            @Nullable Long simulationId, @Nullable Long agentId, @Nullable String folderId,
            @Nullable List<Evaluation> evaluations, @Nullable String createdAt, @Nullable String startTime,
            @Nullable String endTime, @Nullable Long duration, @Nullable List<ToolCall> toolCalls,
            @Nullable List<Event> events, @Nullable List<String> tags, @Nullable Map<String, Object> metadata)
            implements WebhookEvent {
        public SimulationResultEvaluated {
            status = status == null ? "COMPLETED" : status;
        }

        @Override
        public String type() {
            return SIMULATION_RESULT_EVALUATED;
        }

        @Override
        public String subjectId() {
            return Long.toString(id);
        }
    }

    /** {@code simulation_ended} (§3.6): the conversation finished, evaluation follows. Status defaults to {@code CONVERSATION_ENDED}. */
    record SimulationEnded(long id, long digitalHumanId, @Nullable String status, long simulationRunId,
            @Nullable String createdAt, @Nullable String startTime, @Nullable String endTime, @Nullable Long duration)
            implements WebhookEvent {
        public SimulationEnded {
            status = status == null ? "CONVERSATION_ENDED" : status;
        }

        @Override
        public String type() {
            return SIMULATION_ENDED;
        }

        @Override
        public String subjectId() {
            return Long.toString(id);
        }
    }

    /** {@code outbound_simulation_started} (§3.7): the caller is expected to dial each digital human. */
    record OutboundSimulationStarted(@Nullable Long agentId, @Nullable Long simulationId, long simulationRunId,
            List<DigitalHuman> digitalHumans) implements WebhookEvent {
        public OutboundSimulationStarted {
            digitalHumans = digitalHumans == null ? List.of() : List.copyOf(digitalHumans);
        }

        @Override
        public String type() {
            return OUTBOUND_SIMULATION_STARTED;
        }

        @Override
        public String subjectId() {
            return Long.toString(simulationRunId);
        }
    }

    /** A digital human of an outbound run ({@code DigitalHuman}, §3.7). */
    record DigitalHuman(long id, @Nullable String name, @Nullable String phoneNumber,
            @Nullable List<Long> associatedSimulationResultIds) {}

    /** An event type this version does not know; stored and listed, never refused. */
    record Unknown(String type, @Nullable String subjectId) implements WebhookEvent {}
}
