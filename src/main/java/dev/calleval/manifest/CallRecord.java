package dev.calleval.manifest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One input call as read, before mapping: its provenance, the directory that relative paths in it resolve
 * against, and its values keyed by logical column name ({@code call_id}, {@code recording}, ...,
 * {@code metadata.<key>}). Blank values are absent. {@code problem} is set when the row itself is malformed
 * (e.g. more fields than the header), which the mapping turns into a rejection.
 */
public record CallRecord(SourceRef source, Path baseDirectory, Map<String, String> values, @Nullable String problem) {

    public CallRecord {
        values = Map.copyOf(values);
    }

    /** The non-blank value of a logical column. */
    public Optional<String> value(String logical) {
        return Optional.ofNullable(values.get(logical));
    }

    /** The caller's stable id ({@code call_id}): the ledger's source id. */
    public Optional<String> callId() {
        return value("call_id");
    }
}
