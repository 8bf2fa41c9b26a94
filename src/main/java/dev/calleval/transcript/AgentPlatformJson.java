package dev.calleval.transcript;

import dev.calleval.bluejay.BluejayJson;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * JSON helpers shared by the agent-platform parsers (Vapi, Retell): required text fields, tool-call arguments sent
 * as a JSON string, and tool results that are JSON text or plain text. Every problem names the entry and the file.
 */
final class AgentPlatformJson {
    private AgentPlatformJson() {}

    /** A problem with {@code where.name}: field {@code transcript.<where>.<name>}, message naming entry and file. */
    static TranscriptException problem(String where, String name, String what, String shownAs) {
        return new TranscriptException(TranscriptParser.field(where) + "." + name, where + "." + name + " " + what + ", in " + shownAs);
    }

    /** A problem with the entry {@code where} as a whole. */
    static TranscriptException problem(String where, String what, String shownAs) {
        return new TranscriptException(TranscriptParser.field(where), where + " " + what + ", in " + shownAs);
    }

    /** A string field that must be there (it may be empty). */
    static String requiredText(JsonNode entry, String name, String where, String shownAs) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || !value.isString()) {
            throw problem(where, name, "is " + Times.describe(value) + ", expected a string", shownAs);
        }
        return value.asString();
    }

    /** A string field that may be absent or null. */
    static @Nullable String optionalText(JsonNode entry, String name, String where, String shownAs) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw problem(where, name, "is " + Times.describe(value) + ", expected a string", shownAs);
        }
        return value.asString();
    }

    /** A list entry, which must be a JSON object. */
    static JsonNode object(JsonNode entry, String where, String shownAs) throws TranscriptException {
        if (!entry.isObject()) {
            throw problem(where, "is " + Times.describe(entry) + ", expected a JSON object", shownAs);
        }
        return entry;
    }

    /**
     * Tool-call arguments: a JSON object, or (as both platforms send them) a string holding a JSON object. A blank
     * string is no arguments (an empty map); null or absent is null.
     *
     * @throws TranscriptException the value is not an object, or the string is not a JSON object
     */
    @SuppressWarnings("unchecked")
    static @Nullable Map<String, Object> arguments(JsonNode entry, String name, String where, String shownAs) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        JsonNode tree = value;
        if (value.isString()) {
            if (value.asString().isBlank()) {
                return Map.of();
            }
            try {
                tree = BluejayJson.mapper().readTree(value.asString());
            } catch (JacksonException e) {
                throw problem(where, name, "is not valid JSON (" + e.getOriginalMessage() + ")", shownAs);
            }
        }
        if (!tree.isObject()) {
            throw problem(where, name, "is " + Times.describe(value) + ", expected a JSON object of arguments", shownAs);
        }
        return BluejayJson.mapper().treeToValue(tree, Map.class);
    }

    /**
     * A tool's result: text that holds a JSON object or array is parsed ({@code "{\"ok\":true}"} → a map), other text
     * is kept as it is (a plain-language result, or JSON that does not parse); a JSON value is taken as it is.
     */
    static @Nullable Object output(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            return BluejayJson.mapper().treeToValue(value, Object.class);
        }
        String text = value.asString();
        String head = text.strip();
        if (head.startsWith("{") || head.startsWith("[")) {
            try {
                return BluejayJson.mapper().treeToValue(BluejayJson.mapper().readTree(text), Object.class);
            } catch (JacksonException e) {
                return text;
            }
        }
        return text;
    }
}
