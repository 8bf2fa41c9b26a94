package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayClient;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The enrich step's item writer. For each chunk, inside the chunk transaction, it records every log in the
 * ledger's per-execution items and claims the results to post ({@link SimulationUpdateLedger#claim}); after the
 * chunk commits, it hands the claims to a {@link SimulationUpdatePoster}, which posts them while the next chunk is
 * read. Nothing is posted for a chunk that rolls back.
 *
 * <p>When the poster has stopped the run (API key refused, or every recent post failed), later chunks are still
 * claimed and recorded FAILED without being posted, so that every log ends in exactly one state; the step then
 * ends FAILED ({@link #afterStep}) and the next run posts them. Register it as the step's listener too.
 */
final class SimulationUpdateWriter implements ItemWriter<MappedUpdate>, StepExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(SimulationUpdateWriter.class);

    private final SimulationUpdateLedger ledger;
    private final BluejayClient client;
    private final String jobName;
    private final int maxInFlight;
    private final boolean resendInDoubt;
    private @Nullable SimulationUpdatePoster poster;
    private long executionId;

    /**
     * @param client the run's client, shared by every post (its rate limit holds for all of them)
     * @param maxInFlight posts in flight at once
     * @param resendInDoubt post again the results an earlier run left IN_DOUBT
     */
    public SimulationUpdateWriter(SimulationUpdateLedger ledger, BluejayClient client, String jobName, int maxInFlight, boolean resendInDoubt) {
        this.ledger = ledger;
        this.client = client;
        this.jobName = jobName;
        this.maxInFlight = maxInFlight;
        this.resendInDoubt = resendInDoubt;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        executionId = stepExecution.getJobExecutionId();
        poster = new SimulationUpdatePoster(client, ledger, executionId, maxInFlight);
    }

    @Override
    public void write(Chunk<? extends MappedUpdate> chunk) {
        SimulationUpdatePoster poster = requirePoster();
        List<? extends MappedUpdate> updates = chunk.getItems();
        List<SimulationUpdateLedger.Claim> claims = ledger.claim(executionId, jobName, client.endpoint(), updates, resendInDoubt);
        for (MappedUpdate update : updates) {
            if (update instanceof MappedUpdate.Rejected rejected) {
                log.info("rejected {}", rejected.message());
            }
        }
        for (SimulationUpdateLedger.Claim claim : claims) {
            if (claim.resentInDoubt()) {
                log.warn("simulation result {} ({}) was in doubt: posting it again as asked (--resend-in-doubt)",
                        claim.update().resultId(), claim.update().log().file());
            }
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    claims.forEach(poster::post);
                }
            });
        } else {
            claims.forEach(poster::post);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        SimulationUpdatePoster poster = requirePoster();
        poster.close();
        this.poster = null;
        RuntimeException stop = poster.fatalError();
        if (stop != null) {
            return ExitStatus.FAILED.addExitDescription(stop.getMessage());
        }
        return stepExecution.getExitStatus();
    }

    private SimulationUpdatePoster requirePoster() {
        if (poster == null) {
            throw new IllegalStateException("SimulationUpdateWriter used outside a step: register it as the step's listener");
        }
        return poster;
    }
}
