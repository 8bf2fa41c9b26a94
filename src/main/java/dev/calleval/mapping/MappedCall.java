package dev.calleval.mapping;

import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.redaction.RedactionCounts;
import dev.calleval.source.SourceRef;
import dev.calleval.transcript.TranscriptFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The outcome of mapping one input call: a request ready to submit, or a rejection. */
public sealed interface MappedCall {

    /** Where the call came from. */
    SourceRef source();

    /** The caller's id for the call (manifest {@code call_id}); null when the row has none. */
    @Nullable String sourceId();

    /**
     * A valid request.
     *
     * @param fingerprint SHA-256 of the request's content, so a changed input can be told from an unchanged one
     * @param transcriptFormat the format of the local transcript file it was converted from; null when none
     * @param transcriptRef where the transcript came from, for the report's link: the local file as an absolute
     *     normalised path, or the {@code transcript_url}; null when the call has no transcript
     * @param redactions what redaction replaced in the request, per type (the request is already redacted); null when
     *     the job does not redact
     */
    record Accepted(SourceRef source, String sourceId, EvaluateRequest request, String fingerprint,
            @Nullable TranscriptFormat transcriptFormat, @Nullable String transcriptRef, @Nullable RedactionCounts redactions)
            implements MappedCall {
        public Accepted(SourceRef source, String sourceId, EvaluateRequest request, String fingerprint,
                @Nullable TranscriptFormat transcriptFormat, @Nullable String transcriptRef) {
            this(source, sourceId, request, fingerprint, transcriptFormat, transcriptRef, null);
        }

        public Accepted(SourceRef source, String sourceId, EvaluateRequest request, String fingerprint) {
            this(source, sourceId, request, fingerprint, null, null, null);
        }

        public Accepted(SourceRef source, String sourceId, EvaluateRequest request, String fingerprint,
                @Nullable TranscriptFormat transcriptFormat) {
            this(source, sourceId, request, fingerprint, transcriptFormat, null, null);
        }
    }

    /** A call that failed local validation, with every problem found. */
    record Rejected(SourceRef source, @Nullable String sourceId, List<Problem> problems) implements MappedCall {
        public Rejected {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one problem");
            }
            // a NUL or other control character of a broken export is shown escaped: PostgreSQL refuses NUL in text
            sourceId = sourceId == null ? null : escapeControls(sourceId);
            problems = problems.stream().map(p -> new Problem(p.field(), escapeControls(p.reason()))).toList();
        }

        /** {@code text} with each control character (Unicode Cc) other than tab, CR and LF written as a backslash, "u" and its four hex digits. */
        static String escapeControls(String text) {
            StringBuilder escaped = null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean control = Character.getType(c) == Character.CONTROL && c != '\t' && c != '\r' && c != '\n';
                if (control && escaped == null) {
                    escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                if (escaped != null) {
                    if (control) {
                        escaped.append(String.format("\\u%04X", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
            return escaped == null ? text : escaped.toString();
        }

        /** The rejected fields, {@code ;}-separated. */
        public String fields() {
            return problems.stream().map(Problem::field).distinct().collect(Collectors.joining(";"));
        }

        /** All reasons, {@code ; }-separated, each prefixed by its field. */
        public String reason() {
            return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        }
    }
}
