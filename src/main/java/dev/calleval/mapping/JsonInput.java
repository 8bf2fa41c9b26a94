package dev.calleval.mapping;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.source.InputFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/**
 * Reading the JSON files a row names (sidecar, tool calls, events) with errors that name the column, the entry and
 * the field, as {@link InputFileException}s. Transcript files have their own reader in {@code transcript/} with the
 * same words.
 */
final class JsonInput {
    private JsonInput() {}

    /** Parses a whole JSON file. */
    static JsonNode read(Path file, String column, String shownAs) throws InputFileException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return BluejayJson.mapper().readTree(in);
        } catch (NoSuchFileException e) {
            throw new InputFileException(column, "file not found: " + shownAs);
        } catch (JacksonException e) {
            throw notJson(e, column, shownAs);
        } catch (IOException e) {
            throw new InputFileException(column, "cannot read " + shownAs + ": " + e.getMessage());
        }
    }

    /** Parses a whole JSON document already read (e.g. an S3 object). */
    static JsonNode parse(byte[] bytes, String column, String shownAs) throws InputFileException {
        try {
            return BluejayJson.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw notJson(e, column, shownAs);
        }
    }

    private static InputFileException notJson(JacksonException e, String column, String shownAs) {
        TokenStreamLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new InputFileException(column, shownAs + " is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    /** The array itself, or the array under {@code key} when the file is an object holding it. */
    static JsonNode arrayOrKey(JsonNode root, String key, String column, String shownAs) throws InputFileException {
        JsonNode node = root.isObject() ? root.path(key) : root;
        if (node.isMissingNode() || node.isNull()) {
            throw new InputFileException(column, shownAs + " has no '" + key + "' list");
        }
        if (!node.isArray()) {
            throw new InputFileException(column, shownAs + ": expected a JSON array of " + key + ", found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    static String requiredString(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            throw new InputFileException(field + "." + name, name + " is required");
        }
        if (!value.isString()) {
            throw new InputFileException(field + "." + name, name + " must be a string, got " + value);
        }
        return value.asString();
    }

    static @Nullable String optionalString(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new InputFileException(field + "." + name, name + " must be a string, got " + value);
        }
        return value.asString();
    }

    /** An integer number of milliseconds; fractions, strings and negatives are refused. */
    static long offsetMs(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            throw new InputFileException(field + "." + name, name + " is required (integer ms from call start)");
        }
        return checkOffset(value, name, field);
    }

    static @Nullable Long optionalOffsetMs(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        return value == null || value.isNull() ? null : checkOffset(value, name, field);
    }

    private static long checkOffset(JsonNode value, String name, String field) throws InputFileException {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InputFileException(field + "." + name,
                    name + " must be an integer number of ms from call start, got " + value);
        }
        long ms = value.asLong();
        if (ms < 0) {
            throw new InputFileException(field + "." + name, name + " is " + ms + "; offsets are ms from call start and must be >= 0");
        }
        return ms;
    }

    static @Nullable Boolean optionalBoolean(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InputFileException(field + "." + name, name + " must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    static ParticipantRole role(JsonNode entry, String name, String field) throws InputFileException {
        String value = requiredString(entry, name, field);
        try {
            return ParticipantRole.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputFileException(field + "." + name, name + " must be AGENT or USER, got '" + value + "'");
        }
    }

    @SuppressWarnings("unchecked")
    static @Nullable Map<String, Object> optionalObject(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InputFileException(field + "." + name, name + " must be a JSON object, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return BluejayJson.mapper().treeToValue(value, Map.class);
    }

    static @Nullable Object optionalAny(JsonNode entry, String name) {
        JsonNode value = entry.get(name);
        return value == null || value.isNull() ? null : BluejayJson.mapper().treeToValue(value, Object.class);
    }

    static @Nullable List<String> optionalStrings(JsonNode entry, String name, String field) throws InputFileException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InputFileException(field + "." + name, name + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString()) {
                throw new InputFileException(field + "." + name, name + " must be a list of strings, found " + item);
            }
            out.add(item.asString());
        }
        return out;
    }

    static JsonNode object(JsonNode entry, String field) throws InputFileException {
        if (!entry.isObject()) {
            throw new InputFileException(field, "expected a JSON object, found " + entry.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return entry;
    }
}
