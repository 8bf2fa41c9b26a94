package dev.calleval.reevaluate;

/**
 * What one execution of a round did, counted by its send step for the report (one instance per built job, so per
 * launch). Written by the step's thread, read after the job has ended.
 */
final class RoundCounts {
    int chosen;
    int sent;
    int alreadyInRound;
    int runningElsewhere;
    int waitingInAnotherRound;
    int foundSent;
    int rejected;
    int failed;
    int inDoubt;
}
