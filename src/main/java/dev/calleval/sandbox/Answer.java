package dev.calleval.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the sandbox answers one request: a status ({@code 0} = close the connection without answer), a JSON body and
 * extra headers, whether the request took effect ({@code processed}, counted as accepted) and the name of the fault
 * that shaped the answer, if any (e.g. {@code rate_limit}, {@code accept_then_fail}).
 */
record Answer(int status, @Nullable JsonNode body, Map<String, String> headers, boolean processed,
        @Nullable String fault) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static Answer of(int status, JsonNode body) {
        return new Answer(status, body, Map.of(), false, null);
    }

    /** 200 for a request that took effect (or served data). */
    static Answer done(JsonNode body) {
        return new Answer(200, body, Map.of(), true, null);
    }

    static Answer reset(String fault, boolean processed) {
        return new Answer(0, null, Map.of(), processed, fault);
    }

    /** 422 {@code {"detail": [errors...]}} as FastAPI answers a request that fails validation. */
    static Answer unprocessable(List<ObjectNode> errors) {
        ObjectNode answer = NODES.objectNode();
        answer.putArray("detail").addAll(errors);
        return of(422, answer);
    }

    /** {@code {"detail": message}}. */
    static ObjectNode detail(String message) {
        ObjectNode node = NODES.objectNode();
        node.put("detail", message);
        return node;
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new Answer(status, body, Map.copyOf(more), processed, fault);
    }

    Answer withFault(String name) {
        return new Answer(status, body, headers, processed, name);
    }

    /** The reason phrase Starlette puts in the {@code detail} of a bare HTTP error. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Request Entity Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
