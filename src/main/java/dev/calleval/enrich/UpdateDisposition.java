package dev.calleval.enrich;

import org.jspecify.annotations.Nullable;

/** What a job execution did with one log it read (the {@code action} column of {@code updates.csv}). */
enum UpdateDisposition {
    /** Claimed and posted by this run; the outcome is the ledger state. */
    CLAIMED(null),
    /** Left IN_DOUBT by an earlier run and posted again because the run was told to ({@code --resend-in-doubt}). */
    RESENT_IN_DOUBT(null),
    /** Posted by an earlier run and the log is unchanged: not posted. */
    ALREADY_POSTED(UpdateState.POSTED),
    /** Posted by an earlier run and the log has changed since: not posted, as that would duplicate tool calls. */
    CHANGED_AFTER_POST(UpdateState.POSTED),
    /** Refused by Bluejay in an earlier run and the log is unchanged: not posted. */
    ALREADY_REJECTED(UpdateState.REJECTED),
    /** Left IN_DOUBT by an earlier run: not posted (see {@code --resend-in-doubt}). */
    LEFT_IN_DOUBT(UpdateState.IN_DOUBT),
    /** Left PENDING by an earlier run that stopped mid-post: recorded IN_DOUBT, not posted. */
    FOUND_PENDING(UpdateState.IN_DOUBT),
    /** The log failed local validation: never posted. */
    INVALID(UpdateState.REJECTED),
    /** A second log for a simulation result already read in this run: not posted (only the first is used). */
    DUPLICATE(UpdateState.REJECTED);

    private final @Nullable UpdateState fixedState;

    UpdateDisposition(@Nullable UpdateState fixedState) {
        this.fixedState = fixedState;
    }

    /** True when this run posted the log (its state is the ledger's). */
    public boolean posted() {
        return fixedState == null;
    }

    /** The state a log with this disposition ended in this run, given its ledger state now. */
    public UpdateState stateIn(UpdateState ledgerState) {
        return fixedState == null ? ledgerState : fixedState;
    }
}
