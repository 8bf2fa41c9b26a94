package dev.calleval.cli;

/** Process exit codes, as documented in the README ("Exit codes") and docs/operations.md. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** {@code report}: no such job execution, or the job has none. */
    static final int NOT_FOUND = 3;
    /** The same job over the same source is already running (another live execution): this launch did nothing. */
    static final int ALREADY_RUNNING = 4;

    private ExitCodes() {}
}
