package dev.calleval.ledger;

/**
 * Where a ledger row stands in the claim protocol ({@link Claims}), whatever its table calls the state: each state of
 * {@link LedgerState} (calls) and of the simulation updates' state maps to one phase.
 */
public enum ClaimPhase {
    /** Claimed by one execution ({@code job_execution_id}), request or post in flight. */
    PENDING,
    /** Accepted by Bluejay (a call SUBMITTED or later, an update POSTED): never claimed again. */
    DONE,
    /** Refused (locally or by Bluejay): claimed again only when its input (fingerprint) changes. */
    REJECTED,
    /**
     * Proven not applied (retries exhausted, the run stopped first; a call left out by sampling or the per-run cap): the
     * next run claims it.
     */
    FAILED,
    /** May have been applied: claimed again only when the run is told to resend what is in doubt. */
    IN_DOUBT
}
