package dev.calleval.mapping;

import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.source.InputFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a call's JSON sidecar may add to the request: {@code participants}, {@code tool_calls} (§1.4),
 * {@code events} (§1.5), {@code tags} and {@code metadata}. Each part is null when the sidecar does not have it.
 * Also reads the {@code tool_calls} and {@code events} manifest columns, whose files hold either a plain JSON
 * array or an object with that key.
 */
public record Sidecar(
        @Nullable List<Participant> participants,
        @Nullable List<ToolCall> toolCalls,
        @Nullable List<Event> events,
        @Nullable List<String> tags,
        @Nullable Map<String, Object> metadata) {

    /** Reads a whole sidecar object. */
    public static Sidecar read(Path file, String shownAs) throws InputFileException {
        return of(JsonInput.read(file, "sidecar", shownAs), shownAs);
    }

    /** A sidecar from its parsed JSON. */
    public static Sidecar of(JsonNode json, String shownAs) throws InputFileException {
        JsonNode root = JsonInput.object(json, "sidecar");
        List<Participant> participants = null;
        JsonNode p = root.get("participants");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) {
                throw new InputFileException("sidecar.participants", "participants must be a list in " + shownAs);
            }
            participants = new ArrayList<>();
            int i = 0;
            for (JsonNode node : p) {
                String field = "sidecar.participants[" + i++ + "]";
                JsonInput.object(node, field);
                participants.add(new Participant(JsonInput.role(node, "role", field),
                        JsonInput.optionalBoolean(node, "spoke_first", field), JsonInput.optionalString(node, "name", field),
                        JsonInput.optionalString(node, "phone_number", field)));
            }
        }
        return new Sidecar(participants,
                root.hasNonNull("tool_calls") ? toolCalls(JsonInput.arrayOrKey(root, "tool_calls", "sidecar", shownAs), "sidecar.tool_calls") : null,
                root.hasNonNull("events") ? events(JsonInput.arrayOrKey(root, "events", "sidecar", shownAs), "sidecar.events") : null,
                JsonInput.optionalStrings(root, "tags", "sidecar"),
                JsonInput.optionalObject(root, "metadata", "sidecar"));
    }

    /** Reads the tool calls of a {@code tool_calls} column file. */
    public static List<ToolCall> readToolCalls(Path file, String shownAs) throws InputFileException {
        return toolCallsOf(JsonInput.read(file, "tool_calls", shownAs), shownAs);
    }

    /** The tool calls of a parsed {@code tool_calls} column file. */
    public static List<ToolCall> toolCallsOf(JsonNode json, String shownAs) throws InputFileException {
        return toolCalls(JsonInput.arrayOrKey(json, "tool_calls", "tool_calls", shownAs), "tool_calls");
    }

    /** Reads the events of an {@code events} column file. */
    public static List<Event> readEvents(Path file, String shownAs) throws InputFileException {
        return eventsOf(JsonInput.read(file, "events", shownAs), shownAs);
    }

    /** The events of a parsed {@code events} column file. */
    public static List<Event> eventsOf(JsonNode json, String shownAs) throws InputFileException {
        return events(JsonInput.arrayOrKey(json, "events", "events", shownAs), "events");
    }

    private static List<ToolCall> toolCalls(JsonNode array, String column) throws InputFileException {
        List<ToolCall> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : array) {
            String field = column + "[" + i++ + "]";
            JsonInput.object(node, field);
            out.add(new ToolCall(JsonInput.requiredString(node, "name", field), JsonInput.offsetMs(node, "start_offset_ms", field),
                    JsonInput.optionalString(node, "description", field), JsonInput.optionalObject(node, "parameters", field),
                    JsonInput.optionalAny(node, "output")));
        }
        return out;
    }

    private static List<Event> events(JsonNode array, String column) throws InputFileException {
        List<Event> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : array) {
            String field = column + "[" + i++ + "]";
            JsonInput.object(node, field);
            long start = JsonInput.offsetMs(node, "start_offset_ms", field);
            Long end = JsonInput.optionalOffsetMs(node, "end_offset_ms", field);
            if (end != null && end < start) {
                throw new InputFileException(field + ".end_offset_ms", "end_offset_ms " + end + " is before start_offset_ms " + start);
            }
            out.add(new Event(JsonInput.requiredString(node, "title", field), start, JsonInput.optionalString(node, "description", field),
                    end, JsonInput.optionalStrings(node, "tags", field), JsonInput.optionalObject(node, "metadata", field)));
        }
        return out;
    }
}
