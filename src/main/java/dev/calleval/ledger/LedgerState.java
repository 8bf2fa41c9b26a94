package dev.calleval.ledger;

/**
 * The state of one input call (DESIGN.md "Ledger").
 * <ul>
 *   <li>{@link #PENDING}: claimed, request in flight; found after a crash it is "in doubt" and resubmitted,
 *       flagged as a possible duplicate;</li>
 *   <li>{@link #SUBMITTED}: the API accepted it and returned a call id; waiting for the result;</li>
 *   <li>{@link #REJECTED}: failed local validation or the API answered 422; not retried until its input changes;</li>
 *   <li>{@link #FAILED}: retries exhausted, circuit open or the run stopped first; the next run picks it up;</li>
 *   <li>{@link #EVALUATED} / {@link #INCOMPLETE}: a result arrived with Bluejay status COMPLETED / INCOMPLETED;</li>
 *   <li>{@link #OVERDUE}: submitted, no result within the result window; still matched if one arrives;</li>
 *   <li>{@link #NOT_SAMPLED}: valid, but outside the job's {@code sampling.percent} ({@link Sampling}): not sent; a
 *       later run whose sample includes it sends it;</li>
 *   <li>{@link #DEFERRED}: in the sample, but the run had reached {@code sampling.max-calls}: not sent; the next run
 *       sends it.</li>
 * </ul>
 * The last two are never in doubt and never accepted: in the claim protocol they are {@link ClaimPhase#FAILED} (claimed
 * again by the next run, which decides on the sample and the cap again). They are declared after FAILED, which stays
 * the state a call is marked with when sending it failed.
 */
public enum LedgerState {
    PENDING,
    SUBMITTED,
    REJECTED,
    FAILED,
    EVALUATED,
    INCOMPLETE,
    OVERDUE,
    NOT_SAMPLED,
    DEFERRED;

    /** A call the API has accepted: never sent again. */
    public boolean isAccepted() {
        return this == SUBMITTED || this == EVALUATED || this == INCOMPLETE || this == OVERDUE;
    }

    /** Where a call in this state stands in the claim protocol ({@link Claims}); in doubt is a flag of a PENDING call. */
    public ClaimPhase phase() {
        return switch (this) {
            case PENDING -> ClaimPhase.PENDING;
            case SUBMITTED, EVALUATED, INCOMPLETE, OVERDUE -> ClaimPhase.DONE;
            case REJECTED -> ClaimPhase.REJECTED;
            case FAILED, NOT_SAMPLED, DEFERRED -> ClaimPhase.FAILED;
        };
    }

    /** A result arrived: a later event never changes the state again. */
    public boolean hasResult() {
        return this == EVALUATED || this == INCOMPLETE;
    }
}
