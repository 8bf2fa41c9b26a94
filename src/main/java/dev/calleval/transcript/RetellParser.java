package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static dev.calleval.transcript.AgentPlatformJson.problem;

/**
 * A Retell call object, as {@code GET /v2/get-call/{call_id}} returns it or as the {@code call_ended} /
 * {@code call_analyzed} webhook sends it ({@code {"event": "call_analyzed", "call": {...}}}).
 *
 * <p>Read from the call: {@code transcript_with_tool_calls} when it has entries, else {@code transcript_object};
 * {@code start_timestamp} / {@code end_timestamp} (epoch ms) for the call's length (else {@code duration_ms}).
 * <ul>
 *   <li>An utterance ({@code role} {@code agent} → AGENT, {@code user} → USER; {@code transfer_target} keeps its
 *       label and no role, for the job's speaker labels) has the text {@code content} and runs from its first
 *       word's {@code start} to its last word's {@code end}: seconds from call start ("relative audio time"),
 *       exact to the ms. A time of 10⁹ or more is taken as an absolute epoch time (10¹² or more: epoch ms, else
 *       epoch seconds) and rebased on {@code start_timestamp}.</li>
 *   <li>A {@code tool_call_invocation} ({@code tool_call_id}, {@code name}, {@code arguments}: a JSON string) is a
 *       {@link ToolCall}; its {@code tool_call_result} ({@code content}, JSON text parsed, other text kept) is matched
 *       by {@code tool_call_id}. Retell gives an invocation no time, so its offset is <b>the end of the utterance
 *       before it</b> (the earliest moment the agent could have decided to call the tool; it never lies after the
 *       real call), or, for an invocation before any utterance, the start of the next one. An invocation with its
 *       own {@code time_sec} (seconds from start, or epoch as above), which some exports add, uses that.</li>
 *   <li>{@code node_transition}, {@code dtmf} and {@code sms} entries are skipped; any other role is rejected.</li>
 * </ul>
 * Rejected, naming the entry: an utterance without words (it has no times), a non-numeric word time, an epoch time
 * without {@code start_timestamp}, a repeated {@code tool_call_id}, unparseable arguments, a result for no
 * invocation or a second result, and {@code end_timestamp} before {@code start_timestamp}.
 */
final class RetellParser implements TranscriptParser {
    private static final BigDecimal EPOCH_SECONDS = new BigDecimal("1000000000");
    private static final BigDecimal EPOCH_MILLIS = new BigDecimal("1000000000000");

    /** The call object and its path ({@code ""} or {@code call}). */
    private record Located(JsonNode call, String prefix) {}

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.RETELL;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        return locate(input.json()) != null;
    }

    private static @Nullable Located locate(@Nullable JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode call = root.get("call");
        if (call != null && call.isObject() && hasTranscript(call)) {
            return new Located(call, "call.");
        }
        return hasTranscript(root) ? new Located(root, "") : null;
    }

    private static boolean hasTranscript(JsonNode call) {
        return call.path("transcript_with_tool_calls").isArray() || call.path("transcript_object").isArray();
    }

    /** An invocation read, waiting for its result (and, before any utterance, for its offset). */
    private static final class PendingCall {
        final String name;
        final @Nullable Map<String, Object> parameters;
        long offsetMs = -1;
        @Nullable Object output;
        @Nullable String resultAt;

        PendingCall(String name, @Nullable Map<String, Object> parameters) {
            this.name = name;
            this.parameters = parameters;
        }
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        String shownAs = input.shownAs();
        Located located = locate(input.json());
        if (located == null) {
            throw new TranscriptException("transcript", shownAs + " has no Retell transcript (transcript_with_tool_calls or transcript_object)");
        }
        JsonNode call = located.call();
        String prefix = located.prefix();
        Long startTimestamp = wholeMs(call, "start_timestamp", prefix, "epoch milliseconds", shownAs);
        Long endTimestamp = wholeMs(call, "end_timestamp", prefix, "epoch milliseconds", shownAs);
        JsonNode withTools = call.path("transcript_with_tool_calls");
        String listName = withTools.isArray() && !withTools.isEmpty() || !call.path("transcript_object").isArray()
                ? "transcript_with_tool_calls" : "transcript_object";
        JsonNode entries = call.get(listName);

        List<Utterance> utterances = new ArrayList<>();
        Map<String, PendingCall> calls = new LinkedHashMap<>();
        List<PendingCall> waitingForNext = new ArrayList<>();
        Long previousEnd = null;
        int index = 0;
        for (JsonNode entry : entries) {
            String where = prefix + listName + "[" + index++ + "]";
            AgentPlatformJson.object(entry, where, shownAs);
            String role = AgentPlatformJson.requiredText(entry, "role", where, shownAs);
            switch (role.strip().toLowerCase(Locale.ROOT)) {
                case "agent", "user", "transfer_target" -> {
                    ParticipantRole side = switch (role.strip().toLowerCase(Locale.ROOT)) {
                        case "agent" -> ParticipantRole.AGENT;
                        case "user" -> ParticipantRole.USER;
                        default -> null;
                    };
                    Utterance utterance = utterance(entry, where, role, side, startTimestamp, shownAs);
                    utterances.add(utterance);
                    for (PendingCall waiting : waitingForNext) {
                        waiting.offsetMs = utterance.startMs();
                    }
                    waitingForNext.clear();
                    previousEnd = utterance.endMs();
                }
                case "tool_call_invocation" -> {
                    String id = AgentPlatformJson.requiredText(entry, "tool_call_id", where, shownAs);
                    PendingCall pending = new PendingCall(AgentPlatformJson.requiredText(entry, "name", where, shownAs),
                            AgentPlatformJson.arguments(entry, "arguments", where, shownAs));
                    if (entry.hasNonNull("time_sec")) {
                        pending.offsetMs = time(entry, "time_sec", where, startTimestamp, shownAs);
                        if (pending.offsetMs < 0) {
                            throw problem(where, "time_sec", "is " + pending.offsetMs + " ms from the call start, before it", shownAs);
                        }
                    } else if (previousEnd != null) {
                        pending.offsetMs = previousEnd;
                    } else {
                        waitingForNext.add(pending);
                    }
                    if (calls.putIfAbsent(id, pending) != null) {
                        throw problem(where, "tool_call_id", "is '" + id + "', the id of an earlier tool_call_invocation", shownAs);
                    }
                }
                case "tool_call_result" -> {
                    String id = AgentPlatformJson.requiredText(entry, "tool_call_id", where, shownAs);
                    PendingCall pending = calls.get(id);
                    if (pending == null) {
                        throw problem(where, "tool_call_id", "is '" + id + "', which no earlier tool_call_invocation has", shownAs);
                    }
                    if (pending.resultAt != null) {
                        throw problem(where, "tool_call_id", "is '" + id + "', whose result is already " + pending.resultAt, shownAs);
                    }
                    pending.resultAt = where;
                    pending.output = AgentPlatformJson.output(entry.get("content"));
                }
                case "node_transition", "dtmf", "sms" -> {
                    // not speech, not a tool call
                }
                default -> throw problem(where, "role", "is '" + role + "'; expected agent, user, transfer_target, "
                        + "tool_call_invocation, tool_call_result, node_transition, dtmf or sms", shownAs);
            }
        }
        List<ToolCall> toolCalls = new ArrayList<>(calls.size());
        for (PendingCall pending : calls.values()) {
            toolCalls.add(new ToolCall(pending.name, Math.max(0, pending.offsetMs), null, pending.parameters, pending.output));
        }
        return new ParsedTranscript(format(), utterances, toolCalls, durationMs(call, prefix, startTimestamp, endTimestamp, shownAs));
    }

    private static Utterance utterance(JsonNode entry, String where, String role, @Nullable ParticipantRole side,
            @Nullable Long startTimestamp, String shownAs) throws TranscriptException {
        String text = AgentPlatformJson.requiredText(entry, "content", where, shownAs);
        JsonNode words = entry.get("words");
        if (words == null || !words.isArray() || words.isEmpty()) {
            throw problem(where, "words", "is " + Times.describe(words) + ": an utterance needs its words, which carry its times", shownAs);
        }
        long start = 0;
        long end = 0;
        for (int i = 0; i < words.size(); i++) {
            String at = where + ".words[" + i + "]";
            JsonNode word = AgentPlatformJson.object(words.get(i), at, shownAs);
            boolean first = i == 0;
            boolean last = i == words.size() - 1;
            if (first || word.hasNonNull("start")) {
                long wordStart = time(word, "start", at, startTimestamp, shownAs);
                if (first) {
                    start = wordStart;
                }
            }
            if (last || word.hasNonNull("end")) {
                long wordEnd = time(word, "end", at, startTimestamp, shownAs);
                if (last) {
                    end = wordEnd;
                }
            }
        }
        return new Utterance(where, role, null, side, start, end, text, null);
    }

    /**
     * A time in seconds from call start, or an absolute epoch time (seconds or ms) rebased on the call's start.
     *
     * @throws TranscriptException not a number, or absolute with no {@code start_timestamp}
     */
    private static long time(JsonNode node, String name, String where, @Nullable Long startTimestamp, String shownAs)
            throws TranscriptException {
        JsonNode value = node.get(name);
        BigDecimal seconds = Times.decimal(value);
        if (seconds == null) {
            throw problem(where, name, "is " + Times.describe(value) + ", expected a number of seconds from the call start", shownAs);
        }
        if (seconds.compareTo(EPOCH_SECONDS) < 0) {
            return Times.secondsToMs(seconds);
        }
        if (startTimestamp == null) {
            throw problem(where, name, "is " + seconds.toPlainString() + ", an absolute (epoch) time, but the call has no "
                    + "start_timestamp to rebase it on", shownAs);
        }
        long epochMs = seconds.compareTo(EPOCH_MILLIS) >= 0 ? seconds.setScale(0, RoundingMode.HALF_UP).longValueExact()
                : Times.secondsToMs(seconds);
        return epochMs - startTimestamp;
    }

    /** A whole number of milliseconds at {@code prefix + name}, or null when absent. */
    private static @Nullable Long wholeMs(JsonNode call, String name, String prefix, String unit, String shownAs) throws TranscriptException {
        JsonNode value = call.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal ms = Times.decimal(value);
        if (ms == null || ms.signum() < 0 || ms.stripTrailingZeros().scale() > 0) {
            throw new TranscriptException(TranscriptParser.field(prefix + name), prefix + name + " is " + Times.describe(value)
                    + ", expected " + unit + ", in " + shownAs);
        }
        return ms.longValueExact();
    }

    private static @Nullable Long durationMs(JsonNode call, String prefix, @Nullable Long start, @Nullable Long end, String shownAs)
            throws TranscriptException {
        if (start != null && end != null) {
            if (end < start) {
                throw new TranscriptException(TranscriptParser.field(prefix + "end_timestamp"), prefix + "end_timestamp " + end
                        + " is before " + prefix + "start_timestamp " + start + ", in " + shownAs);
            }
            return end - start;
        }
        return wholeMs(call, "duration_ms", prefix, "the call's length in whole milliseconds", shownAs);
    }
}
