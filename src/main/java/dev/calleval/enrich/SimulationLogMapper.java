package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.mapping.Problem;
import dev.calleval.source.InputFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one per-call simulation log into a {@code POST /v1/update-simulation-result} body (API reference §4.1), or
 * into a rejection listing every problem found, each naming the field, e.g.
 * {@code tool_calls[1].start_offset_ms: must be >= 0, got -120}. A rejected log is never posted.
 *
 * <p>The log is a JSON object (docs/simulations.md, "Enriching simulation results"):
 * <pre>
 * {"simulation_result_id"?: "716977", "call_started_at"?: "2026-11-19T14:03:00Z",
 *  "tool_calls"?: [{"name", start, "description"?, "parameters"?: {}, "output"?: any}],
 *  "events"?: [{"title", start, end?, "description"?, "tags"?: [], "metadata"?: {}}],
 *  "recorded_transcript"?: [{"speaker": "AGENT"|"USER", "utterance", start, end, "filler_utterance"?}],
 *  "tags"?: [string], "metadata"?: {}, "trace_ids"?: [32 hex digits]}
 * </pre>
 * where start and end are any one of the forms of {@link LogTimes}, converted to integer ms from call start.
 * Checks, from the API's constraints: names, titles and utterances are non-blank strings; every offset is >= 0
 * and an end is not before its start; a speaker is AGENT or USER (any case); the simulation result id is a numeric
 * string (the vendor skips others), and the id the listing gives (file name or manifest) and an id inside the file
 * agree; a log holds something to post. Unknown keys are ignored. Thread-safe and stateless.
 */
public final class SimulationLogMapper implements ItemProcessor<SimulationLog, MappedUpdate> {
    /** Floats read as exact decimals (seconds → ms without binary rounding); duplicate keys refused. */
    static final JsonMapper LOG_JSON = BluejayJson.mapper().rebuild()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonMapper FINGERPRINT_JSON = BluejayJson.mapper().rebuild()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,40}");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final int MAX_PROBLEMS = 20;

    @Override
    public MappedUpdate process(SimulationLog log) {
        if (log.problem() != null) {
            return new MappedUpdate.Rejected(log, numericOrNull(log.declaredId()), List.of(new Problem(log.problem().field(), log.problem().reason())));
        }
        JsonNode root;
        try (InputStream in = log.content().open()) {
            root = LOG_JSON.readTree(in);
        } catch (NoSuchFileException e) {
            return rejected(log, "log", "file not found");
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return rejected(log, "json", "not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return rejected(log, "log", "cannot read the file: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return rejected(log, "json", "expected a JSON object with tool_calls, events, recorded_transcript, ..., found "
                    + (root == null || root.isMissingNode() ? "an empty file" : kind(root)));
        }
        Problems problems = new Problems();
        String resultId = resultId(log, root, problems);
        Instant callStartedAt = null;
        if (root.hasNonNull("call_started_at")) {
            try {
                callStartedAt = LogTimes.instant(root.get("call_started_at"), "call_started_at");
            } catch (InputFileException e) {
                problems.add(e);
            }
        }
        Instant start = callStartedAt;
        List<ToolCall> toolCalls = list(root, "tool_calls", problems, (item, field) -> toolCall(item, field, start));
        List<Event> events = list(root, "events", problems, (item, field) -> event(item, field, start));
        List<TranscriptEntry> transcript = list(root, "recorded_transcript", problems, (item, field) -> transcriptEntry(item, field, start));
        List<String> tags = strings(root, "tags", problems, null);
        Map<String, Object> metadata = null;
        try {
            metadata = object(root, "metadata", "metadata");
        } catch (InputFileException e) {
            problems.add(e);
        }
        List<String> traceIds = strings(root, "trace_ids", problems, TRACE_ID);
        if (problems.isEmpty() && isEmpty(toolCalls) && isEmpty(events) && isEmpty(transcript) && isEmpty(tags)
                && (metadata == null || metadata.isEmpty()) && isEmpty(traceIds)) {
            problems.add(new Problem("(file)", "nothing to post: no tool_calls, events, recorded_transcript, tags, metadata or trace_ids"));
        }
        if (!problems.isEmpty() || resultId == null) {
            return new MappedUpdate.Rejected(log, resultId, problems.list());
        }
        UpdateSimulationResultRequest request = new UpdateSimulationResultRequest(resultId, events, toolCalls, transcript, tags, metadata, traceIds);
        return new MappedUpdate.Accepted(log, request, fingerprint(request));
    }

    /** SHA-256 (hex) of the body as sent, with map keys sorted. */
    static String fingerprint(UpdateSimulationResultRequest request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(FINGERPRINT_JSON.writeValueAsBytes(request)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The numeric id from the listing and the file, which must agree; null (with a problem) when there is none. */
    private static @Nullable String resultId(SimulationLog log, JsonNode root, Problems problems) {
        String declared = log.declaredId();
        if (declared != null && !NUMERIC_ID.matcher(declared).matches()) {
            problems.add(new Problem("simulation_result_id", "'" + declared + "' (from " + log.declaredIdOrigin()
                    + ") is not a numeric simulation result id" + ("the file name".equals(log.declaredIdOrigin())
                            ? "; name each log <simulation_result_id>.json, e.g. 716977.json" : "")));
            declared = null;
        }
        JsonNode value = root.get("simulation_result_id");
        String inside = null;
        if (value != null && !value.isNull()) {
            if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
                inside = Long.toString(value.asLong());
            } else if (value.isString() && NUMERIC_ID.matcher(value.asString()).matches()) {
                inside = value.asString();
            } else {
                problems.add(new Problem("simulation_result_id", "must be a numeric string like \"716977\", got " + value));
                return null;
            }
        }
        if (declared != null && inside != null && !declared.equals(inside)) {
            problems.add(new Problem("simulation_result_id", "the file says '" + inside + "' but " + log.declaredIdOrigin()
                    + " says '" + declared + "'; they must agree"));
            return null;
        }
        String id = inside != null ? inside : declared;
        if (id == null && log.declaredId() == null) {
            problems.add(new Problem("simulation_result_id", "no simulation result id: give it in " + log.declaredIdOrigin()
                    + " or as simulation_result_id in the file"));
        }
        return id;
    }

    private static ToolCall toolCall(JsonNode item, String field, @Nullable Instant callStartedAt) throws InputFileException {
        String name = text(item, "name", field);
        long start = required(LogTimes.offsetMs(item, LogTimes.Bound.START, field, callStartedAt), LogTimes.Bound.START, field);
        return new ToolCall(name, start, optionalText(item, "description", field), object(item, "parameters", field + ".parameters"),
                item.hasNonNull("output") ? LOG_JSON.treeToValue(item.get("output"), Object.class) : null);
    }

    private static Event event(JsonNode item, String field, @Nullable Instant callStartedAt) throws InputFileException {
        String title = text(item, "title", field);
        long start = required(LogTimes.offsetMs(item, LogTimes.Bound.START, field, callStartedAt), LogTimes.Bound.START, field);
        Long end = LogTimes.offsetMs(item, LogTimes.Bound.END, field, callStartedAt);
        checkOrder(item, field, start, end);
        return new Event(title, start, optionalText(item, "description", field), end, stringList(item, "tags", field + ".tags", null),
                object(item, "metadata", field + ".metadata"));
    }

    private static TranscriptEntry transcriptEntry(JsonNode item, String field, @Nullable Instant callStartedAt) throws InputFileException {
        String speakerText = text(item, "speaker", field);
        ParticipantRole speaker;
        try {
            speaker = ParticipantRole.valueOf(speakerText.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputFileException(field + ".speaker", "must be AGENT or USER, got '" + speakerText + "'");
        }
        String utterance = text(item, "utterance", field);
        long start = required(LogTimes.offsetMs(item, LogTimes.Bound.START, field, callStartedAt), LogTimes.Bound.START, field);
        long end = required(LogTimes.offsetMs(item, LogTimes.Bound.END, field, callStartedAt), LogTimes.Bound.END, field);
        checkOrder(item, field, start, end);
        JsonNode filler = item.get("filler_utterance");
        if (filler != null && !filler.isNull() && !filler.isBoolean()) {
            throw new InputFileException(field + ".filler_utterance", "must be true or false, got " + filler);
        }
        return new TranscriptEntry(start, end, speaker, utterance, filler == null || filler.isNull() ? null : filler.asBoolean());
    }

    private static void checkOrder(JsonNode item, String field, long start, @Nullable Long end) throws InputFileException {
        if (end != null && end < start) {
            String endKey = LogTimes.Bound.END.keys().stream().filter(item::hasNonNull).findFirst().orElse("end_offset_ms");
            throw new InputFileException(field + "." + endKey, "the end (" + end + " ms) is before the start (" + start + " ms)");
        }
    }

    private static long required(@Nullable Long ms, LogTimes.Bound bound, String field) throws InputFileException {
        if (ms == null) {
            throw new InputFileException(field + "." + bound.millisKey, (bound == LogTimes.Bound.END ? "an " : "a ") + bound.word + " time is required: give "
                    + bound.choices());
        }
        return ms;
    }

    private static String text(JsonNode item, String name, String field) throws InputFileException {
        JsonNode value = item.get(name);
        if (value == null || value.isNull()) {
            throw new InputFileException(field + "." + name, name + " is required");
        }
        if (!value.isString()) {
            throw new InputFileException(field + "." + name, "must be a string, got " + value);
        }
        if (value.asString().isBlank()) {
            throw new InputFileException(field + "." + name, name + " is blank");
        }
        return value.asString();
    }

    private static @Nullable String optionalText(JsonNode item, String name, String field) throws InputFileException {
        JsonNode value = item.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InputFileException(field + "." + name, "must be a string, got " + value);
        }
        return value.asString();
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> object(JsonNode item, String name, String field) throws InputFileException {
        JsonNode value = item.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InputFileException(field, "must be a JSON object, got " + kind(value));
        }
        return LOG_JSON.treeToValue(value, Map.class);
    }

    private static @Nullable List<String> stringList(JsonNode item, String name, String field, @Nullable Pattern format) throws InputFileException {
        JsonNode value = item.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InputFileException(field, "must be a list of strings, got " + kind(value));
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode element : value) {
            String at = field + "[" + i++ + "]";
            if (!element.isString()) {
                throw new InputFileException(at, "must be a string, got " + element);
            }
            if (format != null && !format.matcher(element.asString()).matches()) {
                throw new InputFileException(at, "must be an OpenTelemetry trace id (32 hex digits), got '" + element.asString() + "'");
            }
            out.add(element.asString());
        }
        return out;
    }

    private static @Nullable List<String> strings(JsonNode root, String name, Problems problems, @Nullable Pattern format) {
        try {
            return stringList(root, name, name, format);
        } catch (InputFileException e) {
            problems.add(e);
            return null;
        }
    }

    /** Reads one list of items: each entry on its own, so that every bad entry is reported, not only the first. */
    private static <T> @Nullable List<T> list(JsonNode root, String name, Problems problems, ItemReader<T> reader) {
        JsonNode array = root.get(name);
        if (array == null || array.isNull()) {
            return null;
        }
        if (!array.isArray()) {
            problems.add(new Problem(name, "must be a JSON array, got " + kind(array)));
            return null;
        }
        List<T> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array) {
            String field = name + "[" + i++ + "]";
            if (!item.isObject()) {
                problems.add(new Problem(field, "expected a JSON object, got " + kind(item)));
                continue;
            }
            try {
                out.add(reader.read(item, field));
            } catch (InputFileException e) {
                problems.add(e);
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonNode item, String field) throws InputFileException;
    }

    private static boolean isEmpty(@Nullable List<?> list) {
        return list == null || list.isEmpty();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static @Nullable String numericOrNull(@Nullable String id) {
        return id != null && NUMERIC_ID.matcher(id).matches() ? id : null;
    }

    private static MappedUpdate.Rejected rejected(SimulationLog log, String field, String reason) {
        return new MappedUpdate.Rejected(log, numericOrNull(log.declaredId()), List.of(new Problem(field, reason)));
    }

    /** The problems of one log, capped so that a file with thousands of bad entries gives a readable reason. */
    private static final class Problems {
        private final List<Problem> list = new ArrayList<>();
        private int dropped;

        void add(InputFileException e) {
            add(Problem.of(e));
        }

        void add(Problem problem) {
            if (list.size() < MAX_PROBLEMS) {
                list.add(problem);
            } else {
                dropped++;
            }
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        List<Problem> list() {
            if (dropped == 0) {
                return list;
            }
            List<Problem> all = new ArrayList<>(list);
            all.add(new Problem("(more)", dropped + " more problem(s) not listed"));
            return all;
        }
    }
}
