package dev.calleval.submission;

import java.time.Duration;

/**
 * How the submit step settles an evaluate request that failed ambiguously (timeout or reset after sending, 500,
 * 502, 504): it records the call as in doubt, waits {@code delay}, then reads up to {@code maxPages} pages of the
 * agent's recent calls looking for it (job file {@code submit.in-doubt}). Found: SUBMITTED with that call id.
 * Absent from the whole window: sent again. Otherwise, or with {@code maxPages} 0: left PENDING and in doubt, listed
 * in the report, and sent again by the next run flagged as a possible duplicate.
 */
public record InDoubtLookup(Duration delay, int maxPages) {
    public InDoubtLookup {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("submit.in-doubt.lookup-delay must be >= 0, got " + delay);
        }
        if (maxPages < 0 || maxPages > 1000) {
            throw new IllegalArgumentException("submit.in-doubt.max-pages must be 0..1000 (0 = no lookup), got " + maxPages);
        }
    }

    /** No lookup: an ambiguous failure stays in doubt. */
    public static InDoubtLookup none() {
        return new InDoubtLookup(Duration.ZERO, 0);
    }
}
