package dev.calleval.source;

import org.jspecify.annotations.Nullable;

/**
 * A manifest that cannot be read (on): missing, unreadable, empty, no header, not UTF-8 text, or a CSV syntax error.
 * Carries the file as the operator names it ({@link ManifestItemReader}'s display name) and the line (0: the file as
 * a whole); the message is one line, {@code <location>[:<line>]: <reason>}, saying what to do where it can.
 */
public final class ManifestException extends RuntimeException {
    private final String location;
    private final long line;
    private final String reason;

    /**
     * @param location the manifest as the operator names it
     * @param line the 1-based line (1 is the header), or 0 for the file as a whole
     * @param reason what is wrong, and how to fix it
     */
    public ManifestException(String location, long line, String reason, @Nullable Throwable cause) {
        super(location + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.location = location;
        this.line = line;
        this.reason = reason;
    }

    /** The manifest, as the operator names it. */
    public String location() {
        return location;
    }

    /** The 1-based line, or 0 for the file as a whole. */
    public long line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }
}
