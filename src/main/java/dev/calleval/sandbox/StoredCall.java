package dev.calleval.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One accepted call: its {@code CallLog} fields (API reference §2.2) as they were submitted, its status
 * ({@code QUEUED -> EVALUATING -> COMPLETED}, back to {@code EVALUATING} while a re-evaluation (§6) runs) and its
 * evaluations, one per completed evaluation, oldest first. The inline transcript and any {@code recording_base64}
 * are not kept; only the metrics computed from the transcript are, and the submitted {@code label} (not part of
 * the call log) for {@code GET /v1/retrieve-call-logs/{agent_id}?label=} (§2.4).
 *
 * <p>Thread-safe: the state changes and the snapshots are synchronized, and every snapshot is a fresh copy.
 */
final class StoredCall {

    static final String QUEUED = "QUEUED";
    static final String EVALUATING = "EVALUATING";
    static final String COMPLETED = "COMPLETED";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String id;
    private final ObjectNode base;
    private final @Nullable TranscriptMetrics metrics;
    private final ScriptedJudgement judgement;
    private final String agentId;
    private final String label;
    private final Instant createdAt;
    private final long sequence;
    private final List<ObjectNode> evaluations = new ArrayList<>();
    private String status = QUEUED;
    private int pendingEvaluations = 1;

    private StoredCall(String id, ObjectNode base, @Nullable TranscriptMetrics metrics, ScriptedJudgement judgement,
                       String label, long sequence) {
        this.id = id;
        this.judgement = judgement;
        this.sequence = sequence;
        this.base = base;
        this.metrics = metrics;
        this.agentId = base.path("agent_id").asString("");
        this.label = label;
        this.createdAt = Instant.parse(base.path("created_at").asString());
    }

    /**
     * Builds the call log of a validated, normalised request (see {@link CallRequestValidator}).
     *
     * <p>{@code agent_id} is the submitted one; for an {@code external_agent_id} submission, where Bluejay would
     * resolve its own agent, the sandbox assigns a stable 6-digit id derived from the external id.
     * {@code recording_url} is the submitted URL, or null (also when the recording came as base64).
     * {@code created_at} is the submitted one or the acceptance time. {@code duration_ms} is the largest
     * transcript end offset, or null without transcript.
     *
     * @param sequence acceptance order, to order calls created at the same instant
     */
    static StoredCall accept(String id, ObjectNode request, Instant acceptedAt, long sequence) {
        TranscriptMetrics metrics = TranscriptMetrics.of(request.get("transcript"));
        ObjectNode log = NODES.objectNode();
        log.put("id", id);
        JsonNode agentId = request.get("agent_id");
        JsonNode externalAgentId = request.get("external_agent_id");
        if (agentId != null) {
            log.set("agent_id", agentId);
        } else {
            String external = externalAgentId == null ? "" : externalAgentId.stringValue();
            log.put("agent_id", String.valueOf(100_000 + Math.floorMod(external.hashCode(), 900_000)));
        }
        log.set("external_agent_id", orNull(externalAgentId));
        log.set("recording_url", orNull(request.get("recording_url")));
        log.set("start_time_utc", request.get("start_time_utc"));
        log.set("participants", request.get("participants"));
        log.set("call_direction", orDefault(request.get("call_direction"), "INBOUND"));
        log.set("interface", orDefault(request.get("interface"), "PHONE"));
        log.put("status", QUEUED);
        JsonNode createdAt = request.get("created_at");
        log.set("created_at", createdAt == null || createdAt.isNull()
                ? NODES.stringNode(acceptedAt.toString()) : createdAt);
        log.set("transcript_url", orNull(request.get("transcript_url")));
        log.set("tool_calls", orNull(request.get("tool_calls")));
        log.set("events", orNull(request.get("events")));
        log.set("tags", orNull(request.get("tags")));
        Long duration = metrics.durationMs();
        if (duration == null) {
            log.putNull("duration_ms");
        } else {
            log.put("duration_ms", duration.longValue());
        }
        log.putArray("evaluations");
        log.putNull("annotations");
        log.set("metadata", orNull(request.get("metadata")));
        log.putNull("custom_metrics");
        log.set("conversation_ended_by", orNull(request.get("conversation_ended_by")));
        JsonNode label = request.get("label");
        return new StoredCall(id, log, metrics, ScriptedJudgement.of(request.get("metadata")),
                label == null || !label.isString() ? "production" : label.stringValue(), sequence);
    }

    /**
     * A call another sandbox accepted earlier, from its {@code CallLog} as retrieve-call-log showed it (a sandbox lives
     * as long as its process: the next process knows the call only when it is told). Its status and evaluations are
     * kept; a re-evaluation appends a copy of its newest evaluation with a new id and time (the same transcript gives
     * the same computed metrics), or, without one, an evaluation of no transcript.
     *
     * @throws IllegalArgumentException when {@code callLog} has no string {@code id}
     */
    static StoredCall imported(ObjectNode callLog, long sequence) {
        JsonNode id = callLog.get("id");
        if (id == null || !id.isString()) {
            throw new IllegalArgumentException("an imported call log needs its string id");
        }
        ObjectNode base = callLog.deepCopy();
        if (!base.has("created_at") || base.get("created_at").isNull()) {
            base.put("created_at", Instant.now().toString());
        }
        StoredCall call = new StoredCall(id.stringValue(), base, null, ScriptedJudgement.none(), "production", sequence);
        callLog.path("evaluations").forEach(e -> {
            if (e instanceof ObjectNode evaluation) {
                call.evaluations.add(evaluation.deepCopy());
            }
        });
        call.status = callLog.path("status").asString(COMPLETED);
        call.pendingEvaluations = 0;
        return call;
    }

    String id() {
        return id;
    }

    /** The call log's {@code agent_id}. */
    String agentId() {
        return agentId;
    }

    /** Acceptance order. */
    long sequence() {
        return sequence;
    }

    /** The submitted {@code label}, {@code production} by default. */
    String label() {
        return label;
    }

    /** The call log's {@code created_at}: the submitted one, or the acceptance time. */
    Instant createdAt() {
        return createdAt;
    }

    synchronized String status() {
        return status;
    }

    /** QUEUED becomes EVALUATING; any later state is left alone. */
    synchronized void markEvaluating() {
        if (status.equals(QUEUED)) {
            status = EVALUATING;
        }
    }

    /** Queues one more evaluation (§6): the call is EVALUATING until every pending evaluation completed. */
    synchronized void reEvaluate() {
        pendingEvaluations++;
        status = EVALUATING;
    }

    /**
     * Appends the evaluation of one pending evaluation; COMPLETED once none is pending. Does nothing when no
     * evaluation is pending.
     */
    synchronized void complete(Instant now) {
        if (pendingEvaluations == 0) {
            return;
        }
        String evaluationId = UUID.randomUUID().toString();
        if (metrics != null) {
            ObjectNode evaluation = metrics.toEvaluation(evaluationId, now);
            judgement.applyTo(evaluation);
            evaluations.add(evaluation);
        } else if (!evaluations.isEmpty()) {
            ObjectNode copy = evaluations.get(evaluations.size() - 1).deepCopy();
            copy.put("id", evaluationId);
            copy.put("created_at", now.toString());
            evaluations.add(copy);
        } else {
            evaluations.add(TranscriptMetrics.of(null).toEvaluation(evaluationId, now));
        }
        pendingEvaluations--;
        status = pendingEvaluations == 0 ? COMPLETED : EVALUATING;
    }

    /** A fresh copy of the {@code CallLog}: evaluations empty until the first one COMPLETED. */
    synchronized ObjectNode callLog() {
        ObjectNode log = base.deepCopy();
        log.put("status", status);
        ArrayNode list = NODES.arrayNode();
        for (ObjectNode evaluation : evaluations) {
            list.add(evaluation.deepCopy());
        }
        log.set("evaluations", list);
        return log;
    }

    private static JsonNode orNull(@Nullable JsonNode value) {
        return value == null ? NODES.nullNode() : value;
    }

    private static JsonNode orDefault(@Nullable JsonNode value, String fallback) {
        return value == null || value.isNull() ? NODES.stringNode(fallback) : value;
    }
}
