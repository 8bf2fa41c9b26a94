package dev.calleval.mapping;

import dev.calleval.source.InputFileException;

/**
 * One reason an input call was rejected: the field (a manifest column such as {@code start_time_utc}, or a path
 * into a referenced file such as {@code transcript[3].start_offset_ms}) and a sentence a person understands.
 */
public record Problem(String field, String reason) {

    /** The problem an unreadable or invalid referenced file makes: its field and message. */
    public static Problem of(InputFileException e) {
        return new Problem(e.field(), e.getMessage());
    }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
