package dev.calleval.mapping;

import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.RecordingData;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.source.CallRecord;
import dev.calleval.transcript.TranscriptFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The mapping rules: a row and the contents of the files it names ({@link CallContents}, already read) → a
 * {@code POST /v1/evaluate} body (§1.1) checked by the {@link RequestValidator}, or a rejection listing every
 * problem found. A pure function: no file system, no S3, no clock; the same arguments give the same answer.
 *
 * <p>Problems are listed in a fixed order (the manifest's bad-row table and the reports show them so): invalid text
 * in any cell (not UTF-8, control characters), {@code call_id}, the agent, {@code start_time_utc}, the sidecar file,
 * {@code agent_spoke_first} (only when the participants come from the columns), the recording, the transcript, the
 * tool-calls file, the events file, {@code call_direction}, {@code interface}, {@code conversation_ended_by},
 * {@code multichannel}. Only a row without any of these is checked against the API's constraints, whose problems
 * then make the rejection on their own. A malformed row ({@link CallRecord#problem()}) is rejected with that one
 * problem on field {@code row}, nothing else checked. See {@link CallMapper} for which column becomes which field.
 *
 * <p>Thread-safe: holds only the job's defaults.
 */
final class CallMappingRules {
    /** Longest {@code call_id} the ledger's column holds. */
    static final int MAX_SOURCE_ID = 1000;
    /** Longest {@code agent_id} the ledger's agent key holds ({@code external_agent_id}: 4 fewer, for its prefix). */
    static final int MAX_AGENT_KEY = 200;

    private final MappingDefaults defaults;
    private final RequestValidator validator = new RequestValidator();

    CallMappingRules(MappingDefaults defaults) {
        this.defaults = defaults;
    }

    /** What the rules make of a row. */
    sealed interface Result {}

    /**
     * A request the API's documented constraints accept.
     *
     * @param recordingIdentity what stands for {@code recording_url} in the fingerprint (a presigned URL is signed
     *     anew each run: the object and its ETag stand for it); null when the request itself is fingerprinted
     * @param transcriptFormat the format the transcript file was read as; null when the call has no transcript file
     * @param transcriptRef the transcript file (absolute path or {@code s3://} location) or the {@code transcript_url};
     *     null when the call has no transcript
     */
    record Valid(String sourceId, EvaluateRequest request, @Nullable String recordingIdentity,
            @Nullable TranscriptFormat transcriptFormat, @Nullable String transcriptRef) implements Result {}

    /** A rejection, with every problem found in the order described above. */
    record Invalid(MappedCall.Rejected rejection) implements Result {}

    /** Maps {@code row}, whose referenced files {@code contents} holds (as read by {@link CallInputs}). */
    Result map(CallRecord row, CallContents contents) {
        List<Problem> problems = new ArrayList<>();
        if (row.problem() != null) { // a row of the wrong shape: its cells may be in the wrong columns, nothing else is checked
            String id = row.callId().filter(c -> c.length() <= MAX_SOURCE_ID).orElse(null);
            return new Invalid(new MappedCall.Rejected(row.source(), id, List.of(new Problem("row", row.problem()))));
        }
        row.values().forEach((column, value) -> {
            if (value.indexOf('\uFFFD') >= 0) {
                problems.add(new Problem(column, column + " is not valid UTF-8 (the undecodable bytes are shown as \uFFFD); save the manifest as UTF-8"));
            }
            int control = controlCharacter(value);
            if (control >= 0) {
                problems.add(new Problem(column, String.format("%s holds the control character U+%04X at position %d, the mark of a broken "
                        + "export: fix the export (a cell may hold tabs and line breaks, no other control character)", column,
                        (int) value.charAt(control), control + 1)));
            }
        });
        String sourceId = row.callId().orElse(null);
        if (sourceId == null) {
            problems.add(new Problem("call_id", "call_id is empty; every row needs the caller's stable id for the call"));
        } else if (sourceId.length() > MAX_SOURCE_ID) {
            problems.add(new Problem("call_id", "call_id is " + sourceId.length() + " characters, over the " + MAX_SOURCE_ID + " the ledger keeps"));
            sourceId = null;
        }
        String agentId = row.value("agent_id").orElse(null);
        String externalAgentId = row.value("external_agent_id").orElse(null);
        if (agentId == null && externalAgentId == null) {
            agentId = defaults.agentId();
            externalAgentId = defaults.externalAgentId();
        }
        if ((agentId != null && agentId.length() > MAX_AGENT_KEY) || (externalAgentId != null && externalAgentId.length() > MAX_AGENT_KEY - 4)) {
            problems.add(new Problem(agentId != null ? "agent_id" : "external_agent_id", "the agent id is longer than the "
                    + MAX_AGENT_KEY + " characters the ledger keeps"));
        }
        if (agentId == null && externalAgentId == null) {
            problems.add(new Problem("agent_id", "no agent: fill the agent_id column or set defaults.agent-id in the job file"));
        } else if (agentId != null && externalAgentId != null) {
            problems.add(new Problem("agent_id", "both agent_id and external_agent_id are set; use one"));
        }
        Instant start = startTime(row, problems);

        Sidecar sidecar = value(contents.sidecar(), problems);
        List<Participant> participants = sidecar != null && sidecar.participants() != null
                ? sidecar.participants() : participantsFromColumns(row, problems);

        String recordingUrl = null;
        String recordingIdentity = null;
        RecordingData recordingData = null;
        CallContents.Recording recording = value(contents.recording(), problems);
        if (recording instanceof CallContents.Recording.Linked linked) {
            recordingUrl = linked.url();
            recordingIdentity = linked.identity();
        } else if (recording instanceof CallContents.Recording.Inline inline) {
            recordingData = inline.data();
        }
        String transcriptUrl = null;
        String transcriptRef = null;
        List<TranscriptEntry> transcript = null;
        TranscriptFormat transcriptFormat = null;
        List<ToolCall> transcriptToolCalls = List.of();
        CallContents.Transcript transcriptContent = value(contents.transcript(), problems);
        if (transcriptContent instanceof CallContents.Transcript.Linked linked) {
            transcriptUrl = linked.url();
            transcriptRef = linked.url();
        } else if (transcriptContent instanceof CallContents.Transcript.Converted converted) {
            transcript = converted.entries();
            transcriptFormat = converted.format();
            transcriptToolCalls = converted.toolCalls();
            transcriptRef = converted.ref();
        }
        List<ToolCall> columnToolCalls = value(contents.toolCalls(), problems); // the tool_calls column's file wins over the sidecar's
        List<ToolCall> toolCalls = columnToolCalls != null ? columnToolCalls : sidecar == null ? null : sidecar.toolCalls();
        if ((toolCalls == null || toolCalls.isEmpty()) && !transcriptToolCalls.isEmpty()) {
            toolCalls = transcriptToolCalls; // the row's own tool calls (sidecar, tool_calls column) win over the file's
        }
        List<Event> columnEvents = value(contents.events(), problems); // the events column's file wins over the sidecar's
        List<Event> events = columnEvents != null ? columnEvents : sidecar == null ? null : sidecar.events();
        CallDirection direction = enumValue(row, "call_direction", CallDirection.class, problems).orElse(defaults.callDirection());
        CallInterface callInterface = enumValue(row, "interface", CallInterface.class, problems).orElse(defaults.callInterface());
        ParticipantRole endedBy = enumValue(row, "conversation_ended_by", ParticipantRole.class, problems).orElse(null);
        Boolean multichannel = bool(row, "multichannel", problems).orElse(defaults.multichannel());

        List<String> tags = merge(defaults.tags(), split(row.value("tags")), sidecar == null ? null : sidecar.tags());
        List<String> customMetrics = merge(defaults.customMetrics(), split(row.value("custom_metrics")), null);
        List<String> customMetricTags = merge(defaults.customMetricTags(), split(row.value("custom_metric_tags")), null);
        String label = row.value("label").orElse(defaults.label());
        Map<String, Object> metadata = metadata(row, sidecar, sourceId);

        if (!problems.isEmpty() || start == null) {
            return new Invalid(new MappedCall.Rejected(row.source(), sourceId, problems));
        }
        EvaluateRequest request = new EvaluateRequest(agentId, agentId == null ? externalAgentId : null, start, participants,
                recordingUrl, recordingData, direction, callInterface, transcriptUrl, transcript, toolCalls, events,
                tags.isEmpty() ? null : tags, row.value("trace_id").orElse(sourceId), null, metadata, null,
                customMetrics.isEmpty() ? null : customMetrics, customMetricTags.isEmpty() ? null : customMetricTags,
                label, null, endedBy, multichannel);
        List<Problem> invalid = validator.validate(request);
        if (!invalid.isEmpty()) {
            return new Invalid(new MappedCall.Rejected(row.source(), sourceId, invalid));
        }
        return new Valid(sourceId, request, recordingIdentity, transcriptFormat, transcriptRef);
    }

    /** The part's content; its problem, if any, is added to {@code problems}. */
    private static <T> @Nullable T value(CallContents.Part<T> part, List<Problem> problems) {
        if (part.problem() != null) {
            problems.add(part.problem());
        }
        return part.value();
    }

    /**
     * The job's metadata, then the sidecar's, then every {@code metadata.<key>} column (later ones win), then
     * {@code calleval_job} and {@code calleval_source_id}.
     */
    private Map<String, Object> metadata(CallRecord row, @Nullable Sidecar sidecar, @Nullable String sourceId) {
        Map<String, Object> metadata = new LinkedHashMap<>(defaults.metadata());
        if (sidecar != null && sidecar.metadata() != null) {
            metadata.putAll(sidecar.metadata());
        }
        row.values().forEach((key, value) -> {
            if (key.startsWith("metadata.") && key.length() > "metadata.".length()) {
                metadata.put(key.substring("metadata.".length()), value);
            }
        });
        metadata.put("calleval_job", defaults.jobName());
        if (sourceId != null) {
            metadata.put("calleval_source_id", sourceId);
        }
        return metadata;
    }

    /** The index of the first control character (Unicode Cc) other than tab, CR and LF, or -1. */
    private static int controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\r' && c != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static @Nullable Instant startTime(CallRecord row, List<Problem> problems) {
        Optional<String> value = row.value("start_time_utc");
        if (value.isEmpty()) {
            problems.add(new Problem("start_time_utc", "start_time_utc is empty; give the call start as ISO-8601, e.g. 2026-11-19T14:03:22Z"));
            return null;
        }
        try {
            return OffsetDateTime.parse(value.get()).toInstant();
        } catch (DateTimeParseException e) {
            boolean looksLocal = value.get().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");
            problems.add(new Problem("start_time_utc", "'" + value.get() + "' is not an ISO-8601 time with an offset"
                    + (looksLocal ? " (it has no offset: add Z for UTC or e.g. -05:00)" : "; write e.g. 2026-11-19T14:03:22Z")));
            return null;
        }
    }

    private static List<Participant> participantsFromColumns(CallRecord row, List<Problem> problems) {
        Boolean agentFirst = bool(row, "agent_spoke_first", problems).orElse(null);
        return List.of(
                new Participant(ParticipantRole.AGENT, agentFirst, row.value("agent_name").orElse(null), row.value("agent_phone").orElse(null)),
                new Participant(ParticipantRole.USER, agentFirst == null ? null : !agentFirst,
                        row.value("customer_name").orElse(null), row.value("customer_phone").orElse(null)));
    }

    private static <E extends Enum<E>> Optional<E> enumValue(CallRecord row, String column, Class<E> type, List<Problem> problems) {
        Optional<String> value = row.value(column);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value.get().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(column, "unknown " + column + " '" + value.get() + "'; use one of "
                    + Arrays.toString(type.getEnumConstants())));
            return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(CallRecord row, String column, List<Problem> problems) {
        Optional<String> value = row.value(column);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> {
                return Optional.of(true);
            }
            case "false", "no", "n", "0" -> {
                return Optional.of(false);
            }
            default -> {
                problems.add(new Problem(column, column + " must be true or false, got '" + value.get() + "'"));
                return Optional.empty();
            }
        }
    }

    private static List<String> split(Optional<String> value) {
        return value.map(v -> Arrays.stream(v.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    private static List<String> merge(List<String> a, List<String> b, @Nullable List<String> c) {
        LinkedHashSet<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        if (c != null) {
            all.addAll(c);
        }
        return List.copyOf(all);
    }
}
