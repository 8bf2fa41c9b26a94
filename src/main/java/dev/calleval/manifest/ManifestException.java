package dev.calleval.manifest;

/**
 * A manifest that cannot be read on: missing file, no header, a CSV syntax error. Carries the file and line;
 * the run fails with this message (rows already read keep their ledger states).
 */
public final class ManifestException extends RuntimeException {
    public ManifestException(String location, long line, String reason, Throwable cause) {
        super(location + (line > 0 ? ":" + line : "") + ": " + reason, cause);
    }
}
