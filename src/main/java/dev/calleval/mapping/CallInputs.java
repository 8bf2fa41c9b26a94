package dev.calleval.mapping;

import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.RecordingData;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.source.CallRecord;
import dev.calleval.source.InputFileException;
import dev.calleval.source.InputLocation;
import dev.calleval.transcript.TranscriptConverter;
import dev.calleval.transcript.TranscriptException;
import dev.calleval.transcript.TranscriptFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * All the I/O of mapping a row: reads the files its {@code sidecar}, {@code recording}, {@code transcript},
 * {@code tool_calls} and {@code events} columns name, from local disk (relative to the manifest's folder) or S3
 * (relative to an S3 manifest's prefix, or {@code s3://bucket/key}), and presigns S3 recordings. An http(s) URL in
 * {@code recording} or {@code transcript} is kept as written and not fetched.
 *
 * <p>Every failure becomes the {@link Problem} of its column in the {@link CallContents} (never an exception), with
 * the words the rejection shows: a missing or unreadable file, JSON that does not parse or has the wrong shape, a
 * recording that is empty, too large or not audio, a transcript in no known format, an S3 object without S3 access.
 * A transcript's {@link TranscriptException} is turned into a problem here, with its field and message as they are.
 * Nothing is read for a malformed row ({@link CallRecord#problem()}): its cells may be in the wrong columns.
 *
 * <p>Thread-safe: holds only its configuration.
 */
final class CallInputs {
    private final MappingDefaults defaults;
    private final @Nullable S3Recordings s3;
    private final InputFiles files;
    private final TranscriptConverter transcripts = new TranscriptConverter();

    /**
     * @param defaults the job's transcript format and speaker mapping, and the cap on inline recordings
     * @param s3 how {@code s3://} inputs are read and recordings delivered; null when S3 is not available (a row
     *     naming an S3 file then gets a problem saying so)
     */
    CallInputs(MappingDefaults defaults, @Nullable S3Recordings s3) {
        this.defaults = defaults;
        this.s3 = s3;
        this.files = new InputFiles(s3 == null ? null : s3.storage());
    }

    /** Reads what {@code row} names, in column order sidecar, recording, transcript, tool_calls, events. */
    CallContents read(CallRecord row) {
        if (row.problem() != null) {
            return CallContents.NONE;
        }
        CallContents.Part<Sidecar> sidecar = row.value("sidecar")
                .map(path -> read(() -> Sidecar.of(files.json(resolve(row, path, "sidecar"), "sidecar", path), path)))
                .orElseGet(CallContents.Part::absent);
        CallContents.Part<CallContents.Recording> recording = recording(row);
        CallContents.Part<CallContents.Transcript> transcript = transcript(row, recording.value());
        CallContents.Part<List<ToolCall>> toolCalls = row.value("tool_calls")
                .map(path -> read(() -> Sidecar.toolCallsOf(files.json(resolve(row, path, "tool_calls"), "tool_calls", path), path)))
                .orElseGet(CallContents.Part::absent);
        CallContents.Part<List<Event>> events = row.value("events")
                .map(path -> read(() -> Sidecar.eventsOf(files.json(resolve(row, path, "events"), "events", path), path)))
                .orElseGet(CallContents.Part::absent);
        return new CallContents(sidecar, recording, transcript, toolCalls, events);
    }

    private CallContents.Part<CallContents.Recording> recording(CallRecord row) {
        Optional<String> recording = row.value("recording");
        if (recording.isEmpty() || defaults.omitsRecording()) { // redaction on, recording: omit: not read, not sent
            return CallContents.Part.absent();
        }
        String value = recording.get();
        if (isHttp(value)) {
            return CallContents.Part.of(new CallContents.Recording.Linked(value, null));
        }
        return read(() -> {
            InputLocation where = resolve(row, value, "recording");
            if (where instanceof InputLocation.S3 object) {
                if (s3 == null) {
                    throw new InputFileException("recording", value + " is in S3, which this mapping cannot read (no S3 access configured)");
                }
                return Recordings.s3(s3, object.location(), value, defaults.maxRecordingBytes(), RequestValidator.MAX_URL_LENGTH);
            }
            return new CallContents.Recording.Inline(Recordings.local(((InputLocation.Local) where).path(), value, defaults.maxRecordingBytes()));
        });
    }

    /**
     * The transcript converted from its file, in the format named by the row's {@code transcript_format}, else the
     * job's, else detected. A local WAV recording's length lets the converter check that every utterance ends
     * within it.
     */
    private CallContents.Part<CallContents.Transcript> transcript(CallRecord row, CallContents.@Nullable Recording recording) {
        Optional<String> transcript = row.value("transcript");
        if (transcript.isEmpty()) {
            return CallContents.Part.absent();
        }
        String value = transcript.get();
        if (isHttp(value)) {
            return CallContents.Part.of(new CallContents.Transcript.Linked(value));
        }
        try {
            InputLocation where = resolve(row, value, "transcript");
            String ref = where instanceof InputLocation.Local local ? local.path().toAbsolutePath().normalize().toString() : where.toString();
            TranscriptFormat named = row.value("transcript_format").map(TranscriptFormat::of).orElse(defaults.transcriptFormat());
            RecordingData recordingData = recording instanceof CallContents.Recording.Inline inline ? inline.data() : null;
            Path recordingFile = recordingData == null ? null : recordingData.file();
            Long recordingMs = recordingFile == null ? null : Recordings.wavDurationMs(recordingFile).orElse(null);
            TranscriptConverter.Conversion conversion = transcripts.convert(files.transcript(where, value), named, defaults.speakers(), recordingMs);
            return CallContents.Part.of(new CallContents.Transcript.Converted(conversion.transcript(), conversion.format(),
                    conversion.toolCalls(), ref));
        } catch (IllegalArgumentException e) {
            return CallContents.Part.failed(new Problem("transcript_format", e.getMessage()));
        } catch (InputFileException e) {
            return CallContents.Part.failed(Problem.of(e));
        } catch (TranscriptException e) {
            return CallContents.Part.failed(new Problem(e.field(), e.getMessage()));
        }
    }

    /** A read that may fail on its column. */
    @FunctionalInterface
    private interface Read<T> {
        T read() throws InputFileException;
    }

    private static <T> CallContents.Part<T> read(Read<T> read) {
        try {
            return CallContents.Part.of(read.read());
        } catch (InputFileException e) {
            return CallContents.Part.failed(Problem.of(e));
        }
    }

    /** True for a value the row gives as an http(s) URL rather than a path. */
    static boolean isHttp(String value) {
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
}
