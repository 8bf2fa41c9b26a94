package dev.calleval.source;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One input call as read, before mapping: its provenance, the folder (local) or prefix (S3) that relative paths in
 * it resolve against, and its values keyed by logical column name ({@code call_id}, {@code recording}, ...,
 * {@code metadata.<key>}). Blank values are absent. {@code problem} is set when the row itself is malformed
 * (e.g. more fields than the header), which the mapping turns into a rejection.
 *
 * @param base the manifest's folder or S3 prefix: {@code recording}, {@code transcript}, {@code sidecar},
 *     {@code tool_calls} and {@code events} paths resolve against it ({@link InputLocation#resolve})
 */
public record CallRecord(SourceRef source, InputLocation base, Map<String, String> values, @Nullable String problem) {

    public CallRecord {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // column order: problems are told in it
    }

    /** A row of a manifest on local disk, whose relative paths resolve against {@code baseDirectory}. */
    public CallRecord(SourceRef source, Path baseDirectory, Map<String, String> values, @Nullable String problem) {
        this(source, new InputLocation.Local(baseDirectory), values, problem);
    }

    /**
     * The local folder relative paths resolve against.
     *
     * @throws IllegalStateException when the row comes from an S3 manifest (see {@link #base()})
     */
    public Path baseDirectory() {
        if (base instanceof InputLocation.Local local) {
            return local.path();
        }
        throw new IllegalStateException(source + " comes from S3: its paths resolve against " + base);
    }

    /** Where {@code path}, as written in this row, is. */
    public InputLocation resolve(String path) {
        return base.resolve(path);
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
