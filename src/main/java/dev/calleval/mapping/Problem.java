package dev.calleval.mapping;

/**
 * One reason an input call was rejected: the field (a manifest column such as {@code start_time_utc}, or a path
 * into a referenced file such as {@code transcript[3].start_offset_ms}) and a sentence a person understands.
 */
public record Problem(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
