package dev.calleval.report;

/**
 * The summary of one execution of a re-evaluation round ({@code summary.json} of
 * {@code <report.directory>/reevaluate-<job>/<execution id>/}, docs/reevaluation.md).
 *
 * @param job the evaluate job whose calls were re-evaluated
 * @param round the round (the {@code reevaluate-<job>} job instance id)
 * @param executionId this execution of the round
 * @param status COMPLETED, FAILED or STOPPED
 * @param selection the selection, as {@code Selection.key()} shows it
 * @param endpoint the Bluejay endpoint
 * @param execution what this execution did
 * @param calls the round's calls by state, over all its executions
 * @param changed calls whose new evaluation differs from the old one in goal_success, hallucination or num_turns
 * @param reportDirectory the local folder of the report
 */
public record RoundSummary(String job, String round, long executionId, String status, String selection, String endpoint,
        ThisExecution execution, RoundTotals calls, int changed, String reportDirectory) {

    /**
     * @param chosen calls the selection chose
     * @param sent re-evaluations Bluejay accepted in this execution
     * @param alreadyInRound chosen calls sent (or refused) earlier in this round: not sent again
     * @param foundSent calls left in doubt by an earlier execution of the round that had arrived: not sent again
     * @param rejected refused by Bluejay (404 unknown call id, 422, other 4xx)
     * @param failed not sent (retries exhausted, circuit open, key refused)
     * @param inDoubt may have arrived: looked up by the next execution of the round
     * @param runningElsewhere left to another live execution of the round
     * @param waitingInAnotherRound chosen calls not sent because another round still waits for their new evaluation (sent
     *     there, or being sent by a live execution); a later round can choose them
     */
    public record ThisExecution(int chosen, int sent, int alreadyInRound, int foundSent, int rejected, int failed, int inDoubt,
            int runningElsewhere, int waitingInAnotherRound) {}

    /** The round's calls by state ({@code reevaluation.state}; in doubt: PENDING). */
    public record RoundTotals(int calls, int evaluated, int incomplete, int waiting, int rejected, int failed, int inDoubt) {}
}
