package dev.calleval.mapping;

import dev.calleval.source.InputFileException;
import dev.calleval.bluejay.BluejayJson;
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
import dev.calleval.source.InputLocation;
import dev.calleval.transcript.TranscriptConverter;
import dev.calleval.transcript.TranscriptFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps one manifest row to a {@code POST /v1/evaluate} body (§1.1), or to a rejection listing every problem
 * found. Field sources (manifest column → request field):
 * <ul>
 *   <li>{@code call_id} → the source id, sent as {@code trace_id} (unless a {@code trace_id} column is mapped)
 *       and as {@code metadata.calleval_source_id}; required;</li>
 *   <li>{@code agent_id} / {@code external_agent_id} → the same fields (or the job's defaults);</li>
 *   <li>{@code start_time_utc} → {@code start_time_utc}: ISO-8601 with an offset or {@code Z}, converted to UTC;</li>
 *   <li>{@code agent_name}, {@code agent_phone}, {@code agent_spoke_first}, {@code customer_name},
 *       {@code customer_phone} → the two {@code participants} (§1.2); a sidecar's {@code participants} replaces them;</li>
 *   <li>{@code recording}: an http(s) URL → {@code recording_url}; a local path (relative to the manifest) →
 *       {@code recording_base64} as a data URL streamed from disk; an S3 object ({@code s3://bucket/key}, or a
 *       path relative to an S3 manifest) → a presigned GET URL as {@code recording_url} (or inline when the URL
 *       is too long and the job says so, see {@link S3Recordings});</li>
 *   <li>{@code transcript}: an http(s) URL → {@code transcript_url}; a path → inline {@code transcript} (§1.3), converted from
 *       its format (detected, or {@code transcript_format}, or the job's {@code transcript.format}) by the
 *       {@link TranscriptConverter}; tool calls the file carries (Vapi, Retell) are used when the row gives none of its
 *       own (sidecar or {@code tool_calls});</li>
 *   <li>{@code tool_calls}, {@code events}, {@code sidecar}: paths to JSON files (§1.4, §1.5);</li>
 *   <li>every path is resolved against the manifest's folder, or its prefix for a manifest in S3, and may be an
 *       {@code s3://} location;</li>
 *   <li>{@code call_direction}, {@code interface}, {@code conversation_ended_by}: enums, case-insensitive;</li>
 *   <li>{@code tags}, {@code custom_metrics}, {@code custom_metric_tags}: {@code ;}-separated, added to the job's
 *       defaults; {@code label}, {@code multichannel}; every {@code metadata.<key>} column → {@code metadata}.</li>
 * </ul>
 * Thread-safe and stateless apart from its configuration.
 */
public final class CallMapper implements ItemProcessor<CallRecord, MappedCall> {
    private static final JsonMapper FINGERPRINT_JSON = BluejayJson.mapper().rebuild()
            .addMixIn(RecordingData.class, RecordingFingerprint.class)
            .build();

    private final MappingDefaults defaults;
    /** Longest {@code call_id} and agent id the ledger's columns hold. */
    static final int MAX_SOURCE_ID = 1000;
    static final int MAX_AGENT_KEY = 200;

    private final TranscriptConverter transcripts = new TranscriptConverter();
    private final RequestValidator validator = new RequestValidator();
    private final @Nullable S3Recordings s3;
    private final InputFiles files;

    /** A mapper without S3 access: rows naming {@code s3://} files are rejected saying so. */
    public CallMapper(MappingDefaults defaults) {
        this(defaults, null);
    }

    /**
     * @param s3 how {@code s3://} inputs are read and recordings delivered; null when S3 is not available
     */
    public CallMapper(MappingDefaults defaults, @Nullable S3Recordings s3) {
        this.defaults = defaults;
        this.s3 = s3;
        this.files = new InputFiles(s3 == null ? null : s3.storage());
    }

    @Override
    public MappedCall process(CallRecord row) {
        List<Problem> problems = new ArrayList<>();
        if (row.problem() != null) { // a row of the wrong shape: its cells may be in the wrong columns, nothing else is checked
            String id = row.callId().filter(c -> c.length() <= MAX_SOURCE_ID).orElse(null);
            return new MappedCall.Rejected(row.source(), id, List.of(new Problem("row", row.problem())));
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

        Sidecar sidecar = null;
        Optional<String> sidecarPath = row.value("sidecar");
        if (sidecarPath.isPresent()) {
            try {
                sidecar = Sidecar.of(files.json(resolve(row, sidecarPath.get(), "sidecar"), "sidecar", sidecarPath.get()), sidecarPath.get());
            } catch (InputFileException e) {
                problems.add(Problem.of(e));
            }
        }
        List<Participant> participants = sidecar != null && sidecar.participants() != null
                ? sidecar.participants() : participantsFromColumns(row, problems);

        String recordingUrl = null;
        String recordingIdentity = null;
        RecordingData recordingData = null;
        Optional<String> recording = row.value("recording");
        if (recording.isPresent()) {
            String value = recording.get();
            if (isHttp(value)) {
                recordingUrl = value;
            } else {
                try {
                    InputLocation where = resolve(row, value, "recording");
                    if (where instanceof InputLocation.S3 object) {
                        if (s3 == null) {
                            throw new InputFileException("recording", value + " is in S3, which this mapping cannot read (no S3 access configured)");
                        }
                        Recordings.Delivery delivery = Recordings.s3(s3, object.location(), value, defaults.maxRecordingBytes(),
                                RequestValidator.MAX_URL_LENGTH);
                        if (delivery instanceof Recordings.Url url) {
                            recordingUrl = url.url();
                            recordingIdentity = url.identity();
                        } else if (delivery instanceof Recordings.Inline inline) {
                            recordingData = inline.data();
                        }
                    } else {
                        recordingData = Recordings.local(((InputLocation.Local) where).path(), value, defaults.maxRecordingBytes());
                    }
                } catch (InputFileException e) {
                    problems.add(Problem.of(e));
                }
            }
        }
        String transcriptUrl = null;
        String transcriptRef = null;
        List<TranscriptEntry> transcript = null;
        TranscriptFormat transcriptFormat = null;
        List<ToolCall> transcriptToolCalls = List.of();
        Optional<String> transcriptValue = row.value("transcript");
        if (transcriptValue.isPresent()) {
            if (isHttp(transcriptValue.get())) {
                transcriptUrl = transcriptValue.get();
                transcriptRef = transcriptUrl;
            } else {
                try {
                    InputLocation transcriptLocation = resolve(row, transcriptValue.get(), "transcript");
                    transcriptRef = transcriptLocation instanceof InputLocation.Local local
                            ? local.path().toAbsolutePath().normalize().toString() : transcriptLocation.toString();
                    TranscriptFormat named = row.value("transcript_format").map(TranscriptFormat::of).orElse(defaults.transcriptFormat());
                    Path recordingFile = recordingData == null ? null : recordingData.file();
                    Long recordingMs = recordingFile == null ? null : Recordings.wavDurationMs(recordingFile).orElse(null);
                    TranscriptConverter.Conversion conversion = transcripts.convert(
                            files.transcript(transcriptLocation, transcriptValue.get()),
                            named, defaults.speakers(), recordingMs);
                    transcript = conversion.transcript();
                    transcriptFormat = conversion.format();
                    transcriptToolCalls = conversion.toolCalls();
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("transcript_format", e.getMessage()));
                } catch (InputFileException e) {
                    problems.add(Problem.of(e));
                }
            }
        }
        List<ToolCall> toolCalls = sidecar == null ? null : sidecar.toolCalls();
        Optional<String> toolCallsPath = row.value("tool_calls");
        if (toolCallsPath.isPresent()) {
            try {
                toolCalls = Sidecar.toolCallsOf(files.json(resolve(row, toolCallsPath.get(), "tool_calls"), "tool_calls", toolCallsPath.get()),
                        toolCallsPath.get());
            } catch (InputFileException e) {
                problems.add(Problem.of(e));
            }
        }
        if ((toolCalls == null || toolCalls.isEmpty()) && !transcriptToolCalls.isEmpty()) {
            toolCalls = transcriptToolCalls; // the row's own tool calls (sidecar, tool_calls column) win over the file's
        }
        List<Event> events = sidecar == null ? null : sidecar.events();
        Optional<String> eventsPath = row.value("events");
        if (eventsPath.isPresent()) {
            try {
                events = Sidecar.eventsOf(files.json(resolve(row, eventsPath.get(), "events"), "events", eventsPath.get()), eventsPath.get());
            } catch (InputFileException e) {
                problems.add(Problem.of(e));
            }
        }
        CallDirection direction = enumValue(row, "call_direction", CallDirection.class, problems).orElse(defaults.callDirection());
        CallInterface callInterface = enumValue(row, "interface", CallInterface.class, problems).orElse(defaults.callInterface());
        ParticipantRole endedBy = enumValue(row, "conversation_ended_by", ParticipantRole.class, problems).orElse(null);
        Boolean multichannel = bool(row, "multichannel", problems).orElse(defaults.multichannel());

        List<String> tags = merge(defaults.tags(), split(row.value("tags")), sidecar == null ? null : sidecar.tags());
        List<String> customMetrics = merge(defaults.customMetrics(), split(row.value("custom_metrics")), null);
        List<String> customMetricTags = merge(defaults.customMetricTags(), split(row.value("custom_metric_tags")), null);
        String label = row.value("label").orElse(defaults.label());

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

        if (!problems.isEmpty() || start == null) {
            return new MappedCall.Rejected(row.source(), sourceId, problems);
        }
        EvaluateRequest request = new EvaluateRequest(agentId, agentId == null ? externalAgentId : null, start, participants,
                recordingUrl, recordingData, direction, callInterface, transcriptUrl, transcript, toolCalls, events,
                tags.isEmpty() ? null : tags, row.value("trace_id").orElse(sourceId), null, metadata, null,
                customMetrics.isEmpty() ? null : customMetrics, customMetricTags.isEmpty() ? null : customMetricTags,
                label, null, endedBy, multichannel);
        List<Problem> invalid = validator.validate(request);
        if (!invalid.isEmpty()) {
            return new MappedCall.Rejected(row.source(), sourceId, invalid);
        }
        // a presigned URL is signed anew each run: the object and its ETag stand for it, so an unchanged call keeps its fingerprint
        String fingerprint = fingerprint(recordingIdentity == null ? request : request.withRecordingUrl(recordingIdentity));
        return new MappedCall.Accepted(row.source(), sourceId, request, fingerprint, transcriptFormat, transcriptRef);
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

    private static boolean isHttp(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** Where a path written in the row is: local (relative to the manifest's folder) or S3. */
    private static InputLocation resolve(CallRecord row, String path, String column) throws InputFileException {
        try {
            return row.resolve(path);
        } catch (IllegalArgumentException e) {
            throw new InputFileException(column, e.getMessage());
        }
    }

    /**
     * SHA-256 of the request body, with an inline recording standing in as its identity (path, size and modification
     * time; or S3 location and ETag) and size.
     */
    static String fingerprint(EvaluateRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(FINGERPRINT_JSON.writeValueAsBytes(request)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @JsonSerialize(using = RecordingFingerprint.Serializer.class)
    abstract static class RecordingFingerprint {
        static final class Serializer extends ValueSerializer<RecordingData> {
            @Override
            public void serialize(RecordingData value, JsonGenerator gen, SerializationContext ctxt) {
                Path file = value.file();
                if (file != null) { // the form of earlier versions, so that fingerprints in the ledger still match
                    long modified;
                    try {
                        modified = Files.getLastModifiedTime(file).toMillis();
                    } catch (java.io.IOException e) {
                        modified = -1;
                    }
                    gen.writeString(file.toAbsolutePath() + ":" + value.sizeBytes() + ":" + modified);
                } else {
                    gen.writeString(value.content().identity() + ":" + value.sizeBytes());
                }
            }
        }
    }
}
