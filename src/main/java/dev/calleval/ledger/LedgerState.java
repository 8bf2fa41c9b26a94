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
 *   <li>{@link #OVERDUE}: submitted, no result within the result window; still matched if one arrives.</li>
 * </ul>
 */
public enum LedgerState {
    PENDING,
    SUBMITTED,
    REJECTED,
    FAILED,
    EVALUATED,
    INCOMPLETE,
    OVERDUE;

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
            case FAILED -> ClaimPhase.FAILED;
        };
    }

    /** A result arrived: a later event never changes the state again. */
    public boolean hasResult() {
        return this == EVALUATED || this == INCOMPLETE;
    }
}
