package dev.calleval.manifest;

/**
 * Where one input call came from: a manifest file (as the user named it) and the 1-based line its row starts
 * on (line 1 is the header). Printed as {@code file:line}, the form used in logs and in {@code rejects.csv}.
 */
public record SourceRef(String location, long line) {
    @Override
    public String toString() {
        return location + ":" + line;
    }
}
