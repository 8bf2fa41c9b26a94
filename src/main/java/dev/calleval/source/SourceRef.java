package dev.calleval.source;

/**
 * Where one input call came from: a manifest file (as the user named it) and the 1-based line its row starts
 * on (line 1 is the header), or line 0 for a source without lines (an S3 call group,
 * {@code s3://bucket/baseKey}). Printed as {@code file:line} (just the location for line 0), the form used in logs and in {@code rejects.csv}.
 */
public record SourceRef(String location, long line) {
    @Override
    public String toString() {
        return line > 0 ? location + ":" + line : location;
    }
}
