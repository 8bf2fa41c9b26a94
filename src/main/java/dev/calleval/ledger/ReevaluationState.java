package dev.calleval.ledger;

/**
 * The state of one call in one re-evaluation round ({@code reevaluation.state}, docs/reevaluation.md).
 * <ul>
 *   <li>{@link #PENDING}: claimed by the round's execution, {@code POST /v1/re-evaluate/{call_id}} in flight; with
 *       {@code in_doubt} set after an ambiguous failure (looked up at Bluejay before it is sent again);</li>
 *   <li>{@link #SENT}: Bluejay answered 200; waiting for the new evaluation;</li>
 *   <li>{@link #EVALUATED} / {@link #INCOMPLETE}: the new evaluation arrived with status COMPLETED / INCOMPLETED;</li>
 *   <li>{@link #REJECTED}: Bluejay refused it (404 unknown call id, 422); not sent again in this round;</li>
 *   <li>{@link #FAILED}: not sent (retries exhausted, circuit open, run stopped first); a restart of the round sends it.</li>
 * </ul>
 */
public enum ReevaluationState {
    PENDING,
    SENT,
    EVALUATED,
    INCOMPLETE,
    REJECTED,
    FAILED;

    /** Where a call in this state stands in the claim protocol ({@link Claims}). */
    public ClaimPhase phase() {
        return switch (this) {
            case PENDING -> ClaimPhase.PENDING;
            case SENT, EVALUATED, INCOMPLETE -> ClaimPhase.DONE;
            case REJECTED -> ClaimPhase.REJECTED;
            case FAILED -> ClaimPhase.FAILED;
        };
    }

    /** The new evaluation arrived. */
    public boolean hasResult() {
        return this == EVALUATED || this == INCOMPLETE;
    }
}
