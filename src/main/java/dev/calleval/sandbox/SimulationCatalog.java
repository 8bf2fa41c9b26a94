package dev.calleval.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The simulation catalog file of {@code --simulations}: JSON in, {@link SimulationSpec}s out. */
final class SimulationCatalog {

    private SimulationCatalog() {}

    /**
     * Reads a simulation catalog: a JSON object keyed by simulation id, each value {@code {"agent_id": int,
     * "outbound": bool (default false), "digital_humans": [{"id": int, "name", "phone_number", "goal_success": bool
     * or null, "custom_metrics": [{"name", "description", "response_type", "response_value", "reasoning"?}]?}]}}.
     *
     * @param source names the input in error messages
     * @throws IllegalArgumentException naming the source and the offending simulation for malformed input
     */
    static Map<String, SimulationSpec> parse(String json, String source) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object keyed by simulation id");
        }
        Map<String, SimulationSpec> catalog = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String where = source + ", simulation " + entry.getKey();
            try {
                SandboxConfig.requireSimulationId(entry.getKey());
                JsonNode spec = entry.getValue();
                List<DigitalHumanSpec> humans = new ArrayList<>();
                for (JsonNode human : required(spec, "digital_humans", where)) {
                    List<DigitalHumanSpec.ScriptedMetric> metrics = new ArrayList<>();
                    for (JsonNode metric : human.path("custom_metrics")) {
                        metrics.add(new DigitalHumanSpec.ScriptedMetric(
                                required(metric, "name", where).asString(),
                                required(metric, "description", where).asString(),
                                required(metric, "response_type", where).asString(),
                                required(metric, "response_value", where).asString(),
                                metric.path("reasoning").isString() ? metric.path("reasoning").asString() : null));
                    }
                    JsonNode goal = human.path("goal_success");
                    humans.add(new DigitalHumanSpec(required(human, "id", where).asInt(),
                            required(human, "name", where).asString(),
                            required(human, "phone_number", where).asString(),
                            goal.isBoolean() ? goal.booleanValue() : null, metrics));
                }
                catalog.put(entry.getKey(), new SimulationSpec(required(spec, "agent_id", where).asInt(),
                        spec.path("outbound").asBoolean(false), humans));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return catalog;
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + ": " + field + " is required");
        }
        return value;
    }

    static Map<String, SimulationSpec> read(String flag, String path) {
        String json;
        try {
            json = Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + path + ": " + e.getMessage(), e);
        }
        return parse(json, path);
    }
}
