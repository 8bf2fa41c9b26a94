package dev.calleval.bluejay;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * {@code CallStatus} of a call log and of the {@code observability_call_evaluated} webhook (§2.2). The enum is
 * open: a value this version does not know reads as {@link #UNKNOWN} instead of failing.
 */
public enum CallStatus {
    INITIALIZING,
    QUEUED,
    EVALUATING,
    COMPLETED,
    INCOMPLETED,
    @JsonEnumDefaultValue
    UNKNOWN;

    /** @return true for the two statuses after which Bluejay does no more work on the call */
    public boolean isTerminal() {
        return this == COMPLETED || this == INCOMPLETED;
    }
}
