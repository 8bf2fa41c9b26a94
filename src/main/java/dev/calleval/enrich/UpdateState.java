package dev.calleval.enrich;

import dev.calleval.ledger.ClaimPhase;

/**
 * The state of one simulation result in the {@code simulation_update} ledger. Each result is posted at most once
 * unless an operator says otherwise:
 * <ul>
 *   <li>{@link #PENDING}: claimed, post in flight. A later run that finds it PENDING knows the process stopped
 *       mid-post, records it {@link #IN_DOUBT} and does not post it;</li>
 *   <li>{@link #POSTED}: Bluejay answered 2xx. Never posted again; a changed log is reported, not posted;</li>
 *   <li>{@link #REJECTED}: the log failed local validation, or Bluejay refused it (422, 404 unknown result, other
 *       4xx). Posted again only when its log changes;</li>
 *   <li>{@link #FAILED}: retries exhausted on failures that prove the update was not applied (connection refused,
 *       429, 503), or the run stopped first. The next run posts it;</li>
 *   <li>{@link #IN_DOUBT}: an ambiguous failure (timeout or reset after sending, 500, 502, 504): the update may
 *       have been applied. Posted again only by a run with {@code --resend-in-doubt}.</li>
 * </ul>
 */
enum UpdateState {
    PENDING,
    POSTED,
    REJECTED,
    FAILED,
    IN_DOUBT;

    /** Where an update in this state stands in the claim protocol ({@link dev.calleval.ledger.Claims}). */
    public ClaimPhase phase() {
        return switch (this) {
            case PENDING -> ClaimPhase.PENDING;
            case POSTED -> ClaimPhase.DONE;
            case REJECTED -> ClaimPhase.REJECTED;
            case FAILED -> ClaimPhase.FAILED;
            case IN_DOUBT -> ClaimPhase.IN_DOUBT;
        };
    }
}
