package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The fields of JSON transcript entries, read with errors that name the entry and the field (e.g.
 * {@code transcript[3].start_offset_ms}). The same words as the mapping's readers of sidecar, tool-call and event
 * files, so a problem reads alike whichever file it is in.
 */
final class JsonFields {
    private JsonFields() {}

    /** The array itself, or the array under {@code key} when the file is an object holding it. */
    static JsonNode arrayOrKey(JsonNode root, String key, String column, String shownAs) throws TranscriptException {
        JsonNode node = root.isObject() ? root.path(key) : root;
        if (node.isMissingNode() || node.isNull()) {
            throw new TranscriptException(column, shownAs + " has no '" + key + "' list");
        }
        if (!node.isArray()) {
            throw new TranscriptException(column, shownAs + ": expected a JSON array of " + key + ", found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    static JsonNode object(JsonNode entry, String field) throws TranscriptException {
        if (!entry.isObject()) {
            throw new TranscriptException(field, "expected a JSON object, found " + entry.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return entry;
    }

    static String requiredString(JsonNode entry, String name, String field) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            throw new TranscriptException(field + "." + name, name + " is required");
        }
        if (!value.isString()) {
            throw new TranscriptException(field + "." + name, name + " must be a string, got " + value);
        }
        return value.asString();
    }

    /** An integer number of milliseconds from call start; fractions, strings and negatives are refused. */
    static long offsetMs(JsonNode entry, String name, String field) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            throw new TranscriptException(field + "." + name, name + " is required (integer ms from call start)");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new TranscriptException(field + "." + name, name + " must be an integer number of ms from call start, got " + value);
        }
        long ms = value.asLong();
        if (ms < 0) {
            throw new TranscriptException(field + "." + name, name + " is " + ms + "; offsets are ms from call start and must be >= 0");
        }
        return ms;
    }

    static @Nullable Boolean optionalBoolean(JsonNode entry, String name, String field) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new TranscriptException(field + "." + name, name + " must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    static ParticipantRole role(JsonNode entry, String name, String field) throws TranscriptException {
        String value = requiredString(entry, name, field);
        try {
            return ParticipantRole.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TranscriptException(field + "." + name, name + " must be AGENT or USER, got '" + value + "'");
        }
    }
}
