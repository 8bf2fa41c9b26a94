package dev.calleval.bluejay;

/**
 * Thrown instead of calling the API once the circuit breaker has seen only failures: the service is down or
 * unreachable, and a run should stop (and be restarted later) rather than burn every remaining call.
 */
public final class CircuitOpenException extends RuntimeException {
    public CircuitOpenException(String operation, int failedCalls) {
        super(operation + " not attempted: the last " + failedCalls
                + " calls all failed after their retries (circuit breaker open); stopping the run — re-run the job to resume");
    }
}
