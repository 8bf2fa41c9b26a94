package dev.calleval.evaluate;

/**
 * Hears what becomes of the rows of a submit step as it happens: for the progress line and the
 * {@code calleval.calls.*} counters. Each row read ends in exactly one call of these methods (counted once, when its
 * outcome is final for this run). Called from the step's thread and from the submitter's threads, so implementations
 * must be thread-safe, cheap (atomic counters; the step runs thousands of calls per second) and never throw.
 */
interface SubmissionObserver {
    /** Hears nothing. */
    SubmissionObserver NONE = new SubmissionObserver() {};

    /**
     * Rows of a committed chunk that are not sent: rejected locally (invalid, duplicate {@code call_id}), or settled
     * by an earlier run.
     *
     * @param rejected rows rejected by the mapping or as duplicates
     * @param alreadyDone rows whose call an earlier run got accepted (not sent again)
     * @param alreadyRejected rows the API refused in an earlier run, unchanged (not sent again)
     */
    default void notSent(int rejected, int alreadyDone, int alreadyRejected) {}

    /**
     * Calls of a committed chunk this run could have sent but left out ({@code sampling:}): not in the sample, or past
     * the run's {@code max-calls}.
     */
    default void leftOut(int notSampled, int deferred) {}

    /** A call was accepted by the API (or found there after an ambiguous failure). */
    default void submitted() {}

    /** The API refused a call (422 or another 4xx). */
    default void rejectedByApi() {}

    /** A call was not accepted: retries exhausted, or not sent because the run stopped. */
    default void failed() {}

    /** A call may or may not exist (an ambiguous failure no lookup settled): left in doubt for the next run. */
    default void leftInDoubt() {}
}
