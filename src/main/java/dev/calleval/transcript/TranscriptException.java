package dev.calleval.transcript;

/**
 * A transcript file that cannot be read or is not what it claims to be. {@link #field()} names the entry the
 * problem is in, always under the {@code transcript} column, e.g. {@code transcript.results.items[12].start_time} or
 * {@code transcript[3].end_offset_ms}; the message names the file as the manifest wrote it and says what is wrong.
 * A caller that reports problems per field (the mapping, the report's preview) shows both as they are.
 *
 * <p>Permanent: reading the same file again gives the same answer.
 */
public final class TranscriptException extends Exception {
    private final String field;

    /**
     * @param field the column and entry path, e.g. {@code transcript} or {@code transcript[3].start_offset_ms}
     * @param message one sentence naming the file and what is wrong
     */
    public TranscriptException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The column and entry path the problem is in, e.g. {@code transcript[3].start_offset_ms}. */
    public String field() {
        return field;
    }
}
