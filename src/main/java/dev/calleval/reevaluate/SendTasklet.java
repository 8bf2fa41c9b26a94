package dev.calleval.reevaluate;

import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.CallLog;
import dev.calleval.bluejay.CallStatus;
import dev.calleval.bluejay.Evaluation;
import dev.calleval.ledger.Reevaluations;
import dev.calleval.ledger.SendOutcome;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The send step of a round: chooses the job's evaluated calls ({@link Selection}), claims them in the round a chunk at a
 * time ({@link Reevaluations#claim}: a call already sent, refused, or being sent by a live execution in this round is not
 * sent again; one another round still waits for is left out) and sends {@code POST /v1/re-evaluate/{call_id}} for each, one after the other under the client's rate
 * limit (the client retries; nothing is retried here). Each outcome is recorded as {@link SendOutcome} classifies it. A
 * call left in doubt by an earlier execution of the round is looked up first ({@code retrieve-call-log}): a newer
 * evaluation than the one it replaces, or a call being evaluated, means the request arrived, so it is SENT without
 * sending it again. A refused API key or an open circuit breaker fails the step (the calls not sent are FAILED; running
 * the command again restarts the round and sends them).
 */
final class SendTasklet implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(SendTasklet.class);
    static final int CHUNK = 100;

    private final Reevaluations rounds;
    private final BluejayClient client;
    private final String jobName;
    private final Selection selection;
    private final RoundCounts counts;

    SendTasklet(Reevaluations rounds, BluejayClient client, String jobName, Selection selection, RoundCounts counts) {
        this.rounds = rounds;
        this.client = client;
        this.jobName = jobName;
        this.selection = selection;
        this.counts = counts;
    }

    /** The round of an execution: its job instance. */
    static String roundId(JobExecution execution) {
        return Long.toString(execution.getJobInstance().getInstanceId());
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution execution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        long executionId = execution.getId();
        String roundId = roundId(execution);
        List<Reevaluations.Evaluated> chosen = chosen(rounds, jobName, client.endpoint(), selection);
        counts.chosen = chosen.size();
        log.info("{} round {}: {} call(s) chosen ({})", jobName, roundId, chosen.size(), selection.key());
        for (int i = 0; i < chosen.size(); i += CHUNK) {
            Reevaluations.RoundClaim claim = rounds.claim(executionId, "reevaluate-" + jobName, client.endpoint(), roundId,
                    chosen.subList(i, Math.min(chosen.size(), i + CHUNK)));
            counts.alreadyInRound += claim.alreadyInRound();
            counts.runningElsewhere += claim.runningElsewhere();
            counts.waitingInAnotherRound += claim.waitingInAnotherRound();
            List<Reevaluations.Claimed> toSend = claim.toSend();
            for (int j = 0; j < toSend.size(); j++) {
                SendOutcome.Failed stop = send(toSend.get(j), executionId);
                if (stop != null) {
                    toSend.subList(j + 1, toSend.size()).forEach(c -> rounds.markFailed(c.rowId(), executionId, "not sent: " + stop.error(), 0));
                    counts.failed += toSend.size() - j - 1;
                    throw new RoundStoppedException(jobName, roundId, stop.error());
                }
            }
        }
        return RepeatStatus.FINISHED;
    }

    /** The calls a selection chooses, in ledger order. */
    static List<Reevaluations.Evaluated> chosen(Reevaluations rounds, String jobName, BluejayEndpoint endpoint, Selection selection) {
        return rounds.evaluatedCalls(jobName, endpoint, selection.executionId(), selection.since(), selection.until()).stream()
                .filter(selection::matches).toList();
    }

    /** Sends one call; returns the failure that stops the round (key refused, circuit open), else null. */
    private SendOutcome.@org.jspecify.annotations.Nullable Failed send(Reevaluations.Claimed claimed, long executionId) {
        String callId = claimed.call().callId();
        if (claimed.inDoubt()) {
            try {
                if (arrived(client.retrieveCallLog(callId), claimed.oldEvaluationId())) {
                    rounds.markSent(claimed.rowId(), executionId, 0);
                    counts.foundSent++;
                    log.info("call {} ({}): the re-evaluation an earlier execution left in doubt arrived; not sent again", callId,
                            claimed.call().sourceId());
                    return null;
                }
            } catch (BluejayApiException e) {
                rounds.markInDoubt(claimed.rowId(), executionId, "in doubt, and looking it up failed: " + e.getMessage(), 0);
                counts.inDoubt++;
                return null;
            }
        }
        try {
            client.reEvaluate(callId);
            rounds.markSent(claimed.rowId(), executionId, 1);
            counts.sent++;
            return null;
        } catch (RuntimeException e) {
            SendOutcome outcome = SendOutcome.of(e, 1);
            if (outcome instanceof SendOutcome.InDoubt d) {
                rounds.markInDoubt(claimed.rowId(), executionId, d.error(), 1);
                counts.inDoubt++;
                log.warn("call {} ({}): in doubt: {}", callId, claimed.call().sourceId(), d.error());
            } else if (outcome instanceof SendOutcome.Rejected r) {
                rounds.markRejected(claimed.rowId(), executionId, r.error(), 1);
                counts.rejected++;
                log.warn("call {} ({}): refused: {}", callId, claimed.call().sourceId(), r.error());
            } else if (outcome instanceof SendOutcome.Failed f) {
                rounds.markFailed(claimed.rowId(), executionId, f.error(), 1);
                counts.failed++;
                if (f.reason() == SendOutcome.Reason.KEY_REFUSED || f.reason() == SendOutcome.Reason.CIRCUIT_OPEN) {
                    return f;
                }
                log.warn("call {} ({}): not sent: {}", callId, claimed.call().sourceId(), f.error());
            }
            return null;
        }
    }

    /** Whether a call log shows that a re-evaluation arrived: it is being evaluated, or has a newer evaluation. */
    static boolean arrived(CallLog log, @org.jspecify.annotations.Nullable String oldEvaluationId) {
        CallStatus status = log.status() == null ? CallStatus.UNKNOWN : log.status();
        if (!status.isTerminal()) {
            return true;
        }
        String newest = log.latestEvaluation().map(Evaluation::id).orElse(null);
        return newest != null && !Objects.equals(newest, oldEvaluationId);
    }
}
