package dev.calleval.mapping;

import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.RecordingData;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.transcript.TranscriptFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the files a row names hold, read once by {@link CallInputs} and kept in memory, so that
 * {@link CallMappingRules} maps a row without touching a file system or S3. Each column that names a file is one
 * {@link Part}: absent (the row names nothing there), its parsed content, or the one problem reading it.
 *
 * @param sidecar the {@code sidecar} column's file (§1.2, §1.4, §1.5 parts, tags and metadata)
 * @param recording the {@code recording} column: a URL to send as {@code recording_url}, or bytes to send inline
 *     as {@code recording_base64} (§1.1)
 * @param transcript the {@code transcript} column: a URL to send as {@code transcript_url}, or the file converted to
 *     transcript entries (§1.3)
 * @param toolCalls the {@code tool_calls} column's file (§1.4)
 * @param events the {@code events} column's file (§1.5)
 */
record CallContents(
        Part<Sidecar> sidecar,
        Part<Recording> recording,
        Part<Transcript> transcript,
        Part<List<ToolCall>> toolCalls,
        Part<List<Event>> events) {

    /** Nothing named, nothing read: the contents of a row that names no file, or of a malformed row. */
    static final CallContents NONE = new CallContents(Part.absent(), Part.absent(), Part.absent(), Part.absent(), Part.absent());

    /**
     * One referenced input: absent, read, or failed.
     *
     * @param value the content; null when absent or failed
     * @param problem why it could not be read, naming the column (and the entry inside the file); null otherwise
     */
    record Part<T>(@Nullable T value, @Nullable Problem problem) {
        Part {
            if (value != null && problem != null) {
                throw new IllegalArgumentException("a part is read or failed, not both");
            }
        }

        static <T> Part<T> absent() {
            return new Part<>(null, null);
        }

        static <T> Part<T> of(T value) {
            return new Part<>(value, null);
        }

        static <T> Part<T> failed(Problem problem) {
            return new Part<>(null, problem);
        }
    }

    /** How the recording is sent (§1.1: {@code recording_url} or {@code recording_base64}, never both). */
    sealed interface Recording {
        /**
         * As {@code recording_url}.
         *
         * @param url an http(s) URL as the row wrote it, or a presigned GET URL of an S3 object
         * @param identity what stands for the URL in the request's fingerprint: the S3 object and its ETag for a
         *     presigned URL (signed anew each run); null when the URL itself does
         */
        record Linked(String url, @Nullable String identity) implements Recording {}

        /** As {@code recording_base64}: a local file or an S3 object, streamed when the request is sent. */
        record Inline(RecordingData data) implements Recording {}
    }

    /** Where the transcript comes from (§1.1 {@code transcript_url}, §1.3 {@code transcript}). */
    sealed interface Transcript {
        /** As {@code transcript_url}: an http(s) URL as the row wrote it. */
        record Linked(String url) implements Transcript {}

        /**
         * A file converted to Bluejay transcript entries.
         *
         * @param entries the transcript entries, offsets in integer ms from call start (§1.3)
         * @param format the format the file was read as
         * @param toolCalls tool calls the file carried (Vapi, Retell; §1.4), empty for transcript-only formats
         * @param ref where the file is, for the report's link: a local file as an absolute normalised path, or its
         *     {@code s3://} location
         */
        record Converted(List<TranscriptEntry> entries, TranscriptFormat format, List<ToolCall> toolCalls, String ref)
                implements Transcript {
            public Converted {
                entries = List.copyOf(entries);
                toolCalls = List.copyOf(toolCalls);
            }
        }
    }
}
