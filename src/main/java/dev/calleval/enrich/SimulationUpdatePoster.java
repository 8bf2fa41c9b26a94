package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.CircuitOpenException;
import dev.calleval.bluejay.RequestInDoubtException;
import dev.calleval.bluejay.TransientApiException;
import dev.calleval.evaluate.BoundedExecutor;
import dev.calleval.ledger.SendOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts claimed updates concurrently, at most {@code maxInFlight} at a time (a further {@link #post} blocks until a
 * slot frees: backpressure on the reader), through the run's one {@link BluejayClient} (its rate limiter and retry),
 * and records each outcome in the ledger as {@link SendOutcome} classifies it (the same classification as calls'):
 * <ul>
 *   <li>2xx → POSTED (also when the 2xx body is unreadable: the update was applied);</li>
 *   <li>{@link RequestInDoubtException} (timeout or reset after sending, 500/502/504) → IN_DOUBT, never retried;</li>
 *   <li>422 → REJECTED with the API's fields; 404 → REJECTED (unknown simulation result); other 4xx → REJECTED;</li>
 *   <li>{@link TransientApiException} (retries exhausted on failures that prove it was not applied) → FAILED;</li>
 *   <li>any other error: IN_DOUBT once a request was sent, else FAILED.</li>
 * </ul>
 * A refused API key, or {@value #STOP_AFTER_CONSECUTIVE_FAILURES} failed posts in a row, stops the run: claims not
 * yet posted are recorded FAILED without being posted (the next run posts them) and {@link #fatalError()} says why.
 * A post that dies with the process leaves its row PENDING, which the next run records IN_DOUBT. Thread-safe.
 */
final class SimulationUpdatePoster implements AutoCloseable {
    static final int STOP_AFTER_CONSECUTIVE_FAILURES = 20;
    private static final Logger log = LoggerFactory.getLogger(SimulationUpdatePoster.class);
    private static final String OPERATION = "POST /v1/update-simulation-result";

    private final BluejayClient client;
    private final SimulationUpdateLedger ledger;
    private final long executionId;
    private final BoundedExecutor executor;
    private final AtomicReference<@Nullable RuntimeException> fatal = new AtomicReference<>();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    SimulationUpdatePoster(BluejayClient client, SimulationUpdateLedger ledger, long executionId, int maxInFlight) {
        this.client = client;
        this.ledger = ledger;
        this.executionId = executionId;
        this.executor = new BoundedExecutor("enrich-" + executionId, maxInFlight);
    }

    /** Posts one claimed update; blocks while {@code maxInFlight} posts are in flight. */
    void post(SimulationUpdateLedger.Claim claim) {
        if (!executor.execute(() -> send(claim))) {
            ledger.markFailed(claim.updateId(), executionId, "not posted: the run was interrupted", 0);
        }
    }

    private void send(SimulationUpdateLedger.Claim claim) {
        long id = claim.updateId();
        String resultId = claim.update().resultId();
        String file = claim.update().log().file();
        RuntimeException stop = fatal.get();
        if (stop != null) {
            ledger.markFailed(id, executionId, "not posted: the run stopped: " + stop.getMessage(), 0);
            return;
        }
        AtomicInteger attempts = new AtomicInteger();
        try {
            client.updateSimulationResult(claim.update().request(), attempts::incrementAndGet);
            ledger.markPosted(id, executionId, attempts.get(), null);
            consecutiveFailures.set(0);
            log.debug("simulation result {} ({}) posted", resultId, file);
        } catch (RuntimeException e) {
            record(claim, e, attempts.get());
        }
    }

    /** Records a failed post as {@link SendOutcome} classifies it. */
    private void record(SimulationUpdateLedger.Claim claim, RuntimeException failure, int attempts) {
        long id = claim.updateId();
        String resultId = claim.update().resultId();
        String file = claim.update().log().file();
        SendOutcome outcome = SendOutcome.of(failure, attempts);
        if (outcome instanceof SendOutcome.InDoubt d) {
            if (d.answered2xx()) { // answered 2xx with an unreadable body: applied all the same
                ledger.markPosted(id, executionId, attempts, "applied; " + d.error());
                consecutiveFailures.set(0);
                return;
            }
            ledger.markInDoubt(id, executionId, d.error(), attempts);
            if (d.unexpected()) {
                log.warn("simulation result {} ({}): {}", resultId, file, d.error(), failure);
                return;
            }
            failedOnce(failure);
            log.warn("simulation result {} ({}) in doubt, not posted again: {}", resultId, file, d.error());
        } else if (outcome instanceof SendOutcome.Rejected r) {
            String fields = r.status() == 404 ? "simulation_result_id" : r.fields();
            String reason = r.status() == 422 ? "Bluejay refused the update (422): " + r.detail()
                    : r.status() == 404 ? "Bluejay does not know simulation result " + resultId + " (404): " + r.error() : r.error();
            ledger.markRejected(id, executionId, fields, reason, attempts);
            consecutiveFailures.set(0);
            log.warn(r.status() == 422 ? "simulation result {} ({}) refused by Bluejay: {}" : "simulation result {} ({}) refused: {}",
                    resultId, file, r.status() == 422 ? r.error() : reason);
        } else if (outcome instanceof SendOutcome.Failed f) {
            switch (f.reason()) {
                case KEY_REFUSED -> {
                    stopRun(failure);
                    ledger.markFailed(id, executionId, f.error(), attempts);
                }
                case CIRCUIT_OPEN, RETRIES_EXHAUSTED -> {
                    ledger.markFailed(id, executionId, f.error(), attempts);
                    failedOnce(failure);
                    log.warn("simulation result {} ({}) failed after {} attempt(s): {}", resultId, file, attempts, f.error());
                }
                case UNEXPECTED_BEFORE_SENDING -> {
                    ledger.markFailed(id, executionId, "not posted: " + f.error(), 0);
                    log.warn("simulation result {} ({}): {}", resultId, file, f.error(), failure);
                }
            }
        }
    }

    private void failedOnce(RuntimeException e) {
        if (consecutiveFailures.incrementAndGet() >= STOP_AFTER_CONSECUTIVE_FAILURES) {
            stopRun(new CircuitOpenException(OPERATION, STOP_AFTER_CONSECUTIVE_FAILURES));
        }
    }

    private void stopRun(RuntimeException cause) {
        if (fatal.compareAndSet(null, cause)) {
            log.error("stopping the run: {}", cause.getMessage());
        }
    }

    /** The error that stopped the run, if one did. */
    @Nullable RuntimeException fatalError() {
        return fatal.get();
    }

    /** Waits until every post handed over so far has its outcome recorded. */
    void awaitIdle() {
        executor.awaitIdle();
    }

    @Override
    public void close() {
        executor.close();
    }
}
