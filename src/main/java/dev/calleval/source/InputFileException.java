package dev.calleval.source;

/**
 * A file referenced by an input call (transcript, tool calls, events, sidecar, recording) that is missing or
 * not what it claims to be. {@link #field()} names the column and, inside the file, the entry, e.g.
 * {@code transcript[3].start_offset_ms}.
 */
public final class InputFileException extends Exception {
    private final String field;

    public InputFileException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
