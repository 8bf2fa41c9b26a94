package dev.calleval.evaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.EvaluateCallResponse;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.database.DatabaseUnavailableException;
import dev.calleval.ledger.GroupCommit;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.SendOutcome;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends claimed calls concurrently, at most {@code maxInFlight} at a time (further {@link #submit} calls block
 * until a slot frees: backpressure on the reader), and records each outcome in the ledger: SUBMITTED with the
 * call id, REJECTED on 422 or another 4xx, FAILED when retries are exhausted ({@link SendOutcome} classifies each
 * failure, as for simulation updates). An ambiguous failure (the call may exist: a timeout or reset after sending,
 * 500/502/504, or an unexpected error once an attempt was made) is first recorded as in doubt, then settled by an {@link InDoubtResolver} lookup when one is given: found →
 * SUBMITTED with the found call id; absent → sent again (once); otherwise it stays PENDING and in doubt.
 *
 * <p>Outcomes are recorded through a {@link GroupCommit}: a thread's slot frees only once its outcome has committed,
 * but the outcomes of requests that end together share one commit (and the accepted ones one JDBC batch).
 *
 * <p>A fatal error (the API key refused, the circuit breaker open) stops the run: calls not yet sent are marked
 * FAILED without being sent, and {@link #fatalError()} returns the cause so the step can fail. Thread-safe.
 */
final class Submitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final BluejayClient client;
    private final Ledger ledger;
    private final long executionId;
    private final BoundedExecutor executor;
    private final GroupCommit commits;
    /** The outcome of most calls: those that end together are marked SUBMITTED in one JDBC batch. */
    private final GroupCommit.Kind<Ledger.Submitted> submitted;
    private final AtomicReference<@Nullable RuntimeException> fatal = new AtomicReference<>();
    private final @Nullable InDoubtResolver resolver;
    private final SubmissionObserver observer;

    /**
     * @param resolver settles ambiguous failures; null leaves them in doubt
     * @param observer hears each call's final outcome in this run
     */
    Submitter(BluejayClient client, Ledger ledger, long executionId, int maxInFlight, @Nullable InDoubtResolver resolver,
            SubmissionObserver observer) {
        this.resolver = resolver;
        this.observer = observer;
        this.client = client;
        this.ledger = ledger;
        this.executionId = executionId;
        this.executor = new BoundedExecutor("submit-" + executionId, maxInFlight);
        this.commits = ledger.groupCommit("ledger-commit-" + executionId, executor::active); // the requests in flight
        this.submitted = ledger::markSubmitted;
    }

    /** Sends one claimed call; blocks while {@code maxInFlight} calls are in flight. */
    public void submit(Ledger.Claim claim) {
        if (!executor.execute(() -> sendAndRecord(claim))) {
            ledger.markFailed(claim.ledgerId(), executionId, "not sent: the run was interrupted", 0);
            observer.failed();
        }
    }

    /**
     * Sends one call and records its outcome. When the outcome cannot be recorded because the database stayed
     * unreachable past its tolerance, the call stays PENDING in the ledger (the next run looks it up before sending it
     * again: in doubt) and the run stops.
     */
    private void sendAndRecord(Ledger.Claim claim) {
        try {
            send(claim);
        } catch (RuntimeException e) {
            if (!DatabaseRetry.isConnectionLoss(e)) {
                throw e;
            }
            RuntimeException unavailable = e instanceof DatabaseUnavailableException ? e
                    : new DatabaseUnavailableException("recording the outcome of calls", java.time.Duration.ZERO, e);
            if (fatal.compareAndSet(null, unavailable)) {
                log.error("stopping the run: {}", unavailable.getMessage());
            }
            observer.leftInDoubt();
        }
    }

    private void send(Ledger.Claim claim) {
        if (claim.inDoubt() && resolver != null && claim.lastAttemptAt() != null && fatal.get() == null) {
            // an earlier run left it in flight: look before paying for it twice
            InDoubtResolver.Lookup lookup = resolver.lookUp(claim.call().request(), claim.call().sourceId(), claim.lastAttemptAt());
            if (lookup.outcome() == InDoubtResolver.Outcome.FOUND && lookup.callId() != null) {
                commits.run(() -> ledger.resolveInDoubt(claim.ledgerId(), executionId, lookup.callId()));
                observer.submitted();
                log.info("{} ({}) was left in doubt by an earlier run and is {}: not sent again", claim.call().sourceId(),
                        claim.call().source(), lookup.detail());
                return;
            }
        }
        send(claim, false);
    }

    /** @param afterConfirmedAbsence an in-doubt call that a lookup showed was never created: resolve on success */
    private void send(Ledger.Claim claim, boolean afterConfirmedAbsence) {
        RuntimeException stop = fatal.get();
        if (stop instanceof DatabaseUnavailableException) {
            observer.leftInDoubt(); // left PENDING in the ledger, not sent: the next run sends it (after a look-up)
            return;
        }
        if (stop != null) {
            commits.run(() -> ledger.markFailed(claim.ledgerId(), executionId, "not sent: the run stopped: " + stop.getMessage(), 0));
            observer.failed();
            return;
        }
        AtomicInteger attempts = new AtomicInteger();
        String sourceId = claim.call().sourceId();
        Instant sentAt = Instant.now();
        EvaluateCallResponse response;
        try {
            response = client.evaluate(claim.call().request(), attempts::incrementAndGet);
        } catch (RuntimeException e) {
            record(claim, e, attempts.get(), sentAt, afterConfirmedAbsence);
            return;
        }
        // accepted: recorded outside the try above, so that a ledger failure is never taken for the API's (and the
        // call marked FAILED, to be sent again)
        if (afterConfirmedAbsence) {
            commits.run(() -> ledger.resolveInDoubt(claim.ledgerId(), executionId, response.callId()));
        } else {
            commits.run(submitted, new Ledger.Submitted(claim.ledgerId(), executionId, response.callId(), attempts.get()));
        }
        observer.submitted();
        log.debug("{} ({}) submitted as call {}", sourceId, claim.call().source(), response.callId());
    }

    /**
     * Records a failed send as {@link SendOutcome} classifies it; an in-doubt call is then settled by a lookup, a refused
     * key or an open circuit breaker stops the run.
     */
    private void record(Ledger.Claim claim, RuntimeException failure, int attempts, Instant sentAt, boolean afterConfirmedAbsence) {
        String sourceId = claim.call().sourceId();
        SendOutcome outcome = SendOutcome.of(failure, attempts);
        if (outcome instanceof SendOutcome.InDoubt d) {
            if (d.unexpected()) {
                log.warn("{} ({}) failed on an unexpected error after it was sent: in doubt", sourceId, claim.call().source(), failure);
            }
            commits.run(() -> ledger.markInDoubt(claim.ledgerId(), executionId, d.error(), attempts));
            settle(claim, sentAt, d, afterConfirmedAbsence);
        } else if (outcome instanceof SendOutcome.Rejected r) {
            boolean invalid = r.status() == 422;
            commits.run(() -> ledger.markRejectedByApi(claim.ledgerId(), executionId, claim.call().source(), sourceId, r.fields(),
                    invalid ? "the API refused the call (422): " + r.detail() : r.error(), attempts));
            observer.rejectedByApi();
            log.warn(invalid ? "{} ({}) rejected by the API: {}" : "{} ({}) refused: {}", sourceId, claim.call().source(), r.error());
        } else if (outcome instanceof SendOutcome.Failed f) {
            boolean stopsRun = f.reason() == SendOutcome.Reason.KEY_REFUSED || f.reason() == SendOutcome.Reason.CIRCUIT_OPEN;
            if (stopsRun && fatal.compareAndSet(null, failure)) {
                log.error("stopping the run: {}", f.error());
            }
            String error = f.reason() == SendOutcome.Reason.UNEXPECTED_BEFORE_SENDING ? "not sent: " + f.error() : f.error();
            commits.run(() -> ledger.markFailed(claim.ledgerId(), executionId, error, attempts));
            observer.failed();
            if (!stopsRun) {
                log.warn("{} ({}) failed after {} attempts: {}", sourceId, claim.call().source(), attempts, error);
            }
        }
    }

    private void settle(Ledger.Claim claim, Instant sentAt, SendOutcome.InDoubt doubt, boolean secondTime) {
        String sourceId = claim.call().sourceId();
        if (resolver == null) {
            observer.leftInDoubt();
            log.warn("{} ({}) in doubt, left for a person or the next run: {}", sourceId, claim.call().source(), doubt.error());
            return;
        }
        InDoubtResolver.Lookup lookup = resolver.settle(claim.call().request(), sourceId, sentAt, doubt.timedOut());
        switch (lookup.outcome()) {
            case FOUND -> {
                commits.run(() -> ledger.resolveInDoubt(claim.ledgerId(), executionId, java.util.Objects.requireNonNull(lookup.callId())));
                observer.submitted();
                log.info("{} ({}) was in doubt and is {}: not sent again", sourceId, claim.call().source(), lookup.detail());
            }
            case ABSENT -> {
                if (secondTime) {
                    observer.leftInDoubt();
                    log.warn("{} ({}) in doubt twice, left in doubt: {}", sourceId, claim.call().source(), doubt.error());
                } else {
                    log.info("{} ({}) was in doubt and is {} twice: sending it again", sourceId, claim.call().source(), lookup.detail());
                    send(claim, true);
                }
            }
            case UNKNOWN -> {
                observer.leftInDoubt();
                log.warn("{} ({}) in doubt, left for a person or the next run ({}): {}", sourceId,
                        claim.call().source(), lookup.detail(), doubt.error());
            }
        }
    }

    /** Waits until every call handed over so far has its outcome recorded. */
    public void awaitIdle() {
        executor.awaitIdle();
    }

    /** The error that stopped the run, if one did. */
    public @Nullable RuntimeException fatalError() {
        return fatal.get();
    }

    @Override
    public void close() {
        executor.close();
        commits.close();
    }
}
