package dev.calleval.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of {@link Simulations}: a run ({@code SimulationRunResultResponse}), a result
 * ({@code SimulationResultResponse}), the three simulation webhooks (§3.5–§3.7) and a scripted evaluation. Called
 * under the simulations' lock; copies what it takes, so the JSON never shares nodes with the state.
 */
final class SimulationJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SimulationJson() {}

    /** {@code SimulationRunResultResponse}. */
    static ObjectNode runJson(SimulationRun run) {
        int passed = 0;
        int failed = 0;
        int completed = 0;
        for (SimulationRunResult result : run.results) {
            if (!result.status.equals(Simulations.COMPLETED)) {
                continue;
            }
            completed++;
            Boolean goal = result.human.goalSuccess();
            if (Boolean.TRUE.equals(goal)) {
                passed++;
            } else if (Boolean.FALSE.equals(goal)) {
                failed++;
            }
        }
        ObjectNode json = NODES.objectNode();
        json.put("id", String.valueOf(run.id));
        json.put("simulation_id", run.simulationId);
        json.putNull("summary");
        json.put("status", completed == run.results.size() ? Simulations.COMPLETED : Simulations.RUNNING);
        json.put("total_tests", run.results.size());
        json.put("tests_passed", passed);
        json.put("tests_failed", failed);
        json.put("tests_completed", completed);
        json.put("tests_incompleted", 0);
        json.put("created_at", run.createdAt.toString());
        return json;
    }

    /** {@code SimulationResultResponse}. */
    static ObjectNode resultJson(SimulationRunResult result) {
        ObjectNode json = NODES.objectNode();
        json.put("id", result.id);
        json.put("digital_human_id", result.human.id());
        json.putNull("result");
        putTimes(json, result);
        json.putNull("custom_metrics");
        json.put("status", result.status);
        json.putNull("latency");
        json.set("events", array(result.events));
        json.putNull("transcript_url");
        json.putNull("audio_url");
        json.set("evaluations", array(result.evaluations));
        ArrayNode groups = json.putArray("tool_calls");
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (JsonNode call : result.toolCalls) {
            ObjectNode group = byName.computeIfAbsent(call.path("name").stringValue(), name -> {
                ObjectNode created = groups.addObject();
                created.put("name", name);
                created.putArray("expected");
                created.putArray("actual");
                return created;
            });
            ObjectNode actual = ((ArrayNode) group.get("actual")).addObject();
            actual.set("parameters", call.path("parameters").deepCopy());
            actual.set("output", call.path("output").deepCopy());
            actual.set("start_offset_ms", call.path("start_offset_ms").deepCopy());
        }
        return json;
    }

    /** {@code WebhookSimulationResultEnded} (§3.6). */
    static ObjectNode ended(SimulationRunResult result) {
        ObjectNode json = NODES.objectNode();
        json.put("type", Simulations.SIMULATION_ENDED);
        json.put("id", result.id);
        json.put("digital_human_id", result.human.id());
        json.put("status", Simulations.CONVERSATION_ENDED);
        json.put("simulation_run_id", result.run.id);
        json.put("created_at", result.createdAt.toString());
        putTimes(json, result);
        return json;
    }

    /** {@code WebhookSimulationResultEvaluated} (§3.5). */
    static ObjectNode evaluated(SimulationRunResult result) {
        ObjectNode json = NODES.objectNode();
        json.put("type", Simulations.SIMULATION_RESULT_EVALUATED);
        json.put("id", result.id);
        json.put("digital_human_id", result.human.id());
        json.put("status", Simulations.COMPLETED);
        json.put("simulation_run_id", result.run.id);
        json.put("simulation_id", Long.parseLong(result.run.simulationId));
        json.put("agent_id", result.run.spec.agentId());
        json.putNull("folder_id");
        json.set("evaluations", array(result.evaluations));
        json.put("created_at", result.createdAt.toString());
        putTimes(json, result);
        json.putNull("latency");
        json.set("events", array(result.events));
        json.set("tool_calls", array(result.toolCalls));
        json.set("tags", array(result.tags));
        json.set("metadata", result.metadata.deepCopy());
        return json;
    }

    /** {@code WebhookOutboundSimulationStarted} (§3.7). */
    static ObjectNode outboundStarted(SimulationRun run, List<DigitalHumanSpec> humans) {
        ObjectNode json = NODES.objectNode();
        json.put("type", Simulations.OUTBOUND_SIMULATION_STARTED);
        json.put("agent_id", run.spec.agentId());
        json.put("simulation_id", Long.parseLong(run.simulationId));
        json.put("simulation_run_id", run.id);
        ArrayNode list = json.putArray("digital_humans");
        for (DigitalHumanSpec human : humans) {
            ObjectNode item = list.addObject();
            item.put("id", human.id());
            item.put("name", human.name());
            item.put("phone_number", human.phoneNumber());
            ArrayNode ids = item.putArray("associated_simulation_result_ids");
            run.results.stream().filter(r -> r.human.equals(human)).forEach(r -> ids.add(r.id));
        }
        return json;
    }

    /** An {@code Evaluation} (§2.3) carrying only what the catalog scripts. */
    static ObjectNode evaluation(DigitalHumanSpec human, Instant now) {
        ObjectNode evaluation = TranscriptMetrics.none().toEvaluation(UUID.randomUUID().toString(), now);
        Boolean goal = human.goalSuccess();
        if (goal != null) {
            evaluation.put("goal_success", goal.booleanValue());
        }
        if (!human.customMetrics().isEmpty()) {
            ArrayNode metrics = evaluation.putArray("custom_metrics");
            for (DigitalHumanSpec.ScriptedMetric metric : human.customMetrics()) {
                ObjectNode item = metrics.addObject();
                item.put("name", metric.name());
                item.put("description", metric.description());
                item.put("response_type", metric.responseType());
                item.put("response_value", metric.responseValue());
                item.put("reasoning", metric.reasoning());
            }
        }
        return evaluation;
    }

    private static void putTimes(ObjectNode json, SimulationRunResult result) {
        Instant start = result.startTime;
        Instant end = result.endTime;
        json.put("start_time", start == null ? null : start.toString());
        json.put("end_time", end == null ? null : end.toString());
        if (start != null && end != null) {
            json.put("duration", Duration.between(start, end).toMillis());
        } else {
            json.putNull("duration");
        }
    }

    static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(item -> array.add(item.deepCopy()));
        return array;
    }
}
