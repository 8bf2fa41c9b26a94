package dev.calleval.cli;

/** Process exit codes, as documented in the README. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** {@code report}: no such job execution, or the job has none. */
    static final int NOT_FOUND = 3;

    private ExitCodes() {}
}
