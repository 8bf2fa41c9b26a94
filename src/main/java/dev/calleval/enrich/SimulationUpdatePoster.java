package dev.calleval.enrich;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.CircuitOpenException;
import dev.calleval.bluejay.PermanentApiException;
import dev.calleval.bluejay.RequestInDoubtException;
import dev.calleval.bluejay.TransientApiException;
import dev.calleval.bluejay.ValidationFailedException;
import dev.calleval.evaluate.BoundedExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts claimed updates concurrently, at most {@code maxInFlight} at a time (a further {@link #post} blocks until a
 * slot frees: backpressure on the reader), through the run's one {@link BluejayClient} (its rate limiter and retry),
 * and records each outcome in the ledger:
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
        } catch (RequestInDoubtException e) {
            if (e.status() >= 200 && e.status() < 300) { // answered 2xx with an unreadable body: applied all the same
                ledger.markPosted(id, executionId, attempts.get(), "applied; " + e.getMessage());
                consecutiveFailures.set(0);
                return;
            }
            ledger.markInDoubt(id, executionId, e.getMessage(), attempts.get());
            failedOnce(e);
            log.warn("simulation result {} ({}) in doubt, not posted again: {}", resultId, file, e.getMessage());
        } catch (ValidationFailedException e) {
            String fields = e.errors().stream().map(er -> er.field().isEmpty() ? "body" : er.field()).distinct()
                    .collect(Collectors.joining(";"));
            ledger.markRejected(id, executionId, fields.isEmpty() ? "body" : fields, "Bluejay refused the update (422): "
                    + e.getMessage().substring(e.getMessage().indexOf(": ") + 2), attempts.get());
            consecutiveFailures.set(0);
            log.warn("simulation result {} ({}) refused by Bluejay: {}", resultId, file, e.getMessage());
        } catch (PermanentApiException e) {
            String reason = e.status() == 404 ? "Bluejay does not know simulation result " + resultId + " (404): " + e.getMessage() : e.getMessage();
            ledger.markRejected(id, executionId, e.status() == 404 ? "simulation_result_id" : "body", reason, attempts.get());
            consecutiveFailures.set(0);
            log.warn("simulation result {} ({}) refused: {}", resultId, file, reason);
        } catch (AuthenticationFailedException e) {
            stopRun(e);
            ledger.markFailed(id, executionId, e.getMessage(), attempts.get());
        } catch (TransientApiException | CircuitOpenException e) {
            ledger.markFailed(id, executionId, e.getMessage(), attempts.get());
            failedOnce(e);
            log.warn("simulation result {} ({}) failed after {} attempt(s): {}", resultId, file, attempts.get(), e.getMessage());
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (attempts.get() > 0) {
                ledger.markInDoubt(id, executionId, "unexpected error after sending (the update may have been applied): " + error, attempts.get());
            } else {
                ledger.markFailed(id, executionId, "not posted: " + error, 0);
            }
            log.warn("simulation result {} ({}): {}", resultId, file, error, e);
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
