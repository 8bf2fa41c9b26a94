package dev.calleval.reevaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.config.Durations;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.jobfile.ResultsSettings;
import dev.calleval.ledger.Reevaluations;
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

/**
 * The reconcile step of a round, as the evaluate job's: each pass matches the webhook inbox (a re-evaluation's webhook
 * is the round's when its newest evaluation is not the one the round replaced) and, once a call has waited
 * {@code results.poll-after} since its re-evaluation was accepted, polls {@code retrieve-call-log} for it. Passes repeat
 * every second until every call the round sent has its new evaluation or {@code waitForResults} is up (zero: one pass).
 * Calls still waiting get their evaluation from a later {@code reevaluate} of the same round, {@code reconcile} or
 * {@code serve} (any inbox pass attributes it to the round).
 */
final class RoundReconcileTasklet implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(RoundReconcileTasklet.class);

    private final Reconciler reconciler;
    private final Reevaluations rounds;
    private final BluejayClient client;
    private final ResultsSettings results;
    private final Duration waitForResults;
    private final Clock clock;
    private final DatabaseRetry retry;
    private @Nullable Instant deadline;
    private Instant nextPoll = Instant.MIN;

    RoundReconcileTasklet(Reconciler reconciler, Reevaluations rounds, BluejayClient client, ResultsSettings results, Duration waitForResults,
            Clock clock, DatabaseRetry retry) {
        this.reconciler = reconciler;
        this.rounds = rounds;
        this.client = client;
        this.results = results;
        this.waitForResults = waitForResults;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
        String roundId = SendTasklet.roundId(chunkContext.getStepContext().getStepExecution().getJobExecution());
        Instant now = clock.instant();
        if (deadline == null) {
            deadline = now.plus(waitForResults);
            if (!waitForResults.isZero()) {
                log.info("waiting up to {} for the new evaluations (webhooks; polling after {})", Durations.shown(waitForResults),
                        Durations.shown(results.pollAfter()));
            }
        }
        Instant until = deadline;
        long waiting = java.util.Objects.requireNonNull(retry.call("reconciling the round's results", () -> {
            Reconciler.InboxPass pass = reconciler.processInbox();
            if (pass.matched() > 0) {
                log.info("{} result(s) received by webhook", pass.matched());
            }
            if (!now.isBefore(nextPoll)) {
                int polled = reconciler.pollRound(client, roundId, results.pollAfter());
                if (polled > 0) {
                    log.info("{} new evaluation(s) found by polling retrieve-call-log", polled);
                }
                nextPoll = now.plus(results.pollInterval());
            }
            return rounds.countAwaiting(roundId, client.endpoint());
        }));
        if (waiting == 0 || !now.isBefore(until)) {
            if (waiting > 0) {
                log.info("{} call(s) of round {} still without their new evaluation", waiting, roundId);
            }
            return RepeatStatus.FINISHED;
        }
        Thread.sleep(Math.min(1000, Math.max(50, Duration.between(now, until).toMillis())));
        return RepeatStatus.CONTINUABLE;
    }
}
