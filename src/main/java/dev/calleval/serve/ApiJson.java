package dev.calleval.serve;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The launch API's JSON: snake_case keys, as in {@code summary.json}; times as ISO-8601 UTC. */
final class ApiJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private ApiJson() {}

    static String write(Object value) {
        return JSON.writeValueAsString(value);
    }

    static JsonMapper mapper() {
        return JSON;
    }
}
