package dev.calleval.evaluate;

import java.time.Duration;

/**
 * How the submit step settles an evaluate request that failed ambiguously (timeout or reset after sending, 500,
 * 502, 504): it records the call as in doubt, waits {@code delay} (at least {@code requestTimeout} after a timeout),
 * then reads up to {@code maxPages} pages of the agent's calls looking for it (job file {@code submit.in-doubt}).
 * Found: SUBMITTED with that call id. Absent in two looks {@code delay} apart: sent again. Otherwise, or with
 * {@code maxPages} 0: left PENDING and in doubt, listed in the report; the next run looks again before sending it.
 */
record InDoubtLookup(Duration delay, Duration requestTimeout, int maxPages) {
    public InDoubtLookup {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("submit.in-doubt.lookup-delay must be >= 0, got " + delay);
        }
        if (requestTimeout == null || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("request timeout must be >= 0, got " + requestTimeout);
        }
        if (maxPages < 0 || maxPages > 1000) {
            throw new IllegalArgumentException("submit.in-doubt.max-pages must be 0..1000 (0 = no lookup), got " + maxPages);
        }
    }

}
