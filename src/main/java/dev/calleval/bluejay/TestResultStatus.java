package dev.calleval.bluejay;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Status of a simulation (test) result: {@code TestResultStatus} of the spec plus the values the newer docs and
 * the vendor's code use (§3.5). Open: anything else reads as {@link #UNKNOWN}; callers keep the raw text too.
 */
public enum TestResultStatus {
    INITIALIZING, QUEUED, READY, DISPATCHED, RUNNING, CONVERSATION_ENDED, EVALUATING, COMPLETED, INCOMPLETED,
    REJECTED, INSUFFICIENT_FUNDS, FAILED, NO_ANSWER, NO_CONNECTION, CANCELLED, SYSTEM_ERROR, UNKNOWN;

    /** Reads a status as sent (case-insensitive, spaces as underscores); null and unknown values → UNKNOWN. */
    public static TestResultStatus of(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(raw.strip().toUpperCase(Locale.ROOT).replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** True once Bluejay does no more work on the result. */
    public boolean isTerminal() {
        return switch (this) {
            case COMPLETED, INCOMPLETED, REJECTED, INSUFFICIENT_FUNDS, FAILED, NO_ANSWER, NO_CONNECTION, CANCELLED,
                    SYSTEM_ERROR -> true;
            default -> false;
        };
    }
}
