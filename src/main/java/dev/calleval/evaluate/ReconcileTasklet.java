package dev.calleval.evaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.config.Durations;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.jobfile.ResultsSettings;
import dev.calleval.ledger.CallResults;
import dev.calleval.reconciliation.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconcile step. Each pass (its own transaction, run again when the database connection was lost) matches the webhook inbox to the ledger and, once a call
 * has waited {@code results.poll-after} without a webhook, polls {@code retrieve-call-log} for it. Passes repeat
 * every second until every call this execution submitted has a result or {@code waitForResults} is up (zero:
 * one pass). Finally, submitted calls older than {@code results.window} become OVERDUE.
 */
final class ReconcileTasklet implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(ReconcileTasklet.class);

    private final Reconciler reconciler;
    private final CallResults ledger;
    private final BluejayClient client;
    private final ResultsSettings results;
    private final Duration waitForResults;
    private final Clock clock;
    private @Nullable Instant deadline;
    private @Nullable Instant nextPoll;

    private final TransactionTemplate transaction;
    private final DatabaseRetry retry;

    /**
     * @param transaction the database transaction each pass runs in
     * @param retry runs a pass again when the database connection was lost (a pass is safe to repeat: results are
     *     applied once, polls ask again)
     */
    ReconcileTasklet(Reconciler reconciler, CallResults ledger, BluejayClient client, ResultsSettings results,
            Duration waitForResults, Clock clock, TransactionTemplate transaction, DatabaseRetry retry) {
        this.transaction = transaction;
        this.retry = retry;
        this.reconciler = reconciler;
        this.ledger = ledger;
        this.client = client;
        this.results = results;
        this.waitForResults = waitForResults;
        this.clock = clock;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
        long executionId = chunkContext.getStepContext().getStepExecution().getJobExecutionId();
        Instant now = clock.instant();
        if (deadline == null) {
            deadline = now.plus(waitForResults);
            nextPoll = now;
            if (!waitForResults.isZero()) {
                log.info("waiting up to {} for results (webhooks; polling calls without one after {})", Durations.shown(waitForResults), Durations.shown(results.pollAfter()));
            }
        }
        RepeatStatus status = java.util.Objects.requireNonNull(retry.call("reconciling results",
                () -> transaction.execute(tx -> pass(executionId, now))));
        if (status == RepeatStatus.CONTINUABLE) {
            Thread.sleep(Math.min(1000, Math.max(50, Duration.between(now, deadline).toMillis())));
        }
        return status;
    }

    private RepeatStatus pass(long executionId, Instant now) {
        Reconciler.InboxPass pass = reconciler.processInbox();
        if (pass.matched() > 0) {
            log.info("{} result(s) received by webhook", pass.matched());
        }
        if (!now.isBefore(nextPoll)) {
            int polled = reconciler.pollOverdue(client, executionId, results.pollAfter());
            if (polled > 0) {
                log.info("{} result(s) found by polling retrieve-call-log", polled);
            }
            nextPoll = now.plus(results.pollInterval());
        }
        long waiting = ledger.countAwaitingResults(executionId);
        if (waiting == 0 || !now.isBefore(deadline)) {
            int overdue = ledger.markOverdue(executionId, now.minus(results.window()));
            if (waiting > 0) {
                log.info("{} call(s) still without a result{}", waiting, overdue > 0 ? ", " + overdue + " past the result window (OVERDUE)" : "");
            }
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }
}
