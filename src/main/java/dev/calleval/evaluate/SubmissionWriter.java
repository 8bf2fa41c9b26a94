package dev.calleval.evaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.Sampling;
import dev.calleval.mapping.MappedCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The submit step's item writer. For each chunk, in one database transaction of its own (run again when the
 * connection was lost, {@link DatabaseRetry}): records rejected rows, and claims the accepted calls in the ledger
 * under the client's endpoint (calls already done at that endpoint and duplicate call ids are not claimed). The step's
 * chunk transaction holds no database connection (a resourceless one: the evaluate job reads its manifest from the top
 * on a restart, so the claims need not commit with the read position), so a lost connection never breaks it. After the
 * chunk's step execution is updated (the chunk "commits"), the claimed calls go to the {@link Submitter}, which sends them while the next chunk is read (so the
 * writer never waits for a chunk's slowest response, and the rate limit is reached even at high latency).
 *
 * <p>Nothing is sent for a chunk that rolls back. When the submitter has met a fatal error, the next write fails
 * the step. After the step, {@link #afterStep} waits for the calls still in flight and fails the step if the run
 * was stopped.
 */
final class SubmissionWriter implements ItemWriter<MappedCall>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(SubmissionWriter.class);

    private final Ledger ledger;
    private final BluejayClient client;
    private final String jobName;
    private final int maxInFlight;
    private final InDoubtLookup inDoubtLookup;
    private final SubmissionObserver observer;
    private final TransactionTemplate claims;
    private final DatabaseRetry retry;
    private final Sampling sampling;
    private @Nullable Submitter submitter;
    /**
     * Calls this step chose to send so far (claimed; in doubt ones included): counted towards {@code sampling.max-calls}.
     * Starts at 0 in every job execution: a restart is a run of its own for the cap (docs/plan-and-sampling.md, "The cap
     * is per launch"); what the failed execution sent is already done and not sent again.
     */
    private long sent;
    private long executionId;
    /** Rows of this step whose outcome the ledger holds (their chunk's claims committed). */
    private long recorded;

    /**
     * @param client the run's client (shared by all in-flight requests)
     * @param maxInFlight requests in flight at once
     * @param inDoubtLookup how ambiguous failures are settled
     * @param observer hears each row's outcome once it is final for this run (progress, metrics)
     * @param transactionManager the database's: each chunk's claims and rejections commit in one transaction of it
     * @param retry runs that transaction again when the database connection was lost
     * @param sampling which of the calls it could send the run sends ({@code sampling:}); the others are recorded
     *     NOT_SAMPLED or DEFERRED
     */
    public SubmissionWriter(Ledger ledger, BluejayClient client, String jobName, int maxInFlight, InDoubtLookup inDoubtLookup,
            SubmissionObserver observer, PlatformTransactionManager transactionManager, DatabaseRetry retry, Sampling sampling) {
        this.sampling = sampling;
        this.claims = new TransactionTemplate(transactionManager);
        this.retry = retry;
        this.observer = observer;
        this.ledger = ledger;
        this.client = client;
        this.jobName = jobName;
        this.maxInFlight = maxInFlight;
        this.inDoubtLookup = inDoubtLookup;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        executionId = stepExecution.getJobExecutionId();
        recorded = 0;
        sent = 0;
        submitter = new Submitter(client, ledger, executionId, maxInFlight,
                inDoubtLookup.maxPages() == 0 ? null
                        : new InDoubtResolver(client, inDoubtLookup.delay(), inDoubtLookup.requestTimeout(), inDoubtLookup.maxPages()),
                observer);
    }

    @Override
    public void write(Chunk<? extends MappedCall> chunk) {
        Submitter submitter = requireSubmitter();
        RuntimeException stop = submitter.fatalError();
        if (stop != null) {
            throw new RunStoppedException(stop);
        }
        List<MappedCall.Accepted> accepted = new ArrayList<>();
        List<MappedCall.Rejected> rejected = new ArrayList<>();
        for (MappedCall call : chunk) {
            if (call instanceof MappedCall.Accepted a) {
                accepted.add(a);
            } else if (call instanceof MappedCall.Rejected r) {
                rejected.add(r);
            }
        }
        // the chunk's ledger work is one transaction of its own, run again from its start when the database
        // connection was lost (a claim decides on what the ledger holds, so a transaction that rolled back is simply
        // decided again); the sends wait until the chunk has ended
        Ledger.ClaimOutcome outcome = retry.call("claiming a chunk of " + chunk.size() + " calls", () -> claims.execute(status -> {
            Ledger.ClaimOutcome claimed = ledger.claim(executionId, jobName, client.endpoint(), accepted, sampling, sent);
            List<MappedCall.Rejected> all = new ArrayList<>(rejected);
            all.addAll(claimed.duplicates());
            ledger.recordRejections(executionId, all);
            return claimed;
        }));
        recorded += chunk.size();
        sent += outcome.claimed().size();
        rejected.addAll(outcome.duplicates());
        for (MappedCall.Rejected r : rejected) {
            log.info("rejected {} ({}): {}", r.source(), r.sourceId() == null ? "no call_id" : r.sourceId(), r.reason());
        }
        for (Ledger.Claim claim : outcome.claimed()) {
            if (claim.inDoubt()) {
                log.warn("{} ({}) was left in flight by an earlier run (in doubt): sending again; it may be a duplicate",
                        claim.call().sourceId(), claim.call().source());
            }
        }
        outcome.runningElsewhere().forEach((owner, n) -> log.info(
                "{} call(s) of this chunk are being sent by execution {}, still running: left to it", n, owner));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    observer.notSent(rejected.size(), outcome.alreadyDone(), outcome.alreadyRejected());
                    observer.leftOut(outcome.notSampled(), outcome.deferred());
                    outcome.claimed().forEach(submitter::submit);
                }
            });
        } else {
            observer.notSent(rejected.size(), outcome.alreadyDone(), outcome.alreadyRejected());
            observer.leftOut(outcome.notSampled(), outcome.deferred());
            outcome.claimed().forEach(submitter::submit);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        Submitter submitter = requireSubmitter();
        submitter.close();
        this.submitter = null;
        RuntimeException stop = submitter.fatalError();
        if ((stop != null || stepExecution.getStatus() == org.springframework.batch.core.BatchStatus.FAILED)
                && stepExecution.getReadCount() > recorded) {
            // the rows of the chunk that failed (its claims rolled back) were read but have no outcome: they are not this
            // run's, the next run reads them again; so that the run's counts add up to the rows it read
            log.info("{} row(s) read by the last chunk have no outcome in the ledger: the next run reads them again",
                    stepExecution.getReadCount() - recorded);
            stepExecution.setReadCount(recorded);
        }
        if (stop != null) {
            // FAILED, not only its exit status: a restart runs a COMPLETED step never again, so the calls this run left
            // FAILED (the API key refused in the last chunk, say) would never be sent
            stepExecution.setStatus(org.springframework.batch.core.BatchStatus.FAILED);
            if (stepExecution.getFailureExceptions().stream().noneMatch(e -> e instanceof RunStoppedException)) {
                stepExecution.addFailureException(new RunStoppedException(stop));
            }
            return ExitStatus.FAILED.addExitDescription(stop.getMessage());
        }
        return stepExecution.getExitStatus();
    }

    private Submitter requireSubmitter() {
        if (submitter == null) {
            throw new IllegalStateException("SubmissionWriter used outside a step: register it as the step's listener");
        }
        return submitter;
    }

    /** The step cannot go on: the submitter met a fatal error. */
    public static final class RunStoppedException extends RuntimeException {
        RunStoppedException(RuntimeException cause) {
            super("run stopped: " + cause.getMessage(), cause);
        }
    }
}
