package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static dev.calleval.transcript.AgentPlatformJson.problem;

/**
 * Vapi call messages: the {@code end-of-call-report} server message ({@code {"message": {"type":
 * "end-of-call-report", "artifact": {"messages": [...]}, "startedAt", "endedAt", "durationMs", "call", ...}}}), the
 * message without its wrapper, or the call object of {@code GET /call/:id} ({@code {"artifact": {"messages": [...]},
 * "startedAt", "endedAt"}}, older calls {@code {"messages": [...]}}). {@code artifact.messages} is read when present,
 * else {@code messages}.
 *
 * <p>Messages by {@code role}:
 * <ul>
 *   <li>{@code bot} or {@code assistant} → an AGENT utterance, {@code user} → a USER utterance (the role is the
 *       speaker label, and the role is stated, so speaker mapping AUTO uses it). Text is {@code message} (or
 *       {@code content}); the start is {@code secondsFromStart} (seconds from call start, exact to the ms); the
 *       length is {@code endTime - time} (epoch ms), else {@code duration} (ms);</li>
 *   <li>{@code tool_calls} → one {@link ToolCall} per {@code toolCalls[]} item ({@code id}, {@code function.name},
 *       {@code function.arguments}: a JSON string holding the parameters object) at the message's
 *       {@code secondsFromStart};</li>
 *   <li>{@code tool_call_result} → the {@code result} of the tool call whose {@code id} is its {@code toolCallId}
 *       (JSON text is parsed, other text kept as it is); a call without a result has a null output;</li>
 *   <li>{@code system} (the prompt) is skipped; any other role is rejected, so that no speech is lost unseen.</li>
 * </ul>
 * The call's length is {@code durationMs}, else {@code endedAt - startedAt} (of the message, else of its
 * {@code call}). Rejected, naming the message: a missing or non-numeric {@code secondsFromStart}, an utterance
 * without {@code endTime}/{@code duration}, tool calls with a repeated id or unparseable arguments, a result whose
 * {@code toolCallId} matches no tool call or that is the second for its call.
 */
final class VapiParser implements TranscriptParser {

    /** Where the messages are: the object that holds them and its path, and the list and its path. */
    private record Located(JsonNode base, String basePath, JsonNode messages, String messagesPath) {}

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.VAPI;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        Located located = locate(input.json());
        if (located == null) {
            return false;
        }
        for (JsonNode message : located.messages()) {
            if (message.isObject() && message.has("role") && message.has("secondsFromStart")) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Located locate(@Nullable JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode base = root;
        String basePath = "";
        JsonNode wrapped = root.get("message");
        if (wrapped != null && wrapped.isObject()) {
            base = wrapped;
            basePath = "message";
        }
        String prefix = basePath.isEmpty() ? "" : basePath + ".";
        JsonNode artifactMessages = base.path("artifact").path("messages");
        if (artifactMessages.isArray()) {
            return new Located(base, basePath, artifactMessages, prefix + "artifact.messages");
        }
        JsonNode messages = base.path("messages");
        if (messages.isArray()) {
            return new Located(base, basePath, messages, prefix + "messages");
        }
        return null;
    }

    /** A tool call read from a {@code tool_calls} message, waiting for its result. */
    private static final class PendingCall {
        final String name;
        final long offsetMs;
        final @Nullable Map<String, Object> parameters;
        @Nullable Object output;
        @Nullable String resultAt;

        PendingCall(String name, long offsetMs, @Nullable Map<String, Object> parameters) {
            this.name = name;
            this.offsetMs = offsetMs;
            this.parameters = parameters;
        }
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        String shownAs = input.shownAs();
        Located located = locate(input.json());
        if (located == null) {
            throw new TranscriptException("transcript", shownAs + " has no Vapi messages (artifact.messages or messages)");
        }
        List<Utterance> utterances = new ArrayList<>();
        Map<String, PendingCall> calls = new LinkedHashMap<>();
        List<JsonNode> results = new ArrayList<>();
        List<String> resultPaths = new ArrayList<>();
        int index = 0;
        for (JsonNode message : located.messages()) {
            String where = located.messagesPath() + "[" + index++ + "]";
            AgentPlatformJson.object(message, where, shownAs);
            String role = AgentPlatformJson.requiredText(message, "role", where, shownAs);
            switch (role.strip().toLowerCase(Locale.ROOT)) {
                case "system" -> {
                    // the prompt, not speech
                }
                case "bot", "assistant" -> utterances.add(utterance(message, where, role, ParticipantRole.AGENT, shownAs));
                case "user" -> utterances.add(utterance(message, where, role, ParticipantRole.USER, shownAs));
                case "tool_calls" -> readCalls(message, where, calls, shownAs);
                case "tool_call_result" -> {
                    results.add(message);
                    resultPaths.add(where);
                }
                default -> throw problem(where, "role", "is '" + role
                        + "'; expected system, bot, assistant, user, tool_calls or tool_call_result", shownAs);
            }
        }
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            String where = resultPaths.get(i);
            String id = AgentPlatformJson.requiredText(result, "toolCallId", where, shownAs);
            PendingCall call = calls.get(id);
            if (call == null) {
                throw problem(where, "toolCallId", "is '" + id + "', which no tool_calls message has", shownAs);
            }
            if (call.resultAt != null) {
                throw problem(where, "toolCallId", "is '" + id + "', whose result is already " + call.resultAt, shownAs);
            }
            call.resultAt = where;
            call.output = AgentPlatformJson.output(result.get("result"));
        }
        List<ToolCall> toolCalls = new ArrayList<>(calls.size());
        for (PendingCall call : calls.values()) {
            toolCalls.add(new ToolCall(call.name, call.offsetMs, null, call.parameters, call.output));
        }
        return new ParsedTranscript(format(), utterances, toolCalls, durationMs(located, shownAs));
    }

    private static Utterance utterance(JsonNode message, String where, String role, ParticipantRole side, String shownAs)
            throws TranscriptException {
        String text = message.has("message") || !message.has("content")
                ? AgentPlatformJson.requiredText(message, "message", where, shownAs)
                : AgentPlatformJson.requiredText(message, "content", where, shownAs);
        long start = Times.secondsField(message, "secondsFromStart", where, shownAs);
        BigDecimal time = number(message, "time", "epoch milliseconds", where, shownAs);
        BigDecimal endTime = number(message, "endTime", "epoch milliseconds", where, shownAs);
        BigDecimal length;
        if (time != null && endTime != null) {
            length = endTime.subtract(time);
        } else {
            length = number(message, "duration", "milliseconds", where, shownAs);
            if (length == null) {
                throw problem(where, "has neither endTime (with time) nor duration, so where it ends is unknown", shownAs);
            }
        }
        return new Utterance(where, role, null, side, start, start + length.setScale(0, RoundingMode.HALF_UP).longValueExact(), text, null);
    }

    private static void readCalls(JsonNode message, String where, Map<String, PendingCall> calls, String shownAs) throws TranscriptException {
        long offset = Times.secondsField(message, "secondsFromStart", where, shownAs);
        if (offset < 0) {
            throw problem(where, "secondsFromStart", "is " + offset + " ms from the call start, before it", shownAs);
        }
        JsonNode list = message.get("toolCalls");
        if (list == null || !list.isArray()) {
            throw problem(where, "toolCalls", "is " + Times.describe(list) + ", expected a list of tool calls", shownAs);
        }
        int index = 0;
        for (JsonNode item : list) {
            String at = where + ".toolCalls[" + index++ + "]";
            AgentPlatformJson.object(item, at, shownAs);
            String id = AgentPlatformJson.requiredText(item, "id", at, shownAs);
            JsonNode function = item.get("function");
            if (function == null || !function.isObject()) {
                throw problem(at, "function", "is " + Times.describe(function) + ", expected {name, arguments}", shownAs);
            }
            String name = AgentPlatformJson.requiredText(function, "name", at + ".function", shownAs);
            Map<String, Object> parameters = AgentPlatformJson.arguments(function, "arguments", at + ".function", shownAs);
            if (calls.putIfAbsent(id, new PendingCall(name, offset, parameters)) != null) {
                throw problem(at, "id", "is '" + id + "', the id of an earlier tool call", shownAs);
            }
        }
    }

    /** An optional numeric field; present but not a number is an error. */
    private static @Nullable BigDecimal number(JsonNode message, String name, String unit, String where, String shownAs)
            throws TranscriptException {
        JsonNode value = message.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal number = Times.decimal(value);
        if (number == null) {
            throw problem(where, name, "is " + Times.describe(value) + ", expected " + unit, shownAs);
        }
        return number;
    }

    private static @Nullable Long durationMs(Located located, String shownAs) throws TranscriptException {
        JsonNode base = located.base();
        String prefix = located.basePath().isEmpty() ? "" : located.basePath() + ".";
        JsonNode durationMs = base.get("durationMs");
        if (durationMs != null && !durationMs.isNull()) {
            BigDecimal ms = Times.decimal(durationMs);
            if (ms == null || ms.signum() < 0) {
                throw new TranscriptException(TranscriptParser.field(prefix + "durationMs"), prefix + "durationMs is "
                        + Times.describe(durationMs) + ", expected the call's length in milliseconds, in " + shownAs);
            }
            return ms.setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
        Long between = between(base, prefix, shownAs);
        if (between == null && base.path("call").isObject()) {
            between = between(base.get("call"), prefix + "call.", shownAs);
        }
        return between;
    }

    private static @Nullable Long between(JsonNode node, String prefix, String shownAs) throws TranscriptException {
        OffsetDateTime started = instant(node, "startedAt", prefix, shownAs);
        OffsetDateTime ended = instant(node, "endedAt", prefix, shownAs);
        if (started == null || ended == null) {
            return null;
        }
        if (ended.isBefore(started)) {
            throw new TranscriptException(TranscriptParser.field(prefix + "endedAt"), prefix + "endedAt " + ended + " is before "
                    + prefix + "startedAt " + started + ", in " + shownAs);
        }
        return Duration.between(started, ended).toMillis();
    }

    private static @Nullable OffsetDateTime instant(JsonNode node, String name, String prefix, String shownAs) throws TranscriptException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isString()) {
                return OffsetDateTime.parse(value.asString().strip());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new TranscriptException(TranscriptParser.field(prefix + name), prefix + name + " is " + Times.describe(value)
                + ", expected an ISO-8601 date-time such as 2026-11-19T15:41:37.000Z, in " + shownAs);
    }
}
