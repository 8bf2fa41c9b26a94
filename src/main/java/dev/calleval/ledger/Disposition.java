package dev.calleval.ledger;

import dev.calleval.execution.ExecutionLiveness;

/** What a job execution did with one input call it read. */
public enum Disposition {
    /** Claimed by this execution and sent (or being sent). */
    CLAIMED,
    /** Claimed again after an earlier execution left it PENDING (a crash): sent again, possibly a duplicate. */
    IN_DOUBT_RESENT,
    /** Already accepted by the API in an earlier execution: not sent. */
    ALREADY_DONE,
    /** Refused before (422) and its input has not changed: not sent. */
    ALREADY_REJECTED,
    /**
     * PENDING and owned by another job execution that is still running ({@link ExecutionLiveness}): that execution is
     * sending it, so this one leaves it alone (not sent, not in doubt). {@code execution_call.owner_execution_id}
     * names the owner.
     */
    RUNNING_ELSEWHERE,
    /** Not in the job's sample ({@code sampling.percent}): recorded NOT_SAMPLED, not sent. */
    NOT_SAMPLED,
    /** In the sample, but this execution had reached {@code sampling.max-calls}: recorded DEFERRED, the next run sends it. */
    DEFERRED
}
