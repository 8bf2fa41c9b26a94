package dev.calleval.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads request bodies as FastAPI does and writes {@link Answer}s as JSON. Thread-safe. */
final class JsonExchange {

    private static final System.Logger LOG = System.getLogger(SandboxServer.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A parsed body, or the 422 answer for one that is not JSON. */
    record Body(@Nullable JsonNode json, @Nullable Answer rejection) {}

    /**
     * Parses a request body as FastAPI reads it: empty = no body (validated as {@code missing}); a non-JSON
     * content type = the raw text (which no model accepts); else JSON, or 422 {@code json_invalid}.
     */
    Body parse(byte[] body, @Nullable String contentType) {
        if (body.length == 0) {
            return new Body(null, null);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && !isJson(contentType)) {
            return new Body(NODES.stringNode(text), null);
        }
        try {
            JsonNode parsed = json.readTree(text);
            if (parsed == null || parsed.isMissingNode()) {
                return new Body(null, jsonInvalid(text.length(), "Expecting value"));
            }
            return new Body(parsed, null);
        } catch (JacksonException e) {
            long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
            return new Body(null, jsonInvalid(offset, String.valueOf(e.getOriginalMessage())));
        }
    }

    /** Sends the answer (or closes the connection without one for status 0); a client gone away is only logged. */
    void write(HttpExchange exchange, Answer answer) {
        if (answer.status() == 0) {
            exchange.close(); // no answer: the client sees a reset / premature end of stream
            return;
        }
        try {
            byte[] bytes = json.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away before the answer was written: {0}", e.toString());
        }
    }

    private static Answer jsonInvalid(long offset, String reason) {
        return Answer.unprocessable(List.of(jsonInvalidItem(offset, reason)));
    }

    /**
     * The 422 item FastAPI sends for a body that is not valid JSON.
     *
     * @param position character offset of the error in the body
     * @param reason the parser's message
     */
    static ObjectNode jsonInvalidItem(long position, String reason) {
        ObjectNode item = NODES.objectNode();
        item.put("type", "json_invalid");
        ArrayNode loc = item.putArray("loc");
        loc.add("body");
        loc.add(Math.max(position, 0));
        item.put("msg", "JSON decode error");
        item.putObject("input");
        item.putObject("ctx").put("error", reason);
        return item;
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/")
                && mediaType.endsWith("+json"));
    }
}
