package dev.calleval.reevaluate;

/**
 * A round stopped sending because every further request would fail the same way (the API key refused, the circuit
 * breaker open): its step fails, the calls not sent are FAILED, and running the command again restarts the round.
 */
public final class RoundStoppedException extends RuntimeException {
    RoundStoppedException(String jobName, String roundId, String why) {
        super("reevaluate-" + jobName + " round " + roundId + " stopped: " + why);
    }
}
